import { FITNESS_COLUMN, GaInputError, fitness, parseEvolveCsv, parseTuneResults, type FitnessWeights, type Hyp, type MetricRecord, type TrainerProfile } from '@hyperevolve/ga-core';
import { issuedKey } from './issued-key.js';
import { ConfigError } from '@hyperevolve/runtime';

export interface ImportedTrial {
  hyp: Hyp;
  metrics: MetricRecord;
  /**
   * The row's fitness column where it has a number there, else the campaign's fitness of its
   * metrics; NaN when neither gives one: such a row is kept as a row but is never a parent.
   */
  fitness: number;
  fingerprint: string;
}

/**
 * Reads a YOLOv5 evolve.csv, or an Ultralytics Tuner's tune_results.ndjson (a file whose first
 * character is `{`), as the starting population of a campaign: its metric columns are
 * the trainer profile's, its hyp columns must be exactly the campaign's base hyp names (in any
 * order), and each row's fitness is its fitness column's (ours, for trials that reported their
 * own) or else the campaign's fitness of its metrics, as the recorder prefers a trial's own.
 * A file none of whose rows has a fitness is refused, naming why: it would seed nothing.
 */
export function importPopulation(
  text: string,
  source: string,
  base: Hyp,
  scoring: { profile: TrainerProfile; weights: FitnessWeights },
  flag = '--seed-from',
): ImportedTrial[] {
  const { profile, weights } = scoring;
  let parsed: ReturnType<typeof parseEvolveCsv>;
  try {
    parsed = /^\uFEFF?\s*\{/.test(text) ? parseTuneResults(text, profile.metricNames, source) : parseEvolveCsv(text, profile.metricNames, source);
  } catch (error) {
    if (error instanceof GaInputError) throw new ConfigError(`${flag}: ${error.message}`, { cause: error });
    throw error;
  }
  const wanted = Object.keys(base);
  const missing = wanted.filter((name) => !parsed.hypNames.includes(name));
  const extra = parsed.hypNames.filter((name) => !wanted.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      missing.length > 0 ? `missing hyp columns ${missing.join(', ')}` : '',
      extra.length > 0 ? `columns not in the base hyps ${extra.join(', ')}` : '',
    ].filter((p) => p !== '');
    throw new ConfigError(
      `${flag}: ${source} does not match the campaign's hyps: ${parts.join('; ')}. ` +
        'Pass the --hyp (and --space) the original run used, so both have the same hyp names.',
    );
  }
  const trials = parsed.rows.map((row) => {
    const hyp: Record<string, number> = {};
    for (const name of wanted) hyp[name] = row.hyp[name] ?? Number.NaN;
    const own = row.fitness ?? Number.NaN;
    return { hyp, metrics: row.metrics, fitness: Number.isFinite(own) ? own : fitness(row.metrics, weights, profile.fitnessMetrics), fingerprint: issuedKey(hyp) };
  });
  if (!trials.some((trial) => Number.isFinite(trial.fitness))) throw new ConfigError(`${flag}: ${noFitness(source, trials.length, profile, weights, flag === '--seed-from')}`);
  return trials;
}

/** Why a file gives no population, and what to do. */
function noFitness(source: string, rows: number, profile: TrainerProfile, weights: FitnessWeights, weighable: boolean): string {
  if (rows === 0) return `${source} has a header but no rows, so there is no population to start from; give a file with recorded trials`;
  const weighted = profile.fitnessMetrics.filter((_, i) => weights[i] !== 0);
  return (
    `none of the ${rows} rows of ${source} has a fitness: its weighted metrics (${weighted.join(', ')}) are nan in every row and it has no "${FITNESS_COLUMN}" column, ` +
    'so there is no population to start from. A campaign whose trials reported only {"fitness": x} wrote such a file before exports carried the fitness: ' +
    'write it again with scheduler export --name <campaign> (Redis still holds every fitness)' +
    (weighable ? ', or pass --fitness-weights that weigh metrics the rows have' : '')
  );
}
