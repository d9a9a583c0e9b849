import type { Logger } from 'pino';
import { connectRedis, watchRedisRisks, within } from '@hyperevolve/runtime';
import type { ServeConfig } from '../config.js';
import { CampaignStore } from '../campaign/campaign-store.js';
import { compileAccessPolicy } from '../http/access-policy.js';
import { compileHostPolicy } from '../http/host-policy.js';
import { startDashboard, type Dashboard } from '../http/dashboard-server.js';
import { SchedulerMetrics } from '../metrics/scheduler-metrics.js';
import { EvolvePngFile } from '../plot/evolve-png-file.js';
import { PopulationPoints } from '../plot/population-points.js';
import { Notifier } from '../serve/notifier.js';
import { SchedulerService } from '../serve/scheduler-service.js';

/** How long a stop past its grace waits for Redis to answer a PING, to say whether Redis was the cause. */
const REDIS_CHECK_MS = 1000;

/** Runs until SIGTERM/SIGINT; a second signal exits at once. */
export async function serveCommand(config: ServeConfig, log: Logger): Promise<number> {
  if (config.http !== null) {
    compileAccessPolicy(config.http.host, config.httpToken, config.httpPublicRead);
    compileHostPolicy(config.http.host, config.http.allowedHosts);
  }
  const redis = await connectRedis({ target: config.redis, log, name: 'hyperevolve-scheduler' });
  // One store for the process: the service, the plots and the dashboard share its scripts and caches.
  const store = new CampaignStore(redis, config.prefix);
  const points = new PopulationPoints(redis, store);
  const evolvePng = new EvolvePngFile({ store, points, log: log.child({ part: 'evolve-png' }) });
  let metrics: SchedulerMetrics | null = null;
  const service = new SchedulerService({
    redis,
    prefix: config.prefix,
    store,
    log,
    lookahead: config.lookahead,
    tickMs: config.tickMs,
    reconcileMs: config.reconcileMs,
    exportIntervalMs: config.exportIntervalMs,
    resultsLockMs: config.resultsLockMs,
    resultsStalledMs: config.resultsStalledMs,
    extras: [evolvePng.extra],
    onRecorded: (event) => metrics?.observe(event),
  });
  evolvePng.onReady((name) => service.requestExport(name));
  await service.start();
  const notifier = config.notifyUrl === null ? null : new Notifier({ redis, store, url: config.notifyUrl, log: log.child({ part: 'notify' }), intervalMs: Math.max(config.tickMs, 500) });
  notifier?.start();
  // No append-only file, an evicting policy, Redis out of memory: said plainly, when seen and when gone.
  const stopRiskWatch = watchRedisRisks(redis, log.child({ part: 'redis' }), config.reconcileMs * 2);
  let dashboard: Dashboard | null = null;
  if (config.http !== null) {
    metrics = new SchedulerMetrics({ redis, store: service.store, queues: service.queues });
    try {
      dashboard = await startDashboard({ ...config.http, token: config.httpToken, publicRead: config.httpPublicRead, redis, store: service.store, queues: service.queues, points, metrics, log });
    } catch (error) {
      await service.stop();
      await notifier?.stop();
      redis.disconnect();
      throw error;
    }
  }
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
  stopRiskWatch();
  let step = 'closing the dashboard';
  const stopped = (async () => {
    await dashboard?.close();
    step = 'sending the webhook messages under way (--notify-url)';
    await notifier?.stop();
    // The service's last export draws each campaign's final evolve.png before it returns.
    step = 'service';
    await service.stop();
    evolvePng.close();
    step = 'closing the Redis connection';
    await redis.quit().catch(() => undefined);
  })();
  if ((await within(stopped, config.graceMs)) === 'done') return 0;
  // Past the grace: Redis down (the recording and exports wait on it for ever), or a step that
  // is merely slow (a big export on a loaded machine, a webhook that does not answer). Which
  // one is said: a healthy Redis must not be blamed.
  const late = step === 'service' ? service.stopStep : step;
  const redisAnswers = (await within(redis.ping(), REDIS_CHECK_MS).catch(() => 'late')) === 'done';
  const unsaved = service.unsaved();
  const cause = redisAnswers
    ? `while ${late} (Redis answers: it is not the cause; that step was too slow for the grace, give serve a longer --grace)`
    : `without Redis (it did not answer; the stop was ${late})`;
  log.error({ unsaved, graceMs: config.graceMs, step: late, redisAnswers },
    `stopped after --grace ${config.graceMs} ms ${cause}: ` +
      (unsaved.length === 0 ? 'nothing of this scheduler\'s was waiting to be saved. ' : `not saved: ${unsaved.join('; ')}. `) +
      'A result being recorded is recorded by the next serve (it stays in the results queue); files not rewritten are written by the next serve when it starts');
  process.exit(1);
}
