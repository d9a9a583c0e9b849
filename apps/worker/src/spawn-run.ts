import type { Logger } from 'pino';
import type { DeviceState, TrialContext } from './trial-context.js';
import type { TrainerOutcome } from './trainer-outcome.js';
import { TrainerProcess, type TrainerOptions } from './trainer-process.js';

export interface SpawnSpec {
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  readonly logPath: string;
  readonly timeoutMs: number | null;
}

/**
 * Runs one trainer to its end: attached to the device's run control (which may stop it), told to
 * the lease watchdog, the stray watch and the trainer records while it runs. It starts once the
 * GPU is clear of other processes; a worker told to stop (even within its --grace, which is for
 * runs already going), or no longer holding its GPU, starts nothing: the run ends as interrupted.
 */
export async function spawnRun(context: TrialContext, state: DeviceState, spec: SpawnSpec, log: Logger): Promise<TrainerOutcome> {
  await context.strays?.clearToStart(() => !state.control.mayStart);
  if (!state.control.mayStart) return { kind: 'interrupted' };
  const guard = context.leaseGuard;
  if (guard !== undefined && !guard.held()) return { kind: 'interrupted' };
  const start = context.startTrainer ?? ((options: TrainerOptions) => TrainerProcess.start(options));
  const trainer = start({
    argv: spec.argv,
    env: { ...context.trainerEnv, ...spec.env },
    cwd: context.cwd,
    logPath: spec.logPath,
    timeoutMs: spec.timeoutMs,
    log,
    ...(context.killAfterMs === undefined ? {} : { killAfterMs: context.killAfterMs }),
    ...(context.logCapBytes === undefined ? {} : { logCapBytes: context.logCapBytes }),
    cgroups: context.cgroups,
  });
  const detach = state.control.attach(trainer);
  context.strays?.runStarted();
  if (trainer.run !== undefined) guard?.runStarted(trainer.run);
  const records = context.trainerRecords;
  const recorded = trainer.run === undefined || records === undefined
    ? undefined
    : records.started(trainer.run, spec.logPath).catch((error: unknown) => log.warn({ err: error }, 'could not record the running trainer (used to clean up after a killed worker)'));
  try {
    return await trainer.done;
  } finally {
    detach();
    guard?.runEnded();
    context.strays?.runEnded(trainer.leftovers ?? [], trainer.escaped === true ? trainer.pid : undefined);
    await recorded;
    await records?.ended().catch((error: unknown) => log.warn({ err: error }, 'could not remove the running-trainer record'));
  }
}
