import type { PruneSettings } from './prune-settings.js';
import { pruneRuleOf } from './registry.js';
import { rungPeers, type RungArrival } from './rung-window.js';

/** What to do with a running trial that has just finished `epoch` epochs. */
export type RungDecision =
  /** `epoch` is not one of the rungs (or pruning is off): nothing to decide. */
  | { readonly kind: 'not-a-rung' }
  | { readonly kind: 'continue'; readonly rung: number; readonly why: ContinueWhy; readonly cut: number | null }
  | { readonly kind: 'prune'; readonly rung: number; readonly cut: number };

/**
 * - `last-epoch`: the trial has trained its last epoch (a rung the trainer's epoch count was not
 *   known for at enqueue, or a trainer that stopped early by itself): nothing is left to save, and
 *   its result is whole.
 * - `first-trial`: the campaign's first trial (the base hyp), or the base run again after it
 *   failed, always runs to the end: it is the baseline every user compares with, and its full
 *   result seeds the population.
 * - `too-few-peers`: fewer than `minPeers` other trials reached the rung.
 * - `no-fitness`: this trial's fitness at the rung is not a number (nan, a row without
 *   validation): nothing to judge it by, so it goes on.
 * - `at-or-above-cut`: it made the cut.
 */
export type ContinueWhy = 'last-epoch' | 'first-trial' | 'too-few-peers' | 'no-fitness' | 'at-or-above-cut';

export interface RungInput {
  readonly settings: PruneSettings;
  /** Epochs the trial has finished (1 after its first). */
  readonly epoch: number;
  /** Its fitness after that epoch. */
  readonly fitness: number;
  /**
   * The rung's entries as the campaign stored them, oldest first: each trial that reached it
   * (running, finished or pruned) with its fitness there, this trial's own entry possibly among
   * them. The settings' window picks the peers from them (see rungPeers).
   */
  readonly arrivals: readonly RungArrival[];
  /** The trial judged; the campaign's first trial (index 0) is never pruned. */
  readonly index: number;
  /** It trains the campaign's base hyps (the first trial, or the base run again after it failed): never pruned. */
  readonly base?: boolean;
  /** The epochs the trainer runs, when it says: a trial at its last epoch is never pruned. */
  readonly epochs?: number | undefined;
}

/**
 * The prune decision for one trial at one epoch, from that trial's fitness and what is stored at
 * the same rung only. Pure, so every worker and replica decides the same from the same entries.
 */
export function decideAtRung(input: RungInput): RungDecision {
  const { settings, epoch } = input;
  if (settings.mode === 'none' || !settings.rungs.includes(epoch)) return { kind: 'not-a-rung' };
  const rung = epoch;
  if (input.epochs !== undefined && epoch >= input.epochs) return { kind: 'continue', rung, why: 'last-epoch', cut: null };
  const rule = pruneRuleOf(settings.mode);
  if (rule === undefined) return { kind: 'not-a-rung' };
  if (input.index === 0 || input.base === true) return { kind: 'continue', rung, why: 'first-trial', cut: null };
  if (!Number.isFinite(input.fitness)) return { kind: 'continue', rung, why: 'no-fitness', cut: null };
  const peers = rungPeers(input.arrivals, input.index, settings.window);
  if (peers.length < settings.minPeers) return { kind: 'continue', rung, why: 'too-few-peers', cut: null };
  const cut = rule.cut(input.fitness, peers, settings);
  return input.fitness < cut ? { kind: 'prune', rung, cut } : { kind: 'continue', rung, why: 'at-or-above-cut', cut };
}
