import { readFile } from 'node:fs/promises';
import {
  breedCandidate,
  formatG,
  hypFingerprint,
  trialRng,
  type Scored,
} from '@hyperevolve/ga-core';
import { ConfigError } from '@hyperevolve/runtime';
import type { PreviewConfig } from '../config.js';
import { loadBaseAndSpace } from '../campaign/build-settings.js';
import { choosePruning, describePruning } from '../campaign/choose-pruning.js';
import { chooseStrategy } from '../campaign/choose-strategy.js';
import { chooseTrainer, describeTrainerParams } from '../campaign/choose-trainer.js';
import { importPopulation } from '../campaign/import-population.js';

/** Prints what the GA would breed next from a population file; touches no Redis. */
export async function previewCommand(config: PreviewConfig, out: (text: string) => void, warn: (text: string) => void): Promise<number> {
  // The trainer enqueue would choose (--adapter, --adapter-param, the command after --), whose
  // defaults, fitness and epoch count (the rungs enqueue would choose from it) preview uses.
  const trainer = chooseTrainer(config.command, config.adapter, config.adapterParams);
  const { profile } = trainer;
  const strategy = chooseStrategy(config.strategy, profile).breeding;
  const epochs = config.command === null ? undefined : profile.epochCount(config.command);
  const pruning = choosePruning(config.pruning, epochs);
  const weights = profile.defaultFitnessWeights;
  const loaded = await loadBaseAndSpace(config.hypFile, config.spaceFile, profile);
  const { base, space } = loaded;
  const warnings = [...strategy.review(base, space), ...loaded.warnings];
  let text: string;
  try {
    text = await readFile(config.population, 'utf8');
  } catch (error) {
    throw new ConfigError(`--population: cannot read ${config.population} (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path`, { cause: error });
  }
  const imported = importPopulation(text, config.population, base, { profile, weights }, '--population');
  const population: Scored[] = imported.flatMap((t, id) => (Number.isFinite(t.fitness) ? [{ id, fitness: t.fitness, hyp: t.hyp }] : []));
  const issued = new Set(imported.map((t) => t.fingerprint));
  const hypNames = Object.keys(base);
  if (config.format === 'csv') out(`${hypNames.map((name) => name.padStart(20)).join(',')}\n`);
  for (let i = 0; i < config.count; i++) {
    const index = imported.length + i;
    const candidate = breedCandidate({
      base,
      space,
      population,
      strategy,
      rng: trialRng(config.seed, index),
      first: population.length === 0 && i === 0,
      isDuplicate: (hyp) => issued.has(hypFingerprint(hyp)),
    });
    issued.add(hypFingerprint(candidate.hyp));
    if (config.format === 'csv') {
      out(`${hypNames.map((name) => formatG(candidate.hyp[name] ?? Number.NaN)).join(',')}\n`);
    } else {
      out(`${JSON.stringify({ index, parents: candidate.parentIds, hyp: candidate.hyp, fitnessOfParents: candidate.parentIds.map((p) => imported[p]?.fitness ?? Number.NaN) })}\n`);
    }
  }
  for (const line of [...describeTrainerParams(trainer), ...describePruning(pruning, config.pruning, epochs)]) warn(`${line}\n`);
  // After the candidates, and only about the user's own files: YOLOv5's defaults have zero
  // hyps on purpose, and a preview that failed has nothing to warn about.
  const ownFiles = config.hypFile !== null || config.spaceFile !== null;
  if (ownFiles && !config.quiet) for (const warning of warnings) warn(`warning: ${warning}\n`);
  return 0;
}
