// Wiring only: flags → config → one simulated run; errors become exit codes (2 misuse, 1 failed run).
import { HELP, parseSimTrainArgs } from './config.js';
import { runTrial, TrialError } from './run-trial.js';
import { UsageError } from './usage-error.js';

try {
  const parsed = parseSimTrainArgs(process.argv.slice(2));
  if (parsed.help) {
    process.stdout.write(HELP);
  } else {
    await runTrial(parsed.config, (line) => process.stdout.write(`${line}\n`));
  }
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`sim-train: error: ${error.message}\nRun 'sim-train --help' for the flags.\n`);
    process.exitCode = error.exitCode;
  } else if (error instanceof TrialError) {
    process.stderr.write(`sim-train: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
