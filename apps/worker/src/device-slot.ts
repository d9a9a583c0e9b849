import type { Logger } from 'pino';
import type { Device } from './device-selection.js';
import type { DeviceWorker } from './device-worker.js';
import type { GpuClaimer } from './gpu/gpu-claimer.js';
import type { SlotPlan } from './gpu/plan-devices.js';

export interface DeviceSlotOptions {
  plan: SlotPlan;
  /** Needed for leased plans. */
  claimer: GpuClaimer | undefined;
  /** Readies a device this slot now owns (cleans up after dead workers) and starts taking trials on it. */
  startDevice: (device: Device, gpuUuid: string | undefined) => Promise<DeviceWorker>;
  log: Logger;
}

/**
 * One device-worker of this process, over its life: for a GPU, take a lease, run a
 * DeviceWorker on that GPU while the lease holds, and if the lease goes to someone else, stop
 * at once (the running trial is killed and handed back) and claim again. Stopping ends the
 * trial within the grace period and only then releases the lease.
 */
export class DeviceSlot {
  readonly #options: DeviceSlotOptions;
  readonly #abort = new AbortController();
  #requestStop: (graceMs: number) => void = () => undefined;
  readonly #stopRequested: Promise<number>;
  #current: DeviceWorker | undefined;
  #done: Promise<void> = Promise.resolve();

  constructor(options: DeviceSlotOptions) {
    this.#options = options;
    this.#stopRequested = new Promise((resolve) => {
      this.#requestStop = resolve;
    });
  }

  start(): void {
    this.#done = this.#run().catch((error: unknown) => {
      this.#options.log.error({ err: error }, 'this device slot stopped on an error; the other devices go on');
    });
  }

  async stop(graceMs: number): Promise<void> {
    this.#requestStop(graceMs);
    this.#abort.abort();
    await this.#done;
  }

  /** Synchronous SIGKILL of the running trainer's group. */
  killNow(): void {
    this.#current?.killNow();
  }

  /** Takes this slot's device-worker out of the registry (after killNow, on the way out). */
  async forget(waitMs: number): Promise<void> {
    await this.#current?.forget(waitMs);
  }

  async #run(): Promise<void> {
    const { plan, startDevice } = this.#options;
    if (plan.kind === 'fixed') {
      const worker = await startDevice(plan.device, undefined);
      this.#current = worker;
      await worker.stop(await this.#stopRequested);
      return;
    }
    const claimer = this.#options.claimer;
    if (claimer === undefined) throw new Error('a leased device slot needs a GpuClaimer');
    for (;;) {
      const claimed = await claimer.claim(plan.choices, this.#options.log, this.#abort.signal);
      if (claimed === undefined) return;
      const { gpu, lease } = claimed;
      const log = this.#options.log.child({ gpu: gpu.index, uuid: gpu.uuid });
      log.info({ lease: lease.key, holder: lease.holder }, `claimed GPU ${gpu.index} (${gpu.uuid})`);
      let worker: DeviceWorker;
      try {
        worker = await startDevice({ kind: 'gpu', index: gpu.index }, gpu.uuid);
      } catch (error) {
        await lease.release();
        throw error;
      }
      this.#current = worker;
      const next = await Promise.race([
        lease.lost.then((holder) => ({ kind: 'lost', holder }) as const),
        this.#stopRequested.then((graceMs) => ({ kind: 'stop', graceMs }) as const),
      ]);
      if (next.kind === 'lost') {
        log.error({ holder: next.holder }, `lost the lease of GPU ${gpu.index} to ${next.holder}; stopping work on it now (a running trial is handed back) and claiming a GPU again`);
        await worker.stop(0);
        this.#current = undefined;
        continue;
      }
      // A grace period must not outlast the lease: losing it meanwhile ends the trial at once.
      void lease.lost.then(() => worker.killNow());
      await worker.stop(next.graceMs);
      await lease.release();
      return;
    }
  }
}
