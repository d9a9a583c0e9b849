import { GaInputError } from '../ga-input-error.js';
import { PRUNE_RULES, type PruneRuleName } from './prune-rule.js';

/** `--prune-eta` when neither it nor the preset gives one: ASHA keeps the top third; default rungs are spaced by it. */
export const DEFAULT_PRUNE_ETA = 3;

/** A `--prune` mode: the rule it applies and what it fills in when the flags do not say. */
export interface PrunePreset {
  readonly rule: PruneRuleName;
  /** One line for `--help` and the docs. */
  readonly summary: string;
  readonly eta: number;
  /** The rungs; `epoch-count`: from the trainer's epoch count, spaced by η (see defaultRungs). */
  readonly rungs: 'epoch-count' | readonly number[];
  /** The runs a trial is judged against at a rung: the last `window` that reached it. */
  readonly window: number;
}

/**
 * The `--prune` modes beside `none` (the default: every trial runs to its last epoch). Their
 * windows and η were chosen on the pruning benchmark's first seed set and checked on a second
 * (docs/benchmarks.md): an evolving population beats its own past, so a rung that compares a run
 * with every run that ever reached it cuts too little late in a campaign, and one odd report
 * would stay in the comparison for good.
 */
export const PRUNE_PRESETS = {
  median: { rule: 'median', summary: 'stop a run below the median of the last 16 runs at a rung (rungs from the epoch count)', eta: DEFAULT_PRUNE_ETA, rungs: 'epoch-count', window: 16 },
  asha: { rule: 'asha', summary: 'keep the top 1/3 of the last 16 runs at each rung (rungs from the epoch count, eta 3)', eta: DEFAULT_PRUNE_ETA, rungs: 'epoch-count', window: 16 },
  fast: { rule: 'asha', summary: 'one rung after the first epoch: keep the top 1/6 of the last 32 runs there (for trainers whose first epoch predicts the end)', eta: 6, rungs: [1], window: 32 },
} as const satisfies Record<string, PrunePreset>;

export type PruneMode = 'none' | keyof typeof PRUNE_PRESETS;
export const PRUNE_MODES = ['none', ...(Object.keys(PRUNE_PRESETS) as (keyof typeof PRUNE_PRESETS)[])] as const;

/**
 * How many *other* trials must have reached a rung before a trial there can be pruned. Five:
 * the median (or top third) of fewer is mostly the noise of one or two runs, and Optuna's
 * MedianPruner waits for five startup trials too. With W workers starting together the first
 * W trials reach each rung nearly at once, so in practice pruning starts after about W + 5.
 */
export const MIN_PEERS_AT_RUNG = 5;

/** Pruning as a campaign runs it: a mode, the rungs (in epochs done, ascending), η and the window. */
export interface PruneSettings {
  readonly mode: PruneMode;
  /** Epoch counts after which a trial is compared: 1 is "after its first epoch". Empty for `none`. */
  readonly rungs: readonly number[];
  readonly eta: number;
  /** See {@link MIN_PEERS_AT_RUNG}. */
  readonly minPeers: number;
  /**
   * A trial at a rung is judged against the last `window` other trials that reached it before it,
   * in arrival order. null: against every trial that ever reached it, in any order (`--prune-window
   * all`, and every campaign created before windows: they read and decide as they always did).
   */
  readonly window: number | null;
}

/** What the user gave (`--prune`, `--prune-rungs`, `--prune-eta`, `--prune-window`), before defaults. */
export interface PruneRequest {
  readonly mode: PruneMode;
  readonly rungs?: readonly number[] | undefined;
  readonly eta?: number | undefined;
  /** `all`: every trial that reached the rung (the rule before windows). */
  readonly window?: number | 'all' | undefined;
}

export const NO_PRUNING: PruneSettings = Object.freeze({ mode: 'none', rungs: Object.freeze([]), eta: DEFAULT_PRUNE_ETA, minPeers: MIN_PEERS_AT_RUNG, window: null });

/** The rule a mode applies; undefined for `none`. */
export function pruneRuleOf(mode: PruneMode): (typeof PRUNE_RULES)[PruneRuleName] | undefined {
  return mode === 'none' ? undefined : PRUNE_RULES[PRUNE_PRESETS[mode].rule];
}

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
 * Compiles the user's request: checks it, fills in the preset's η, rungs and window where the
 * flags do not say (default rungs from the trainer's `epochs`). `epochs` is undefined when the
 * training command does not say; then rungs must be given (or be the preset's). GaInputError
 * names the flag and the fix.
 */
export function compilePruning(request: PruneRequest, epochs: number | undefined): PruneSettings {
  if (!(PRUNE_MODES as readonly string[]).includes(request.mode)) {
    throw new GaInputError(`--prune must be one of ${PRUNE_MODES.join(', ')}, got ${JSON.stringify(request.mode)}`, { where: '--prune' });
  }
  const preset = request.mode === 'none' ? undefined : PRUNE_PRESETS[request.mode];
  const eta = request.eta ?? preset?.eta ?? DEFAULT_PRUNE_ETA;
  if (!Number.isFinite(eta) || eta <= 1) {
    throw new GaInputError(`--prune-eta must be a number above 1 (3 keeps the top third at each rung), got ${eta}`, { where: '--prune-eta' });
  }
  if (epochs !== undefined && (!Number.isInteger(epochs) || epochs < 1)) {
    throw new GaInputError(`the trainer's epoch count must be a whole number ≥ 1, got ${epochs}`, { where: '--epochs' });
  }
  const window = checkWindow(request.window, preset?.window ?? null);
  if (preset === undefined) {
    if (request.rungs !== undefined && request.rungs.length > 0) {
      throw new GaInputError(`--prune-rungs needs --prune ${PRUNE_MODES.slice(1).join('|')}: with --prune none (the default) no trial is compared at a rung`, { where: '--prune-rungs' });
    }
    return { ...NO_PRUNING, eta };
  }
  const rungs = request.rungs !== undefined ? checkRungs(request.rungs, epochs) : presetRungs(request.mode, preset, epochs, eta);
  if (rungs.length === 0) {
    throw new GaInputError(
      `--prune ${request.mode}: a trainer that runs ${epochs} epoch${epochs === 1 ? '' : 's'} has no epoch to compare trials at before its last; train for more epochs or use --prune none`,
      { where: '--prune' },
    );
  }
  return { mode: request.mode, rungs, eta, minPeers: MIN_PEERS_AT_RUNG, window };
}

function presetRungs(mode: PruneMode, preset: PrunePreset, epochs: number | undefined, eta: number): number[] {
  if (preset.rungs !== 'epoch-count') return epochs === undefined ? [...preset.rungs] : preset.rungs.filter((rung) => rung < epochs);
  if (epochs === undefined) {
    throw new GaInputError(
      `--prune ${mode} needs rungs: give --prune-rungs (epochs after which trials are compared, e.g. 1,3) or put the epoch count in the training command (--epochs 10, epochs=10)`,
      { where: '--prune-rungs' },
    );
  }
  return defaultRungs(epochs, eta);
}

function checkWindow(window: PruneRequest['window'], preset: number | null): number | null {
  if (window === undefined) return preset;
  if (window === 'all') return null;
  if (!Number.isInteger(window) || window < MIN_PEERS_AT_RUNG) {
    throw new GaInputError(
      `--prune-window must be a whole number ≥ ${MIN_PEERS_AT_RUNG} (a rung waits for ${MIN_PEERS_AT_RUNG} other runs) or all, got ${window}; e.g. --prune-window 16`,
      { where: '--prune-window' },
    );
  }
  return window;
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
