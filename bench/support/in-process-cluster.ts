import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { RESULTS_QUEUE } from '@hyperevolve/contract';
import { connectRedis } from '@hyperevolve/runtime';
import { SchedulerService } from '../../apps/scheduler/src/serve/scheduler-service.js';
import { AllowList } from '../../apps/worker/src/allow-list.js';
import { DeviceWorker } from '../../apps/worker/src/device-worker.js';
import { Heartbeat } from '../../apps/worker/src/heartbeat.js';
import { StartTrial } from '../../apps/worker/src/redis/start-trial.js';
import { ResultPoster } from '../../apps/worker/src/result-poster.js';
import { TrialProcessor } from '../../apps/worker/src/trial-processor.js';
import { createBenchCampaign } from './bench-campaign.js';
import { sleepingTrainer, type TrainerSpan } from './sleeping-trainer.js';

export const BENCH_TRAINER = 'bench-trainer';

/** `scheduler serve`'s defaults (apps/scheduler/src/config.ts). */
const SERVE_DEFAULTS = { lookahead: 1, tickMs: 250, reconcileMs: 3000, exportIntervalMs: 250 } as const;
/** The worker's defaults (apps/worker/src/config.ts). */
const WORKER_DEFAULTS = { lockMs: 30_000, stalledMs: 30_000, heartbeatMs: 2_000 } as const;
/** Devices sharing one Redis connection and results queue, as one `worker --devices 0,…,7` process does. */
const DEVICES_PER_HOST = 8;

export interface InProcessClusterOptions {
  redisUrl: string;
  prefix: string;
  workers: number;
  trialMs: number;
  /** Trial directories and exports go under it. */
  dir: string;
}

export interface CampaignRun {
  /** performance.now() when the campaign's last result was recorded (status done). */
  doneAt: number;
  spans: TrainerSpan[];
}

interface Host {
  redis: Redis;
  results: Queue;
  devices: DeviceWorker[];
}

/**
 * A whole installation in this process: the real SchedulerService (top-up, breeder, recorder,
 * reconciler, exporter) and W real device workers (BullMQ Worker, TrialProcessor, StartTrial,
 * ResultPoster, Heartbeat), grouped 8 to a connection like `worker --devices 0,…,7`. Only the
 * trainer is stubbed: it runs in-process ({@link sleepingTrainer}) instead of as a child process.
 */
export class InProcessCluster {
  readonly #options: InProcessClusterOptions;
  readonly #log: Logger;
  readonly #schedulerRedis: Redis;
  readonly #service: SchedulerService;
  readonly #hosts: Host[];
  readonly #spans: TrainerSpan[];
  readonly #waiting = new Map<string, (at: number) => void>();

  private constructor(options: InProcessClusterOptions, log: Logger, schedulerRedis: Redis, hosts: Host[], spans: TrainerSpan[], waiting: Map<string, (at: number) => void>, service: SchedulerService) {
    this.#options = options;
    this.#log = log;
    this.#schedulerRedis = schedulerRedis;
    this.#hosts = hosts;
    this.#spans = spans;
    this.#waiting = waiting;
    this.#service = service;
  }

  static async start(options: InProcessClusterOptions): Promise<InProcessCluster> {
    const log = pino({ level: 'silent' });
    const waiting = new Map<string, (at: number) => void>();
    const schedulerRedis = await connectRedis({ url: options.redisUrl, log, name: 'bench-scheduler' });
    const service = new SchedulerService({
      redis: schedulerRedis,
      prefix: options.prefix,
      log,
      ...SERVE_DEFAULTS,
      onRecorded: (event) => {
        if (event.reply.campaignStatus === 'done') waiting.get(event.campaign)?.(performance.now());
      },
    });
    const spans: TrainerSpan[] = [];
    const hosts: Host[] = [];
    for (let first = 0; first < options.workers; first += DEVICES_PER_HOST) {
      hosts.push(await startHost(options, log, hosts.length, first, Math.min(options.workers, first + DEVICES_PER_HOST), spans));
    }
    await service.start();
    for (const host of hosts) for (const device of host.devices) device.start();
    return new InProcessCluster(options, log, schedulerRedis, hosts, spans, waiting, service);
  }

  /** Creates a campaign of `generations` trials and resolves once all are recorded. */
  async run(name: string, generations: number, timeoutMs: number): Promise<CampaignRun> {
    const from = this.#spans.length;
    const done = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`campaign ${name} did not finish ${generations} trials within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.set(name, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
    await createBenchCampaign(this.#schedulerRedis, this.#options.prefix, {
      name,
      generations,
      command: [BENCH_TRAINER],
      adapter: 'generic',
      outDir: join(this.#options.dir, 'evolve'),
    });
    const doneAt = await done;
    this.#waiting.delete(name);
    return { doneAt, spans: this.#spans.slice(from) };
  }

  async stop(): Promise<void> {
    await Promise.all(this.#hosts.flatMap((host) => host.devices.map((device) => device.stop(0))));
    await this.#service.stop();
    for (const host of this.#hosts) {
      await host.results.close();
      await host.redis.quit().catch(() => host.redis.disconnect());
    }
    await this.#schedulerRedis.quit().catch(() => this.#schedulerRedis.disconnect());
    this.#log.flush();
  }
}

async function startHost(options: InProcessClusterOptions, log: Logger, host: number, first: number, end: number, spans: TrainerSpan[]): Promise<Host> {
  const redis = await connectRedis({ url: options.redisUrl, log, name: `bench-worker-${host}` });
  const results = new Queue(RESULTS_QUEUE, { connection: redis, prefix: options.prefix });
  results.on('error', () => undefined);
  const startTrial = new StartTrial(redis);
  const poster = new ResultPoster(results);
  const devices: DeviceWorker[] = [];
  for (let index = first; index < end; index++) {
    const identity = { id: `bench-${host}:${index}`, host: `bench-${host}`, device: String(index) };
    const heartbeat = new Heartbeat({ redis, prefix: options.prefix, identity, intervalMs: WORKER_DEFAULTS.heartbeatMs, log });
    const processor = new TrialProcessor({
      redis,
      prefix: options.prefix,
      workdir: join(options.dir, 'trials'),
      cwd: options.dir,
      trainerEnv: {},
      allowList: AllowList.of([BENCH_TRAINER]),
      device: { kind: 'gpu', index },
      identity,
      heartbeat,
      results: poster,
      startTrial,
      log,
      startTrainer: sleepingTrainer(options.trialMs, identity.id, spans),
    });
    devices.push(new DeviceWorker({ connection: redis, prefix: options.prefix, identity, processor, heartbeat, lockMs: WORKER_DEFAULTS.lockMs, stalledMs: WORKER_DEFAULTS.stalledMs, log }));
  }
  return { redis, results, devices };
}
