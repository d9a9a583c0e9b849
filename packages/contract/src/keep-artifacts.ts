import { z } from 'zod';

/**
 * What a campaign keeps of its trials' run directories (`enqueue --keep-artifacts`):
 * `all` everything the trainer wrote, as before this setting; `best` the weights of the `top`
 * trials by fitness; `none` no weights at all. Under `best` and `none` the trainer is also told
 * not to plot (where its profile knows how), and the worker that ran a trial deletes its
 * weights, plots and other large files once its result is recorded and it is not (or no longer)
 * among the kept. hyp.yaml, command.txt, train.log, results.csv and the other small files stay.
 */
export const KEEP_ARTIFACT_MODES = ['none', 'best', 'all'] as const;
export type KeepArtifactMode = (typeof KEEP_ARTIFACT_MODES)[number];

/** `best` without a count keeps this many trials' weights. */
export const DEFAULT_KEEP_TOP = 3;

export const KeepArtifactsSchema = z.object({
  mode: z.enum(KEEP_ARTIFACT_MODES),
  /** With `best`: how many of the fittest trials keep their weights. */
  top: z.number().int().min(1).max(100_000),
});
export type KeepArtifacts = z.infer<typeof KeepArtifactsSchema>;

/** The default of new campaigns. */
export const DEFAULT_KEEP_ARTIFACTS: KeepArtifacts = Object.freeze({ mode: 'best', top: DEFAULT_KEEP_TOP });

/**
 * What campaigns and trial jobs stored before the setting existed keep: everything, as they did
 * then (an upgrade deletes no weights nobody asked to delete).
 */
export const KEPT_BEFORE_THE_SETTING: KeepArtifacts = Object.freeze({ mode: 'all', top: DEFAULT_KEEP_TOP });

/** `none`, `best` (top {@link DEFAULT_KEEP_TOP}), `best:K` or `all`; a string naming the problem when it is none of them. */
export function parseKeepArtifacts(text: string): KeepArtifacts | string {
  const match = /^(none|best|all)(?::(\d+))?$/.exec(text.trim());
  if (match === null) return `${JSON.stringify(text)} is not none, best, best:K or all`;
  const mode = match[1] as KeepArtifactMode;
  if (match[2] !== undefined && mode !== 'best') return `only best takes a count (best:5); ${mode} keeps ${mode === 'all' ? 'every' : 'no'} trial's weights`;
  const top = match[2] === undefined ? DEFAULT_KEEP_TOP : Number(match[2]);
  if (top < 1 || top > 100_000) return `best:${match[2] ?? ''} must keep 1 to 100000 trials`;
  return { mode, top: mode === 'best' ? top : DEFAULT_KEEP_TOP };
}

/** The setting as `--keep-artifacts` spells it: `best:3`, `none`, `all`. */
export function describeKeepArtifacts(keep: KeepArtifacts): string {
  return keep.mode === 'best' ? `best:${keep.top}` : keep.mode;
}
