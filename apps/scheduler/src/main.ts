import { createInterface } from 'node:readline/promises';
import { ConfigError, createLogger } from '@hyperevolve/runtime';
import { bestCommand } from './commands/best.js';
import { controlCommand } from './commands/control.js';
import { deleteCommand, type Confirm } from './commands/delete.js';
import { enqueueCommand } from './commands/enqueue.js';
import { exportCommand } from './commands/export.js';
import { listCommand } from './commands/list.js';
import { previewCommand } from './commands/preview.js';
import { serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { loadConfig, type SchedulerConfig } from './config.js';
import { CampaignError, CorruptStateError } from './errors.js';

const out = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
};
const err = (text: string): void => {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
};

async function run(config: SchedulerConfig): Promise<number> {
  if (config.verb === 'help') {
    out(config.text);
    return 0;
  }
  if (config.verb === 'preview') return previewCommand(config, out, err);
  // CLI verbs log to stderr, errors only unless asked (their messages say what went wrong); `serve` logs to stdout.
  const log = createLogger('scheduler', config.verb === 'serve' ? config.logLevel : (config.logLevel === 'info' ? 'error' : config.logLevel), config.verb === 'serve' ? 1 : 2, config.logFormat);
  switch (config.verb) {
    case 'serve':
      return serveCommand(config, log);
    case 'enqueue':
      return enqueueCommand(config, log, out);
    case 'status':
      return statusCommand(config, log, out, process.stdout.isTTY === true);
    case 'list':
      return listCommand(config, log, out);
    case 'best':
      return bestCommand(config, log, out);
    case 'export':
      return exportCommand(config, log, out);
    case 'pause':
    case 'resume':
    case 'cancel':
      return controlCommand({ ...config, verb: config.verb }, log, out);
    case 'delete':
      return deleteCommand(config, log, out, process.stdin.isTTY === true ? askOnTerminal : null);
  }
}

/** A yes/no question on the terminal: only y or yes (any case) is yes. */
const askOnTerminal: NonNullable<Confirm> = async (question) => {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
};

// `scheduler status --watch | head`: the reader leaving is the end of the output, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

/** Messages that already name their verb (`scheduler enqueue: …`) are not prefixed twice. */
const prefixed = (message: string): string => (message.startsWith('scheduler ') ? message : `scheduler: ${message}`);

try {
  process.exitCode = await run(loadConfig(process.argv.slice(2)));
} catch (error) {
  if (error instanceof ConfigError || error instanceof CampaignError) {
    err(prefixed(error.message));
    process.exitCode = error.exitCode;
  } else if (error instanceof CorruptStateError) {
    err(`scheduler: ${error.message}`);
    process.exitCode = 1;
  } else {
    err(`scheduler: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  }
}
