import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { RESULTS_QUEUE, encodeAllowedCommands } from '@hyperevolve/contract';
import { connectRedis, describeRedisTarget, UnsavedWrites, watchRedisRisks, type RedisClient } from '@hyperevolve/runtime';
import { ArtifactKeeper } from './artifacts/artifact-keeper.js';
import type { WorkerConfig } from './config.js';
import { deviceLabel, type Device } from './device-selection.js';
import { DeviceSlot } from './device-slot.js';
import { DeviceWorker } from './device-worker.js';
import { GpuClaimer } from './gpu/gpu-claimer.js';
import type { LeaseGuard } from './gpu/lease-guard.js';
import { planDevices, type SlotPlan } from './gpu/plan-devices.js';
import { queryGpuProcesses } from './gpu/query-gpu-processes.js';
import { queryGpus } from './gpu/query-gpus.js';
import { Heartbeat } from './heartbeat.js';
import { RunCgroups } from './containment/run-cgroups.js';
import { sweepOrphanedTrainers, TrainerRecords } from './orphans/trainer-records.js';
import { TrialStore } from '@hyperevolve/trial-store';
import { StrayWatch } from './stray-watch.js';
import { ResultReporter } from './result-reporter.js';
import { TrialProcessor } from './trial-processor.js';

/**
 * The whole worker process: one Redis connection, the results queue, and one DeviceSlot per
 * device (a GPU claimed by lease, a pinned GPU, or the CPU), each running a DeviceWorker.
 */
export class WorkerApp {
  readonly #redis: RedisClient;
  readonly #results: Queue;
  readonly #slots: readonly DeviceSlot[];
  readonly #log: Logger;
  readonly #unsaved: UnsavedWrites;
  readonly #artifacts: ArtifactKeeper;

  private constructor(redis: RedisClient, results: Queue, slots: readonly DeviceSlot[], log: Logger, unsaved: UnsavedWrites, artifacts: ArtifactKeeper) {
    this.#unsaved = unsaved;
    this.#artifacts = artifacts;
    this.#redis = redis;
    this.#results = results;
    this.#slots = slots;
    this.#log = log;
  }

