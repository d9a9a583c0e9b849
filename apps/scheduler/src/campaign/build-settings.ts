import { readFile } from 'node:fs/promises';
import {
  GaInputError,
  compileBaseHyp,
  evolveCsvHeader,
  parseHypYaml,
  parseSearchSpace,
  withIntegerHyps,
  type Hyp,
  type SearchSpace,
  type CampaignPlan,
  type TrainerProfile,
} from '@hyperevolve/ga-core';
import type { CampaignSettings } from '@hyperevolve/contract';
import { ConfigError } from '@hyperevolve/runtime';
import type { EnqueueConfig } from '../config.js';
import { choosePruning } from './choose-pruning.js';
import { chooseTrainer, type ChosenTrainer } from './choose-trainer.js';
import { chooseStrategy } from './choose-strategy.js';

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${flag}: cannot read ${path} (${code ?? String(error)}); check the path`, { cause: error });
  }
}

/** Turns a ga-core input error into a CLI error that names the flag (null: its message names it already). */
function asConfigError(error: unknown, flag: string | null): never {
  if (error instanceof GaInputError) throw new ConfigError(flag === null ? error.message : `${flag}: ${error.message}`, { cause: error });
  throw error;
}

/** The campaign's base hyps and space: the files given, else the trainer profile's defaults. */
export async function loadBaseAndSpace(hypFile: string | null, spaceFile: string | null, profile: TrainerProfile): Promise<{ base: Hyp; space: SearchSpace; warnings: string[] }> {
  let base: Hyp = profile.defaultHyp;
  if (hypFile !== null) {
    try {
      base = parseHypYaml(await readText(hypFile, '--hyp'), hypFile);
    } catch (error) {
      asConfigError(error, '--hyp');
    }
  }
  let space: SearchSpace = profile.defaultSpace;
  if (spaceFile !== null) {
    try {
      space = parseSearchSpace(await readText(spaceFile, '--space'), spaceFile);
    } catch (error) {
      asConfigError(error, '--space');
    }
  }
  try {
    // The campaign's evolve.csv must be writable: refused here, not at its first export.
    evolveCsvHeader({ metricNames: profile.metricNames, hypNames: Object.keys(base), fitness: profile.fitnessColumn });
  } catch (error) {
    asConfigError(error, '--hyp');
  }
  try {
    space = withIntegerHyps(space, profile.integerHyps);
    const compiled = compileBaseHyp(base, space);
    return { base: compiled.base, space, warnings: compiled.warnings };
  } catch (error) {
    return asConfigError(error, spaceFile !== null ? '--space' : '--hyp');
  }
}

/** The trainer profile's review of the campaign: its notes, or a ConfigError naming what a trial would fail on. */
function reviewCampaign(profile: TrainerProfile, plan: CampaignPlan): string[] {
  try {
    return profile.review(plan);
  } catch (error) {
    return asConfigError(error, null);
  }
}

/**
 * The campaign's settings from the enqueue flags (their defaults are in cli/options.ts) and the
 * hyp and space files; `seed` stays null when not given, so extending a campaign keeps its seed.
 * `notes` are the trainer profile's (what it adds to each trial), `warnings` the hyps'.
 */
export async function buildSettings(config: EnqueueConfig): Promise<{ settings: Omit<CampaignSettings, 'seed'>; seed: number | null; warnings: string[]; notes: string[]; trainer: ChosenTrainer }> {
  const trainer = chooseTrainer(config.command, config.adapter, config.adapterParams);
  const { profile } = trainer;
  const loaded = await loadBaseAndSpace(config.hypFile, config.spaceFile, profile);
  const { base, space } = loaded;
  const { choice: strategy, breeding } = chooseStrategy(config.strategy, profile);
  const metrics = profile.fitnessMetrics;
  if (config.fitnessWeights !== null && config.fitnessWeights.length !== metrics.length) {
    throw new ConfigError(`--fitness-weights: adapter ${trainer.name} takes ${metrics.length} weights, one per fitness metric (${metrics.join(', ')}); got ${config.fitnessWeights.length}. Its default: ${profile.defaultFitnessWeights.join(',')}`);
  }
  const warnings = [...breeding.review(base, space), ...loaded.warnings];
  const pruning = choosePruning(config.pruning, profile.epochCount(config.command));
  const reviewed = reviewCampaign(profile, { command: config.command, baseHyp: base, space, fastTrials: config.fastTrials, prunes: pruning.mode !== 'none' });
  const notes = trainer.note === null ? reviewed : [trainer.note, ...reviewed];
  return {
    settings: {
      name: config.name,
      command: config.command,
      adapter: trainer.name,
      adapterParams: trainer.params,
      baseHyp: base,
      space,
      fitnessWeights: config.fitnessWeights ?? [...profile.defaultFitnessWeights],
      strategy,
      timeoutMs: config.timeoutMs,
      stallTimeoutMs: config.stallTimeoutMs,
      pruning,
      attempts: config.attempts,
      fastTrials: config.fastTrials,
      keepArtifacts: config.keepArtifacts,
      maxConsecutiveFailures: config.maxConsecutiveFailures,
      outDir: config.outDir,
    },
    seed: config.seed,
    warnings,
    notes,
    trainer,
  };
}

export { readText };
