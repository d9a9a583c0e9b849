import type { Logger } from 'pino';
import { globalKeys } from '@hyperevolve/contract';
import { GpuLease } from './gpu-lease.js';
import { LeaseScripts } from './lease-scripts.js';
import type { Gpu } from './nvidia-smi-output.js';
import type { RedisClient } from '@hyperevolve/runtime';

export interface GpuClaimerOptions {
  redis: RedisClient;
  prefix: string;
  /** The lease's value: the id the device-worker on that GPU will have, and this process's instance. */
  holderFor: (gpu: Gpu) => string;
  ttlMs: number;
  /** Skip GPUs with more memory in use than this (MiB); undefined: never skip. */
  skipBusyMiB: number | undefined;
  /** The GPUs as they are now (for their memory use); asked each round only when skipBusyMiB is set. */
  refresh: () => Promise<readonly Gpu[] | undefined>;
  log: Logger;
}

export interface Claimed {
  readonly gpu: Gpu;
  readonly lease: GpuLease;
}

/**
 * Takes the lease of the first free GPU among some choices, in index order, and when none is
 * free waits for one, saying once why it waits, then checking again every quarter of the lease
 * TTL (a dead worker's GPU frees within one TTL).
 */
export class GpuClaimer {
  readonly #options: GpuClaimerOptions;
  readonly #scripts: LeaseScripts;
  readonly pollMs: number;

  constructor(options: GpuClaimerOptions) {
    this.#options = options;
    this.#scripts = new LeaseScripts(options.redis);
    this.pollMs = Math.min(Math.max(Math.round(options.ttlMs / 4), 100), 5000);
  }

  /** Resolves with a lease, or undefined once `signal` aborts. */
  async claim(choices: readonly Gpu[], log: Logger, signal: AbortSignal): Promise<Claimed | undefined> {
    let waiting = '';
    let redisFailing = false;
    while (!signal.aborted) {
      let reasons: string[];
      try {
        const claimed = await this.#round(await this.#current(choices), log);
        if (!Array.isArray(claimed)) return claimed;
        reasons = claimed;
        redisFailing = false;
      } catch (error) {
        if (!redisFailing) log.warn({ err: error }, 'could not claim a GPU (Redis problem); retrying');
        redisFailing = true;
        reasons = [];
      }
      const summary = reasons.join('; ');
      if (reasons.length > 0 && summary !== waiting) {
        const all = choices.length === 1 ? '' : `all ${choices.length} GPUs are taken or skipped: `;
        log.warn({ reasons, pollMs: this.pollMs, leaseMs: this.#options.ttlMs }, `waiting for a free GPU: ${all}${summary}. ` +
          `Checking every ${this.pollMs} ms; a dead worker's GPU frees when its lease lapses (${this.#options.ttlMs} ms)`);
        waiting = summary;
      }
      await sleep(this.pollMs, signal);
    }
    return undefined;
  }

  /** One pass over the choices: a lease, or why each GPU could not be had. */
  async #round(gpus: readonly Gpu[], log: Logger): Promise<Claimed | string[]> {
    const { prefix, holderFor, ttlMs, skipBusyMiB } = this.#options;
    const reasons: string[] = [];
    for (const gpu of gpus) {
      const name = `GPU ${gpu.index} (${gpu.uuid})`;
      if (skipBusyMiB !== undefined && gpu.memoryUsedMiB !== null && gpu.memoryUsedMiB > skipBusyMiB) {
        reasons.push(`${name} is busy: ${gpu.memoryUsedMiB} MiB in use > --skip-busy-gpus ${skipBusyMiB}`);
        continue;
      }
      const key = globalKeys(prefix).gpuLease(gpu.uuid);
      const holder = holderFor(gpu);
      const takenAt = performance.now();
      if (await this.#scripts.take(key, holder, ttlMs)) {
        return { gpu, lease: new GpuLease({ scripts: this.#scripts, key, holder, ttlMs, takenAt, log: log.child({ gpu: gpu.index }) }) };
      }
      reasons.push(`${name} is leased by ${(await this.#scripts.holder(key)) ?? 'a worker whose lease just lapsed'}`);
    }
    return reasons;
  }

  async #current(choices: readonly Gpu[]): Promise<readonly Gpu[]> {
    if (this.#options.skipBusyMiB === undefined) return choices;
    const fresh = await this.#options.refresh();
    if (fresh === undefined) return choices;
    return choices.map((choice) => fresh.find((gpu) => gpu.uuid === choice.uuid) ?? choice);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
