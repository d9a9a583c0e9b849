import { z } from 'zod';
import { GaInputError } from '../ga-input-error.js';
import { paramsListing } from '../plugin-params.js';
import type { PruneContext, PruneParamDoc, PruneRule } from './prune-rule.js';
import { MIN_PEERS_AT_RUNG, defaultRungs, type PruneSettings } from './prune-settings.js';

/** A rule's defaults: what `--prune NAME` alone means. `epoch-count`: rungs from the trainer's epochs, spaced by η. */
export interface RungDefaults {
  readonly rungs: 'epoch-count' | readonly number[];
  readonly eta: number;
  readonly window: number | 'all';
}

/** A param of one rule beyond rungs, eta and window: stored in the settings' `params`, read by its cut. */
export interface OwnParam {
  /** What it accepts, with its range, for refusals, `--help` and the docs. */
  readonly takes: string;
  readonly default: number;
  readonly schema: z.ZodType<number, unknown>;
}

/** The rule's own part: its name, summary, cut and defaults; the rung params are common to all. */
export interface RungRuleSpec {
  readonly name: string;
  readonly summary: string;
  readonly defaults: RungDefaults;
  /** Params of its own, by name (none for median, asha and fast). */
  readonly own?: Readonly<Record<string, OwnParam>>;
  readonly cut: PruneRule['cut'];
  /** How the cut reads in the summary (`keeping the top 1/3`); null: nothing to add. */
  readonly describeCut: (settings: PruneSettings) => string | null;
}

const TAKES = {
  rungs: 'epochs after which trials are compared, whole numbers ≥ 1, ascending, before the last epoch, e.g. 1,3',
  eta: 'a number > 1; asha keeps the top 1/eta at a rung, and the default rungs are spaced by it',
  window: `a whole number ≥ ${MIN_PEERS_AT_RUNG}, or all: how many of the last trials at a rung a trial is judged against`,
} as const;

const fail = (ctx: z.RefinementCtx, message: string): never => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/** `1,3`, 3 or [1, 3] (a `k=v` value that reads as a number is one): whole epochs ≥ 1, ascending. */
const rungsParam = z.unknown().transform((value, ctx): number[] => {
  const listed = typeof value === 'string' && /^\s*\d+\s*(,\s*\d+\s*)*$/.test(value);
  if (!listed && typeof value !== 'number' && !(Array.isArray(value) && value.every((rung) => typeof rung === 'number'))) {
    return fail(ctx, `must be epoch counts separated by commas, like 1,3; got ${JSON.stringify(value)}`);
  }
  const rungs: number[] = typeof value === 'string' ? value.split(',').map(Number) : typeof value === 'number' ? [value] : [...value];
  if (rungs.length === 0) return fail(ctx, 'must list at least one epoch, like 1,3');
  for (const [i, rung] of rungs.entries()) {
    if (!Number.isInteger(rung) || rung < 1) return fail(ctx, `${rung} is not an epoch count; rungs are whole numbers ≥ 1 (1 = after the first epoch), like 1,3`);
    const previous = rungs[i - 1];
    if (previous !== undefined && rung <= previous) return fail(ctx, `must be ascending without repeats, like 1,3,9; got ${rungs.join(',')}`);
  }
  return rungs;
});

const etaParam = z.unknown().transform((value, ctx): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 1 ? value : fail(ctx, `must be a number above 1 (3 keeps the top third at each rung), got ${JSON.stringify(value)}`),
);

const windowParam = z.unknown().transform((value, ctx): number | 'all' =>
  value === 'all' || (typeof value === 'number' && Number.isInteger(value) && value >= MIN_PEERS_AT_RUNG)
    ? value
    : fail(ctx, `must be a whole number ≥ ${MIN_PEERS_AT_RUNG} (a rung waits for ${MIN_PEERS_AT_RUNG} other runs) or all, got ${JSON.stringify(value)}; e.g. window=16`),
);

/** The params of every rung rule; the defaults are each rule's own. */
const RungParamsSchema = z.strictObject({ rungs: rungsParam.optional(), eta: etaParam.optional(), window: windowParam.optional() });

/**
 * A rule judged at rungs, with the params rungs, eta and window; `spec` gives its cut and
 * defaults (the presets: median and asha windowed at 16, fast one rung at η 6 and 32).
 */
