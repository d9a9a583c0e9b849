import { ConfigError, createLogger, within } from '@hyperevolve/runtime';
import { loadConfig } from './config.js';
import { WorkerApp } from './worker-app.js';

function fail(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`worker: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  throw error;
}

let loaded;
try {
  loaded = loadConfig();
} catch (error) {
  fail(error);
}
if (loaded.kind === 'help') {
  process.stdout.write(loaded.text);
  process.exit(0);
}
const config = loaded.config;
const log = createLogger('worker', config.logLevel, 1, config.logFormat);

process.on('unhandledRejection', (reason) => {
  log.error({ err: reason }, 'unhandled rejection (a bug); the worker keeps running');
});

let app: WorkerApp;
try {
  app = await WorkerApp.start(config, log);
} catch (error) {
  fail(error);
}

/** Once the running trainers have ended: time to post their results or hand them back, if Redis answers. */
const SAVE_MS = 5000;
/** After a second signal: time to hand the killed trials back and leave the registry, if Redis answers at once. */
const HAND_BACK_MS = 2000;

let stopped: Promise<void> | undefined;
let leaving = false;
function onSignal(signal: NodeJS.Signals): void {
  if (leaving) process.exit(130);
  if (stopped !== undefined) {
    leaving = true;
    log.warn({ signal }, 'second signal: killing the running trials, handing them back to the queue and exiting now');
    app.killNow();
    // The hand-back and leaving the registry, for HAND_BACK_MS at most (Redis may be gone); a
    // third signal exits without waiting. A trial not handed back runs again once its job's lock lapses.
    void within(Promise.all([stopped, app.forget(HAND_BACK_MS)]), HAND_BACK_MS).then((outcome) => {
      if (outcome === 'late') log.warn({ unsaved: app.unsaved() }, 'exiting before Redis answered; a trial not handed back runs again once its job\'s lock lapses');
      process.exit(130);
    });
    return;
  }
  log.info({ signal, grace: config.graceMs ?? 'unlimited' }, 'stopping: no new trials');
  stopped = app.stop(config.graceMs).then(
    () => process.exit(leaving ? 130 : 0),
    (error: unknown) => {
      log.error({ err: error }, 'error while stopping');
      process.exit(1);
    },
  );
  // Redis down: the results and the hand-backs wait on it for ever. Once the trainers have ended
  // (finished, or killed at the end of the grace) and a few seconds more, the worker goes without
  // them and says what was not saved.
  const running = stopped;
  void app.trainersEnded().then(() => within(running, SAVE_MS)).then((outcome) => {
    if (outcome === 'done' || leaving) return;
    app.killNow();
    const unsaved = app.unsaved();
    log.error({ unsaved, waitedMs: SAVE_MS },
      `stopping without Redis (it did not answer within ${SAVE_MS} ms of the trainers' end): ` +
        (unsaved.length === 0 ? 'nothing of this worker\'s was waiting to be saved. ' : `not saved: ${unsaved.join('; ')}. A trial whose result or hand-back was lost runs again once its job's lock lapses. `) +
        'Any GPU lease and this worker\'s heartbeat lapse on their own');
    process.exit(1);
  });
}
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
