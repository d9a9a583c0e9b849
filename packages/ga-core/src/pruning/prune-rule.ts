import type { PruneSettings } from './prune-settings.js';
import type { PluginParamDoc } from '../plugin-params.js';

/** What a rule is configured against besides its params. */
export interface PruneContext {
  /** The epochs the trainer runs, when its command says; default rungs come from it. */
  readonly epochs: number | undefined;
}

/** One param of a rule, as `--help`, the docs and every refusal describe it: a plug-in's param. */
export type PruneParamDoc = PluginParamDoc;

/**
 * A prune rule (Optuna calls it a pruner, Ray Tune a trial scheduler): the shape every
 * `--prune` value has, as a breeding strategy's. Configured by its params (`--prune-param k=v`,
 * and the shorthands `--prune-rungs`, `--prune-eta`, `--prune-window`), checked by its own zod
 * schema; configure compiles them into the PruneSettings a campaign stores, and `cut` decides
 * from those. A new rule is its file, a line in `registry.ts` and its test.
 */
export interface PruneRule {
  /** The `--prune` value, and the settings' `mode`. */
  readonly name: string;
  /** One line for `--help` and the docs. */
  readonly summary: string;
  /** Its params with their ranges and defaults, in the order they are listed. */
  readonly params: readonly PruneParamDoc[];
  /**
   * Checks the params (unknown names refused, each value's type and range), fills in the
   * defaults and returns the campaign's settings; GaInputError whose `where` is the param at
   * fault, listing every param the rule takes.
   */
  configure(params: Readonly<Record<string, unknown>>, context: PruneContext): PruneSettings;
  /** The params that configure back into `settings` (what enqueue and preview echo). */
  paramsOf(settings: PruneSettings): Record<string, string | number>;
  /**
   * The fitness a trial must reach at a rung to go on. `own` is the trial's fitness there,
   * `peers` the fitness there of the other trials it is judged against; all finite, `peers` not
   * empty.
   */
  cut(own: number, peers: readonly number[], settings: PruneSettings): number;
  /**
   * One line for enqueue and preview: where it compares trials and how, and where that came
   * from. `given`: the params the user set; `epochs`: the trainer's, when its command says.
   */
  describe(settings: PruneSettings, given: readonly string[], epochs: number | undefined): string;
}