export function rungRule(spec: RungRuleSpec): PruneRule {
  const { name, defaults } = spec;
  const own = Object.entries(spec.own ?? {});
  const schema = RungParamsSchema.extend(Object.fromEntries(own.map(([key, param]) => [key, param.schema.optional()])));
  const params: PruneParamDoc[] = [
    { name: 'rungs', takes: TAKES.rungs, default: defaults.rungs === 'epoch-count' ? 'from the epoch count (10 epochs → 1,3)' : defaults.rungs.join(',') },
    { name: 'eta', takes: TAKES.eta, default: String(defaults.eta) },
    { name: 'window', takes: TAKES.window, default: String(defaults.window) },
    ...own.map(([key, param]) => ({ name: key, takes: param.takes, default: String(param.default) })),
  ];
  const listing = paramsListing(`prune ${name}`, params);
  const refuse = (message: string, where: string): never => {
    throw new GaInputError(`prune ${name}${message}. ${listing}`, { where });
  };
  return Object.freeze({
    name,
    summary: spec.summary,
    params,
    configure(raw: Readonly<Record<string, unknown>>, context: PruneContext): PruneSettings {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        const [issue] = parsed.error.issues;
        if (issue?.code === 'unrecognized_keys') refuse(` has no param ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`, issue.keys[0] ?? '');
        const key = String(issue?.path[0] ?? '');
        refuse(`: ${key}: ${issue?.message ?? parsed.error.message}`, key);
      }
      const given = (parsed.data ?? {}) as z.infer<typeof RungParamsSchema> & Readonly<Record<string, unknown>>;
      const eta = given.eta ?? defaults.eta;
      const window = given.window ?? defaults.window;
      const { epochs } = context;
      let rungs: number[];
      if (given.rungs !== undefined) {
        const late = epochs === undefined ? undefined : given.rungs.find((rung) => rung >= epochs);
        if (late !== undefined) {
          refuse(`: rung ${late} is not before the last epoch (the trainer runs ${epochs}); a trial that reached its last epoch has nothing left to save: use rungs below ${epochs}`, 'rungs');
        }
        rungs = given.rungs;
      } else if (defaults.rungs !== 'epoch-count') {
        rungs = defaults.rungs.filter((rung) => epochs === undefined || rung < epochs);
      } else if (epochs === undefined) {
        return refuse(
          ' needs rungs: give --prune-rungs (epochs after which trials are compared, e.g. 1,3) or put the epoch count in the training command (--epochs 10, epochs=10)',
          'rungs',
        );
      } else {
        rungs = defaultRungs(epochs, eta);
      }
      if (rungs.length === 0) {
        refuse(`: a trainer that runs ${epochs} epoch${epochs === 1 ? '' : 's'} has no epoch to compare trials at before its last; train for more epochs or use --prune none`, 'rungs');
      }
      const settings: PruneSettings = { mode: name, rungs, eta, minPeers: MIN_PEERS_AT_RUNG, window: window === 'all' ? null : window };
      if (own.length === 0) return settings;
      return { ...settings, params: Object.fromEntries(own.map(([key, param]) => [key, typeof given[key] === 'number' ? given[key] : param.default])) };
    },
    paramsOf: (settings: PruneSettings) => ({
      rungs: settings.rungs.join(','),
      eta: settings.eta,
      window: settings.window ?? 'all',
      ...Object.fromEntries(own.map(([key, param]) => [key, settings.params?.[key] ?? param.default])),
    }),
    cut: spec.cut,
    describe(settings: PruneSettings, given: readonly string[], epochs: number | undefined): string {
      const { rungs, eta } = settings;
      const cut = spec.describeCut(settings);
      const from = given.includes('rungs')
        ? 'as given'
        : defaults.rungs === 'epoch-count'
          ? `chosen from the command's ${epochs ?? '?'} epochs and eta ${eta}; --prune-rungs to set them`
          : `${name}'s default; --prune-rungs to set them`;
      return `prune ${name}: trials are compared after epoch${rungs.length === 1 ? '' : 's'} ${rungs.join(', ')} (${from})${cut === null ? '' : `, ${cut}`}`;
    },
  });
}
