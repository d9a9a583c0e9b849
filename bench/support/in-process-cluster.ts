import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { connectRedis, type RedisClient, type RedisTarget } from '@hyperevolve/runtime';
import { infoSum } from '../harness/redis-info.js';
import { loadConfig } from '../../apps/scheduler/src/config.js';
import { SchedulerService } from '../../apps/scheduler/src/serve/scheduler-service.js';
import { createBenchCampaign } from './bench-campaign.js';
import { BENCH_TRAINER, startDeviceHost, type DeviceHost, type DeviceHostOptions } from './device-host.js';
import type { HostReply, HostRequest } from './device-host-process.js';
import { epochMs, type TrainerSpan } from './sleeping-trainer.js';

/** `scheduler serve`'s defaults (apps/scheduler/src/config.ts). */
/** `scheduler serve`'s defaults, from its option table. */
const SERVE_DEFAULTS = (() => {
  const serve = loadConfig(['serve'], {});
  if (serve.verb !== 'serve') throw new Error('scheduler serve did not parse');
  return { lookahead: serve.lookahead, tickMs: serve.tickMs, reconcileMs: serve.reconcileMs, exportIntervalMs: serve.exportIntervalMs };
})();
/** Devices per worker process, as one `worker --devices 0,…,7` on an 8-GPU machine. */
const DEVICES_PER_HOST = 8;

export interface InProcessClusterOptions {
  redis: RedisTarget | string;
  prefix: string;
  workers: number;
  trialMs: number;
  /** Trial directories and exports go under it. */
  dir: string;
  /** `scheduler serve --lookahead`; default the CLI's. */
  lookahead?: number;
  /** Device hosts in child processes (default, as real workers are) or all in this process. */
  hosts?: 'processes' | 'this-process';
}

export interface CampaignRun {
  /** Epoch ms when the campaign's last result was recorded (status done). */
  doneAt: number;
  spans: TrainerSpan[];
  /** CPU time (ms) each part used during the run: this process (the scheduler), the worker processes, redis-server. */
  cpuMs: { scheduler: number; workers: number; redis: number };
}

interface Host {
  spans(campaign: string): Promise<TrainerSpan[]>;
  /** CPU ms the host's process used so far (0 for a host in this process: counted as the scheduler's). */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A whole installation with the trainer stubbed: the real SchedulerService (top-up, breeder,
 * recorder, reconciler, exporter) in this process, and W real device workers in hosts of 8
 * (see {@link startDeviceHost}), each host a child process like `worker --devices 0,…,7`.
 */
export class InProcessCluster {
  readonly #options: InProcessClusterOptions;
  readonly #log: Logger;
  readonly #redis: RedisClient;
  readonly #service: SchedulerService;
  readonly #hosts: Host[];
  readonly #waiting: Map<string, (at: number) => void>;

  private constructor(options: InProcessClusterOptions, log: Logger, redis: RedisClient, service: SchedulerService, hosts: Host[], waiting: Map<string, (at: number) => void>) {
    this.#options = options;
    this.#log = log;
    this.#redis = redis;
    this.#service = service;
    this.#hosts = hosts;
    this.#waiting = waiting;
  }

  static async start(options: InProcessClusterOptions): Promise<InProcessCluster> {
    const log = pino({ level: 'silent' });
    const waiting = new Map<string, (at: number) => void>();
    const redis = await connectRedis({ target: options.redis, log, name: 'bench-scheduler' });
    const service = new SchedulerService({
      redis,
      prefix: options.prefix,
      log,
      ...SERVE_DEFAULTS,
      lookahead: options.lookahead ?? SERVE_DEFAULTS.lookahead,
      onRecorded: (event) => {
        if (event.reply.campaignStatus === 'done') waiting.get(event.campaign)?.(epochMs());
      },
    });
    const hosts: Host[] = [];
    for (let first = 0; first < options.workers; first += DEVICES_PER_HOST) {
      const host: DeviceHostOptions = {
        redis: options.redis,
        prefix: options.prefix,
        host: `bench-${hosts.length}`,
        devices: Array.from({ length: Math.min(DEVICES_PER_HOST, options.workers - first) }, (_, i) => first + i),
        trialMs: options.trialMs,
        dir: options.dir,
      };
      hosts.push(options.hosts === 'this-process' ? localHost(await startDeviceHost(host, log)) : await forkHost(host));
    }
    await service.start();
    return new InProcessCluster(options, log, redis, service, hosts, waiting);
  }

