import { TrialFailure } from './trial-failure.js';
import type { TrainerOutcome } from './trainer-outcome.js';

export interface ClassifyContext {
  /** argv[0] of the trainer, for spawn errors. */
  program: string;
  host: string;
}

/** The failure a trainer's ending means, or undefined when it exited 0 and metrics should be read. */
export function classifyOutcome(outcome: Exclude<TrainerOutcome, { kind: 'pruned' }>, context: ClassifyContext): TrialFailure | undefined {
  switch (outcome.kind) {
    case 'exited':
      if (outcome.exitCode === 0) return undefined;
      return new TrialFailure('exit-code', `the trainer exited with code ${outcome.exitCode}`);
    case 'signalled': {
      const hint = outcome.signal === 'SIGKILL' ? ' (the kernel\'s out-of-memory killer sends SIGKILL; check dmesg and the batch size)' : '';
      return new TrialFailure('signal', `the trainer was killed by ${outcome.signal}${hint}`);
    }
    case 'timed-out':
      return new TrialFailure('timeout', `the trainer ran past the campaign's trial timeout of ${formatMs(outcome.timeoutMs)}; its whole process group was killed`);
    case 'stalled':
      return new TrialFailure('stalled', `the trainer reported no new epoch for ${formatMs(outcome.stallMs)} (the campaign's --stall-timeout): a hung data loader or collective? its whole process group was killed`);
    case 'interrupted':
      return new TrialFailure('interrupted', 'the worker was stopped during the run; the trial goes back to the queue without counting an attempt');
    case 'spawn-error':
      return new TrialFailure('spawn-error', spawnMessage(outcome, context));
  }
}

function spawnMessage(outcome: { code: string | undefined; message: string }, context: ClassifyContext): string {
  const program = JSON.stringify(context.program);
  switch (outcome.code) {
    case 'ENOENT':
      return `the command ${program} was not found on the PATH of the worker on ${context.host}; install it there or give an absolute path in the campaign's command`;
    case 'EACCES':
      return `the command ${program} is not executable for the worker on ${context.host} (EACCES); check its permissions`;
    default:
      return `the worker on ${context.host} could not start ${program}: ${outcome.message}`;
  }
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}
