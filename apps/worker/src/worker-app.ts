import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RESULTS_QUEUE } from '@hyperevolve/contract';
import { connectRedis, redactRedisUrl } from '@hyperevolve/runtime';
import type { WorkerConfig } from './config.js';
import { deviceLabel, resolveDevices } from './device-selection.js';
import { DeviceWorker } from './device-worker.js';
import { Heartbeat } from './heartbeat.js';
import { StartTrial } from './redis/start-trial.js';
import { ResultPoster } from './result-poster.js';
import { TrialProcessor } from './trial-processor.js';

/** The whole worker process: one Redis connection, the results queue, one DeviceWorker per device. */
export class WorkerApp {
  readonly #redis: Redis;
  readonly #results: Queue;
  readonly #devices: readonly DeviceWorker[];
  readonly #log: Logger;

  private constructor(redis: Redis, results: Queue, devices: readonly DeviceWorker[], log: Logger) {
    this.#redis = redis;
    this.#results = results;
    this.#devices = devices;
    this.#log = log;
  }

  /** Connects (ConfigError when Redis does not answer in time) and starts taking trials. */
  static async start(config: WorkerConfig, log: Logger): Promise<WorkerApp> {
    const redis = await connectRedis({ url: config.redisUrl, log, connectTimeoutMs: config.connectTimeoutMs, name: `hyperevolve-worker:${config.host}:${process.pid}` });
    const results = new Queue(RESULTS_QUEUE, { connection: redis, prefix: config.prefix });
    results.on('error', (error: Error) => log.warn({ err: error }, 'results queue problem; BullMQ keeps retrying'));
    const startTrial = new StartTrial(redis);
    const poster = new ResultPoster(results);
    const devices = await resolveDevices(config.devices);
    const workers = devices.map((device) => {
      const label = deviceLabel(device);
      const identity = { id: `${config.host}:${process.pid}:${label}`, host: config.host, device: label };
      const deviceLog = log.child({ device: label });
      const heartbeat = new Heartbeat({ redis, prefix: config.prefix, identity, intervalMs: config.heartbeatMs, log: deviceLog });
      const processor = new TrialProcessor({
        redis,
        prefix: config.prefix,
        workdir: config.workdir,
        cwd: config.cwd,
        trainerEnv: config.trainerEnv,
        allowList: config.allowList,
        device,
        identity,
        heartbeat,
        results: poster,
        startTrial,
        log: deviceLog,
      });
      return new DeviceWorker({ connection: redis, prefix: config.prefix, identity, processor, heartbeat, lockMs: config.lockMs, stalledMs: config.stalledMs, log: deviceLog });
    });
    log.info({
      redis: redactRedisUrl(config.redisUrl),
      prefix: config.prefix,
      devices: devices.map(deviceLabel),
      workdir: config.workdir,
      allow: config.allowList.describe(),
    }, 'worker started');
    for (const worker of workers) worker.start();
    return new WorkerApp(redis, results, workers, log);
  }

  /** Graceful stop: see DeviceWorker.stop; then the connections close. */
  async stop(graceMs: number): Promise<void> {
    await Promise.all(this.#devices.map((device) => device.stop(graceMs)));
    await this.#results.close();
    await this.#redis.quit().catch(() => this.#redis.disconnect());
    this.#log.info('worker stopped');
  }

  /** For a second signal: kill every running trainer group now; the process exits right after. */
  killNow(): void {
    for (const device of this.#devices) device.killNow();
  }
}
