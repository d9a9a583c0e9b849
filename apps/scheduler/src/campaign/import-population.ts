import { GaInputError, fitness, parseEvolveCsv, type FitnessWeights, type Hyp, type MetricRecord, type TrainerProfile } from '@hyperevolve/ga-core';
import { issuedKey } from './issued-key.js';
import { ConfigError } from '@hyperevolve/runtime';

export interface ImportedTrial {
  hyp: Hyp;
  metrics: MetricRecord;
  /** NaN when a weighted metric is nan: such a row is kept as a row but is never a parent. */
  fitness: number;
  fingerprint: string;
}

/**
 * Reads a YOLOv5 evolve.csv as the starting population of a campaign: its metric columns are
 * the trainer profile's, its hyp columns must be exactly the campaign's base hyp names (in any
 * order), and each row's fitness is the campaign's.
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
    parsed = parseEvolveCsv(text, profile.metricNames, source);
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
  return parsed.rows.map((row) => {
    const hyp: Record<string, number> = {};
    for (const name of wanted) hyp[name] = row.hyp[name] ?? Number.NaN;
    return { hyp, metrics: row.metrics, fitness: fitness(row.metrics, weights, profile.fitnessMetrics), fingerprint: issuedKey(hyp) };
  });
}
