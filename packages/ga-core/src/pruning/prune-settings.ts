import { GaInputError } from '../ga-input-error.js';
import { PRUNE_RULES, type PruneRuleName } from './prune-rule.js';

/** `--prune` values: `none` (the default: every trial runs to its last epoch, YOLOv5's GA as it is) or a rule. */
export const PRUNE_MODES = ['none', ...(Object.keys(PRUNE_RULES) as PruneRuleName[])] as const;
export type PruneMode = 'none' | PruneRuleName;

/** `--prune-eta` when none is given: ASHA keeps the top third; default rungs are spaced by it. */
export const DEFAULT_PRUNE_ETA = 3;

/**
 * How many *other* trials must have reached a rung before a trial there can be pruned. Five:
 * the median (or top third) of fewer is mostly the noise of one or two runs, and Optuna's
 * MedianPruner waits for five startup trials too. With W workers starting together the first
 * W trials reach each rung nearly at once, so in practice pruning starts after about W + 5.
 */
export const MIN_PEERS_AT_RUNG = 5;

/** Pruning as a campaign runs it: a mode, the rungs (in epochs done, ascending) and η. */
export interface PruneSettings {
  readonly mode: PruneMode;
  /** Epoch counts after which a trial is compared: 1 is "after its first epoch". Empty for `none`. */
  readonly rungs: readonly number[];
  readonly eta: number;
  /** See {@link MIN_PEERS_AT_RUNG}. */
  readonly minPeers: number;
}

/** What the user gave (`--prune`, `--prune-rungs`, `--prune-eta`), before defaults. */
export interface PruneRequest {
  readonly mode: PruneMode;
  readonly rungs?: readonly number[] | undefined;
  readonly eta?: number | undefined;
}

export const NO_PRUNING: PruneSettings = Object.freeze({ mode: 'none', rungs: Object.freeze([]), eta: DEFAULT_PRUNE_ETA, minPeers: MIN_PEERS_AT_RUNG });

/**
 * The default rungs of a trainer that runs `epochs` epochs: ⌊epochs/η^k⌉ for k = 1, 2, …
 * down to 1, ascending, without repeats — successive halving's geometric spacing, so each rung
 * costs about 1/η of the next. 10 epochs, η = 3 → [1, 3]; 300 → [1, 4, 11, 33, 100];
 * 2 → [1]; 1 → [] (no epoch before the last).
 */
export function defaultRungs(epochs: number, eta: number = DEFAULT_PRUNE_ETA): number[] {
  const rungs = new Set<number>();
  for (let at = epochs / eta; Math.round(at) >= 1; at /= eta) {
    const rung = Math.round(at);
    if (rung < epochs) rungs.add(rung);
  }
  return [...rungs].sort((a, b) => a - b);
}

/**
 * Compiles the user's request: checks it, fills the rungs from the trainer's `epochs` when none
 * are given. `epochs` is undefined when the training command does not say; then rungs must be
 * given. GaInputError names the flag and the fix.
 */
export function compilePruning(request: PruneRequest, epochs: number | undefined): PruneSettings {
  if (!(PRUNE_MODES as readonly string[]).includes(request.mode)) {
    throw new GaInputError(`--prune must be one of ${PRUNE_MODES.join(', ')}, got ${JSON.stringify(request.mode)}`, { where: '--prune' });
  }
  const eta = request.eta ?? DEFAULT_PRUNE_ETA;
  if (!Number.isFinite(eta) || eta <= 1) {
    throw new GaInputError(`--prune-eta must be a number above 1 (3 keeps the top third at each rung), got ${eta}`, { where: '--prune-eta' });
  }
  if (epochs !== undefined && (!Number.isInteger(epochs) || epochs < 1)) {
    throw new GaInputError(`the trainer's epoch count must be a whole number ≥ 1, got ${epochs}`, { where: '--epochs' });
  }
  if (request.mode === 'none') {
    if (request.rungs !== undefined && request.rungs.length > 0) {
      throw new GaInputError('--prune-rungs needs --prune median or --prune asha: with --prune none (the default) no trial is compared at a rung', { where: '--prune-rungs' });
    }
    return { ...NO_PRUNING, eta };
  }
  if (request.rungs === undefined && epochs === undefined) {
    throw new GaInputError(
      `--prune ${request.mode} needs rungs: give --prune-rungs (epochs after which trials are compared, e.g. 1,3) or put the epoch count in the training command (--epochs 10, epochs=10)`,
      { where: '--prune-rungs' },
    );
  }
  const rungs = request.rungs === undefined ? defaultRungs(epochs ?? 0, eta) : checkRungs(request.rungs, epochs);
  if (rungs.length === 0) {
    throw new GaInputError(
      `--prune ${request.mode}: a trainer that runs ${epochs} epoch${epochs === 1 ? '' : 's'} has no epoch to compare trials at before its last; train for more epochs or use --prune none`,
      { where: '--prune' },
    );
  }
  return { mode: request.mode, rungs, eta, minPeers: MIN_PEERS_AT_RUNG };
}

function checkRungs(rungs: readonly number[], epochs: number | undefined): number[] {
  const where = '--prune-rungs';
  if (rungs.length === 0) throw new GaInputError('--prune-rungs must list at least one epoch, like 1,3', { where });
  rungs.forEach((rung, i) => {
    if (!Number.isInteger(rung) || rung < 1) {
      throw new GaInputError(`--prune-rungs: ${rung} is not an epoch count; rungs are whole numbers ≥ 1 (1 = after the first epoch), like 1,3`, { where });
    }
    const previous = rungs[i - 1];
    if (previous !== undefined && rung <= previous) {
      throw new GaInputError(`--prune-rungs must be ascending without repeats, like 1,3,9; got ${rungs.join(',')}`, { where });
    }
    if (epochs !== undefined && rung >= epochs) {
      throw new GaInputError(
        `--prune-rungs: rung ${rung} is not before the last epoch (the trainer runs ${epochs}); a trial that reached its last epoch has nothing left to save: use rungs below ${epochs}`,
        { where },
      );
    }
  });
  return [...rungs];
}
