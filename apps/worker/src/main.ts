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

/** After the grace: time to hand a killed trial back and post results, if Redis answers. */
const SAVE_MS = 5000;

let stopping = false;
let leaving = false;
function onSignal(signal: NodeJS.Signals): void {
  if (leaving) process.exit(130);
  if (stopping) {
    leaving = true;
    log.warn({ signal }, 'second signal: killing running trainers and exiting now');
    app.killNow();
    // Out of the registry on the way (1 s at most): a third signal exits without waiting.
    void app.forget(1000).finally(() => process.exit(130));
    return;
  }
  stopping = true;
  log.info({ signal, graceMs: config.graceMs }, 'stopping: no new trials');
  const stopped = app.stop(config.graceMs).then(
    () => process.exit(0),
    (error: unknown) => {
      log.error({ err: error }, 'error while stopping');
      process.exit(1);
    },
  );
  // Redis down: the hand-back and the results wait on it for ever. Past the grace and a few
  // seconds more, the worker goes without them and says what was not saved.
  void within(stopped, config.graceMs + SAVE_MS).then((outcome) => {
    if (outcome === 'done') return;
    app.killNow();
    const unsaved = app.unsaved();
    log.error({ unsaved, waitedMs: config.graceMs + SAVE_MS },
      `stopping without Redis (it did not answer within ${config.graceMs + SAVE_MS} ms of the stop): ` +
        (unsaved.length === 0 ? 'nothing of this worker\'s was waiting to be saved. ' : `not saved: ${unsaved.join('; ')}. A trial whose result or hand-back was lost runs again once its job's lock lapses. `) +
        'Any GPU lease and this worker\'s heartbeat lapse on their own');
    process.exit(1);
  });
}
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