  /**
   * Runs a short campaign first, so that what is measured is a warm service (JIT-compiled,
   * connections and directories made), as a long-lived `scheduler serve` and workers are.
   */
  async warmUp(): Promise<void> {
    await this.run('warm-up', Math.max(50, 3 * this.#options.workers), 120_000);
  }

  /** Creates a campaign of `generations` trials and resolves once all are recorded. */
  async run(name: string, generations: number, timeoutMs: number): Promise<CampaignRun> {
    const cpuBefore = await this.#cpu();
    const done = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`campaign ${name} did not finish ${generations} trials within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.set(name, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
    await createBenchCampaign(this.#redis, this.#options.prefix, {
      name,
      generations,
      command: [BENCH_TRAINER],
      adapter: 'generic',
      outDir: join(this.#options.dir, 'evolve'),
    });
    const doneAt = await done;
    this.#waiting.delete(name);
    const cpuAfter = await this.#cpu();
    const spans = (await Promise.all(this.#hosts.map((host) => host.spans(name)))).flat();
    return {
      doneAt,
      spans,
      cpuMs: { scheduler: cpuAfter.scheduler - cpuBefore.scheduler, workers: cpuAfter.workers - cpuBefore.workers, redis: cpuAfter.redis - cpuBefore.redis },
    };
  }

  async #cpu(): Promise<CampaignRun['cpuMs']> {
    const usage = process.cpuUsage();
    const [hosts, sys, user] = await Promise.all([
      Promise.all(this.#hosts.map((host) => host.cpuMs())),
      infoSum(this.#redis, 'cpu', 'used_cpu_sys'),
      infoSum(this.#redis, 'cpu', 'used_cpu_user'),
    ]);
    return {
      scheduler: (usage.user + usage.system) / 1000,
      workers: hosts.reduce((a, b) => a + b, 0),
      redis: (sys + user) * 1000,
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.#hosts.map((host) => host.stop()));
    await this.#service.stop();
    await this.#redis.quit().catch(() => this.#redis.disconnect());
    this.#log.flush();
  }
}

function localHost(host: DeviceHost): Host {
  return {
    spans: (campaign) => Promise.resolve(host.spans.filter((span) => span.campaign === campaign)),
    cpuMs: () => Promise.resolve(0),
    stop: () => host.stop(),
  };
}

const HOST_PROCESS = fileURLToPath(new URL('./device-host-process.ts', import.meta.url));

async function forkHost(options: DeviceHostOptions): Promise<Host> {
  const child: ChildProcess = fork(HOST_PROCESS, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (type: HostReply['type']): Promise<HostReply> =>
    new Promise((resolve, reject) => {
      const onMessage = (reply: HostReply): void => {
        if (reply.type !== type) return;
        cleanup();
        resolve(reply);
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`bench device host ${options.host} exited (${code}) before answering ${type}; its stderr is above`));
      };
      const cleanup = (): void => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const request = (message: HostRequest): void => {
    child.send(message);
  };
  await next('ready');
  return {
    spans: async (campaign) => {
      const reply = next('spans');
      request({ type: 'spans', campaign });
      const answer = await reply;
      return answer.type === 'spans' ? (answer.spans as TrainerSpan[]) : [];
    },
    cpuMs: async () => {
      const reply = next('cpu');
      request({ type: 'cpu' });
      const answer = await reply;
      return answer.type === 'cpu' ? answer.ms : Number.NaN;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      request({ type: 'stop' });
      await exited;
    },
  };
}
