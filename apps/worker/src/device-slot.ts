import type { Logger } from 'pino';
import type { Device } from './device-selection.js';
import type { DeviceWorker } from './device-worker.js';
import type { GpuClaimer } from './gpu/gpu-claimer.js';
import type { SlotPlan } from './gpu/plan-devices.js';
import { LeaseWatchdog } from './containment/lease-watchdog.js';
import type { LeaseGuard } from './gpu/lease-guard.js';

export interface DeviceSlotOptions {
  plan: SlotPlan;
  /** Needed for leased plans. */
  claimer: GpuClaimer | undefined;
  /** Readies a device this slot now owns (cleans up after dead workers) and starts taking trials on it. */
  startDevice: (device: Device, gpuUuid: string | undefined, guard: LeaseGuard | undefined) => Promise<DeviceWorker>;
  /** Starts the lease watchdog of a GPU just claimed (default {@link LeaseWatchdog.start}). */
  startWatchdog?: (log: Logger) => Promise<LeaseWatchdog>;
  log: Logger;
}

/**
 * One device-worker of this process, over its life: for a GPU, take a lease, start its
 * watchdog, run a DeviceWorker on that GPU while the lease holds, and if the lease goes to
 * someone else or may have lapsed (or the watchdog is gone), stop at once (the running trial is
 * killed and handed back) and claim again. Stopping ends the trial within the grace period and
 * only then releases the lease. The watchdog, a process of its own, kills the trainer should
 * the lease run out while this process cannot act (SIGSTOP): a trainer never outlives its lease.
 */
export class DeviceSlot {
  readonly #options: DeviceSlotOptions;
  readonly #abort = new AbortController();
  #requestStop: (graceMs: number | null) => void = () => undefined;
  /** The --grace of the stop: ms, or null for as long as the running trial takes. */
  readonly #stopRequested: Promise<number | null>;
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

  async stop(graceMs: number | null): Promise<void> {
    // Synchronously, from the signal handler: a trainer killed by the same signal is noticed later.
    this.#current?.stopRequested();
    this.#requestStop(graceMs);
    this.#abort.abort();
    await this.#done;
  }

  /** Synchronous SIGKILL of the running trainer's group. */
  killNow(): void {
    this.#current?.killNow();
  }

  /** Resolves once no trainer runs on this slot's device. */
  async trainerEnded(): Promise<void> {
    await this.#current?.trainerEnded();
  }

  /** Takes this slot's device-worker out of the registry (after killNow, on the way out). */
  async forget(waitMs: number): Promise<void> {
    await this.#current?.forget(waitMs);
  }

  async #run(): Promise<void> {
    const { plan, startDevice } = this.#options;
    if (plan.kind === 'fixed') {
      const worker = await startDevice(plan.device, undefined, undefined);
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
      let watchdog: LeaseWatchdog;
      let worker: DeviceWorker;
      try {
        watchdog = await (this.#options.startWatchdog ?? ((l: Logger) => LeaseWatchdog.start(l)))(log);
      } catch (error) {
        await lease.release();
        throw error;
      }
      lease.onValid((validUntil) => watchdog.validUntil(validUntil - lease.marginMs));
      const guard: LeaseGuard = { held: () => lease.held(), runStarted: (run) => watchdog.runStarted(run), runEnded: () => watchdog.runEnded() };
      try {
        worker = await startDevice({ kind: 'gpu', index: gpu.index }, gpu.uuid, guard);
      } catch (error) {
        watchdog.close();
        await lease.release();
        throw error;
      }
      this.#current = worker;
      const next = await Promise.race([
        lease.lost.then((loss) => ({ kind: 'lost', loss }) as const),
        watchdog.exited.then(() => ({ kind: 'lost', loss: { holder: null, why: 'its watchdog process ended (killed?), so nothing guards the GPU should this worker freeze' } }) as const),
        this.#stopRequested.then((graceMs) => ({ kind: 'stop', graceMs }) as const),
      ]);
      if (next.kind === 'lost') {
        const { holder, why } = next.loss;
        log.error({ holder, why }, holder === null
          ? `stopping work on GPU ${gpu.index}: ${why}; a running trial is handed back, and a GPU claimed again`
          : `lost the lease of GPU ${gpu.index} to ${holder}; stopping work on it now (a running trial is handed back) and claiming a GPU again`);
        await worker.stop(0);
        watchdog.close();
        // Ours, if it only lapsed on this side: give it back rather than wait out its TTL.
        if (holder === null) await lease.release();
        else lease.abandon();
        this.#current = undefined;
        continue;
      }
      // A grace period must not outlast the lease: losing it meanwhile ends the trial at once.
      void lease.lost.then(() => worker.killNow());
      await worker.stop(next.graceMs);
      watchdog.close();
      await lease.release();
      return;
    }
  }
}