  /**
   * Finds the devices (ConfigError when `auto` finds no GPU), connects (ConfigError when Redis
   * does not answer in time) and starts each slot: a GPU slot claims its GPU first, which may
   * mean waiting for one to free up.
   */
  static async start(config: WorkerConfig, log: Logger): Promise<WorkerApp> {
    const plans = await planDevices({ selection: config.devices, query: () => queryGpus(), cudaVisibleDevices: config.cudaVisibleDevices, log });
    const redis = await connectRedis({ target: config.redis, log, connectTimeoutMs: config.connectTimeoutMs, name: `hyperevolve-worker:${config.host}:${process.pid}` });
    const results = new Queue(RESULTS_QUEUE, { connection: redis, prefix: config.prefix });
    results.on('error', (error: Error) => log.warn({ err: error }, 'results queue problem; BullMQ keeps retrying'));
    const trials = new TrialStore(redis, config.prefix);
    const unsaved = new UnsavedWrites();
    const reporter = new ResultReporter(results, trials, unsaved);
    const cgroups = config.trainerCgroups ? RunCgroups.detect(log) : undefined;
    const artifacts = new ArtifactKeeper({ redis, prefix: config.prefix, trials, workdir: config.workdir, host: config.host, intervalMs: config.artifactSweepMs, log: log.child({ part: 'artifacts' }) });
    // The lease names this process, not only its worker id: containers that share a host name
    // (HYPEREVOLVE_HOST) can share pids too, and a paused worker must not renew another's lease.
    const instance = randomBytes(4).toString('hex');
    const claimer = plans.some((plan) => plan.kind === 'leased')
      ? new GpuClaimer({
        redis,
        prefix: config.prefix,
        holderFor: (gpu) => `${workerId(config, { kind: 'gpu', index: gpu.index })}#${instance}`,
        ttlMs: config.gpuLeaseMs,
        skipBusyMiB: config.skipBusyGpusMiB,
        refresh: async () => {
          const query = await queryGpus();
          if (query.kind === 'listed') return query.gpus;
          log.warn({ problem: query.kind === 'failed' ? query.message : 'nvidia-smi is gone' }, 'could not re-read GPU memory use; judging by the last reading');
          return undefined;
        },
        log,
      })
      : undefined;

    const startDevice = async (device: Device, gpuUuid: string | undefined, leaseGuard: LeaseGuard | undefined): Promise<DeviceWorker> => {
      const label = deviceLabel(device);
      const identity = { id: workerId(config, device), host: config.host, device: label, ...(gpuUuid === undefined ? {} : { gpuUuid }) };
      const deviceLog = log.child({ device: label });
      const trainerRecords = new TrainerRecords({ workdir: config.workdir, host: config.host, device: label, gpuUuid, log: deviceLog });
      await trainerRecords.sweep();
      const heartbeat = new Heartbeat({ redis, prefix: config.prefix, identity, allow: encodeAllowedCommands(config.allowList.allowed), intervalMs: config.heartbeatMs, log: deviceLog });
      const strays = new StrayWatch({
        heartbeat,
        gpuUuid,
        queryGpuProcesses: () => queryGpuProcesses(),
        intervalMs: config.heartbeatMs * 5,
        log: deviceLog,
      });
      const processor = new TrialProcessor({
        redis,
        prefix: config.prefix,
        workdir: config.workdir,
        cwd: config.cwd,
        trainerEnv: config.trainerEnv,
        offline: config.offline,
        allowList: config.allowList,
        device,
        identity,
        heartbeat,
        results: reporter,
        trials,
        trainerRecords,
        logCapBytes: config.logCapBytes,
        cgroups,
        strays,
        leaseGuard,
        artifacts,
        unsaved,
        log: deviceLog,
      });
      const worker = new DeviceWorker({ connection: redis, prefix: config.prefix, identity, processor, heartbeat, strays, lockMs: config.lockMs, stalledMs: config.stalledMs, log: deviceLog });
      worker.start();
      return worker;
    };

    await sweepOrphanedTrainers({ workdir: config.workdir, host: config.host, device: undefined, log });
    const slots = plans.map((plan, position) => new DeviceSlot({ plan, claimer, startDevice, log: plans.length === 1 ? log : log.child({ slot: position }) }));
    log.info({
      redis: describeRedisTarget(config.redis),
      prefix: config.prefix,
      devices: plans.map(describePlan),
      ...(claimer === undefined ? {} : { gpuLeaseMs: config.gpuLeaseMs, skipBusyGpusMiB: config.skipBusyGpusMiB }),
      workdir: config.workdir,
      allow: config.allowList.describe(),
      trainerCgroups: cgroups !== undefined,
    }, 'worker started');
    for (const slot of slots) slot.start();
    artifacts.start();
    // In the background: a workdir of many campaigns must not hold up the first trial.
    artifacts.adopt().catch((error: unknown) => log.warn({ err: error }, 'could not look at the campaigns already in the workdir'));
    watchRedisRisks(redis, log.child({ part: 'redis' }), config.heartbeatMs * 5);
    return new WorkerApp(redis, results, slots, log, unsaved, artifacts);
  }

  /**
   * Graceful stop: see DeviceWorker.stop (`graceMs` null: running trials take as long as they
   * take); GPU leases are released once their trainers are gone; then the connections close.
   */
  async stop(graceMs: number | null): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.stop(graceMs)));
    this.#artifacts.stop();
    await this.#results.close();
    await this.#redis.quit().catch(() => this.#redis.disconnect());
    this.#log.info('worker stopped');
  }

  /** Resolves once no trainer runs on any device (after a stop, none starts again). */
  async trainersEnded(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.trainerEnded()));
  }

  /** Writes to Redis still under way (results, hand-backs): what a stop that cannot wait loses. */
  unsaved(): string[] {
    return this.#unsaved.list();
  }

  /** For a second signal: kill every running trainer group now; the process exits right after. */
  killNow(): void {
    for (const slot of this.#slots) slot.killNow();
  }

  /**
   * For a second signal, after killNow: leave the worker registry (at most `waitMs`), so
   * `status` does not list this process as a SILENT worker for an hour.
   */
  async forget(waitMs: number): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.forget(waitMs)));
  }
}

/** `<host>:<pid>:<device>`: the device-worker's id in heartbeats, results and GPU leases. */
function workerId(config: WorkerConfig, device: Device): string {
  return `${config.host}:${process.pid}:${deviceLabel(device)}`;
}

function describePlan(plan: SlotPlan): string {
  if (plan.kind === 'fixed') return deviceLabel(plan.device);
  return plan.choices.length === 1 ? `GPU ${plan.choices[0]?.index ?? '?'} (leased)` : `any of GPU ${plan.choices.map((gpu) => gpu.index).join(',')} (leased)`;
}
