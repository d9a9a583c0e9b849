import type { Logger } from 'pino';
import { connectRedis } from '@hyperevolve/runtime';
import type { ServeConfig } from '../config.js';
import { SchedulerService } from '../serve/scheduler-service.js';

/** Runs until SIGTERM/SIGINT; a second signal exits at once. */
export async function serveCommand(config: ServeConfig, log: Logger): Promise<number> {
  const redis = await connectRedis({ url: config.redisUrl, log, name: 'hyperevolve-scheduler' });
  const service = new SchedulerService({
    redis,
    prefix: config.prefix,
    log,
    lookahead: config.lookahead,
    tickMs: config.tickMs,
    reconcileMs: config.reconcileMs,
    exportIntervalMs: config.exportIntervalMs,
    resultsLockMs: config.resultsLockMs,
    resultsStalledMs: config.resultsStalledMs,
  });
  await service.start();
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals += 1;
      if (signals > 1) process.exit(130);
      log.info({ signal }, 'stopping: finishing the recording and file writes under way');
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  await service.stop();
  await redis.quit().catch(() => undefined);
  return 0;
}
