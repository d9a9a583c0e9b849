import type { CampaignConfig } from '@hyperevolve/contract';
import { commandDataName, trainerProfile, tuneResultsLine, ultralyticsRetrainCommand, ultralyticsTrialSettings, writeBestHyperparametersYaml } from '@hyperevolve/ga-core';
import { shellQuoteArgv } from '@hyperevolve/runtime';
import type { RecordedRow } from '@hyperevolve/trial-store';

/**
 * The two files Ultralytics' Tuner leaves, from a campaign's recorded rows: its results table
 * (`tune_results.ndjson`, one line per evolve.csv row) and `best_hyperparameters.yaml`.
 */

/** tune_results.ndjson lines of `rows`, the first being evolve.csv row `firstPosition` (0-based). */
export function renderTuneResultsLines(config: CampaignConfig, rows: readonly RecordedRow[], firstPosition: number): string[] {
  const profile = trainerProfile(config.adapter);
  const dataset = commandDataName(config.command) ?? 'data';
  return rows.map((row, i) =>
    tuneResultsLine({
      iteration: firstPosition + i + 1,
      fitness: row.fitness,
      hyp: row.hyp,
      integerHyps: profile.integerHyps,
      dataset,
      metricNames: profile.metricNames,
      metrics: row.metrics,
      saveDir: row.trialDir,
    }),
  );
}

const BEST_HYPERPARAMETERS = 'best_hyperparameters.yaml';

/** best_hyperparameters.yaml for the best trial, `bestPosition` being its evolve.csv row (0-based). */
export function renderBestHyperparameters(config: CampaignConfig, best: RecordedRow, bestTrial: number, bestPosition: number, rowCount: number): string {
  const profile = trainerProfile(config.adapter);
  const metrics = profile.metricNames.map((name) => `${name}=${String(best.metrics[name] ?? Number.NaN)}`).join(', ');
  return writeBestHyperparametersYaml({
    comments: [
      `hyperevolve campaign ${config.name} (adapter ${config.adapter}): the best of ${rowCount} trials so far`,
      `best: trial ${bestTrial} (iteration ${bestPosition + 1} of tune_results.ndjson), fitness ${String(best.fitness)}`,
      `metrics: ${metrics}`,
      ...(best.trialDir === undefined ? [] : [`trained in ${best.trialDir}`]),
      // The trials' own command, so a retrain trains as they did; a final one may want more epochs=.
      `use: ${shellQuoteArgv(ultralyticsRetrainCommand(config.command, BEST_HYPERPARAMETERS))}`,
    ],
    hyp: best.hyp,
    integerHyps: profile.integerHyps,
    settings: ultralyticsTrialSettings(config.command),
  });
}
