import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { RESULTS_QUEUE, encodeAllowedCommands } from '@hyperevolve/contract';
import { connectRedis, type RedisTarget } from '@hyperevolve/runtime';
import { AllowList } from '../../apps/worker/src/allow-list.js';
import { loadConfig } from '../../apps/worker/src/config.js';
import { DeviceWorker } from '../../apps/worker/src/device-worker.js';
import { Heartbeat } from '../../apps/worker/src/heartbeat.js';
import { TrialStore } from '@hyperevolve/trial-store';
import { ResultReporter } from '../../apps/worker/src/result-reporter.js';
import { TrialProcessor } from '../../apps/worker/src/trial-processor.js';
import { sleepingTrainer, type TrainerSpan } from './sleeping-trainer.js';

export const BENCH_TRAINER = 'bench-trainer';

/** The worker's defaults (apps/worker/src/config.ts). */
/** The worker's defaults (lock, stalled check, heartbeat), from its option table. */
const WORKER_DEFAULTS = (() => {
  const loaded = loadConfig(['--device', 'cpu', '--allow-any-command'], {});
  if (loaded.kind !== 'run') throw new Error('worker flags did not parse');
  return loaded.config;
})();

export interface DeviceHostOptions {
  redis: RedisTarget | string;
  prefix: string;
  /** Host name in worker ids: `<host>:<device>`. */
  host: string;
  devices: number[];
  trialMs: number;
  /** Trial directories go under `<dir>/trials`. */
  dir: string;
}

export interface DeviceHost {
  readonly spans: TrainerSpan[];
  stop(): Promise<void>;
}

/**
 * What `worker --devices 0,…,7` runs: one Redis connection and results queue, and per device
 * a real DeviceWorker (BullMQ Worker, TrialProcessor, start-trial, ResultReporter, Heartbeat), with
 * the in-process {@link sleepingTrainer} in place of a trainer process.
 */
export async function startDeviceHost(options: DeviceHostOptions, log: Logger): Promise<DeviceHost> {
  const redis = await connectRedis({ target: options.redis, log, name: `bench-worker-${options.host}` });
  const results = new Queue(RESULTS_QUEUE, { connection: redis, prefix: options.prefix });
  results.on('error', () => undefined);
  const trials = new TrialStore(redis, options.prefix);
  const reporter = new ResultReporter(results, trials);
  const spans: TrainerSpan[] = [];
  const allowList = AllowList.of([BENCH_TRAINER]);
  const devices = options.devices.map((index) => {
    const identity = { id: `${options.host}:${index}`, host: options.host, device: String(index) };
    const heartbeat = new Heartbeat({ redis, prefix: options.prefix, identity, allow: encodeAllowedCommands(allowList.allowed), intervalMs: WORKER_DEFAULTS.heartbeatMs, log });
    const processor = new TrialProcessor({
      redis,
      prefix: options.prefix,
      workdir: join(options.dir, 'trials'),
      cwd: options.dir,
      trainerEnv: {},
      allowList,
      device: { kind: 'gpu', index },
      identity,
      heartbeat,
      results: reporter,
      trials,
      log,
      startTrainer: sleepingTrainer(options.trialMs, identity.id, spans),
    });
    return new DeviceWorker({ connection: redis, prefix: options.prefix, identity, processor, heartbeat, lockMs: WORKER_DEFAULTS.lockMs, stalledMs: WORKER_DEFAULTS.stalledMs, log });
  });
  for (const device of devices) device.start();
  return {
    spans,
    stop: async () => {
      await Promise.all(devices.map((device) => device.stop(0)));
      await results.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
