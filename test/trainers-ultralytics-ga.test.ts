import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  breedCandidate,
  configureStrategy,
  historyOf,
  hypFingerprint,
  pyRound,
  trialRng,
  withIntegerHyps,
  type Hyp,
  type Scored,
} from '@hyperevolve/ga-core';
import {
  ULTRALYTICS_INTEGER_HYPS,
  ULTRALYTICS_TUNER_BASE_HYP,
  ULTRALYTICS_TUNER_SPACE,
  ULTRALYTICS_VERSION,
} from '../packages/ga-core/src/trainers/ultralytics-defaults.js';
import { requireTrainerStack, runHelper, trainerStackSkipReason, TRAINER_TEST_TIMEOUT_MS } from './support/trainer-stack.js';
import { twoSampleKs } from './support/two-sample-ks.js';

const SKIP = trainerStackSkipReason();
const DRAWS = 5000;
/** Per comparison: 3 histories × 26 genes and 2 pooled steps, so a true match fails one by chance with p ≈ 8 %; both sides are seeded, so a pass stays a pass. */
const ALPHA = 0.001;
const SPACE = withIntegerHyps(ULTRALYTICS_TUNER_SPACE, ULTRALYTICS_INTEGER_HYPS);
const KEYS = Object.keys(SPACE);
const BASE = ULTRALYTICS_TUNER_BASE_HYP;
/** The 9 hyps of the Tuner's defaults that are 0: v7.0's multiplicative mutation can never move them. */
const ZEROS = KEYS.filter((key) => BASE[key] === 0);

/**
 * `size` finished trials near the Tuner's defaults (each other gene moved by N(0, 0.15·range)),
 * the ZEROS left at 0 in every one, so only the strategy can move them; fitness 5 decimals in
 * [0.3, 0.3 + spread], the best at `bestAt` with `bestFitness`.
 */
function history(size: number, best: { at: number; fitness: number }, spread: number, seed: number): Scored[] {
  const rng = trialRng(seed, 0);
  return Array.from({ length: size }, (_, id) => {
    const hyp: Hyp = Object.fromEntries(KEYS.map((key) => {
      const gene = SPACE[key];
      const start = BASE[key] ?? 0;
      if (gene === undefined || start === 0) return [key, 0];
      const moved = Math.min(Math.max(start + 0.15 * (gene.upper - gene.lower) * rng.normal(), gene.lower), gene.upper);
      return [key, gene.integer === true ? Math.round(moved) : pyRound(moved, 5)];
    }));
    return { id, fitness: id === best.at ? best.fitness : pyRound(0.3 + spread * rng.next(), 5), hyp };
  });
}

const CASES = [
  // Parents mixed: the top 9 of 12 at fitness 0.3–0.45; under 30 trials, Gaussian steps only; 7 since the best: decay 0.944.
  { name: 'twelve-trials', population: history(12, { at: 4, fitness: 0.45 }, 0.1, 2), pooled: false },
  // One parent nearly always (weight 0.6 against at most 0.001 each): every gene's step from it
  // is comparable, pooled over the genes. 14 since the best: decay 0.888.
  { name: 'twenty-trials', population: history(20, { at: 5, fitness: 0.9 }, 0.001, 3), pooled: true },
  // The same over 30 trials: the elite-covariance step is on; 9 since the best: decay 0.928.
  { name: 'forty-trials', population: history(40, { at: 30, fitness: 0.9 }, 0.001, 1), pooled: true },
];

/** Every gene's move from `parent` in units of its range, where it moved, over all draws. */
function pooledMoves(draws: readonly number[][], parent: Hyp): number[] {
  return draws.flatMap((row) => KEYS.flatMap((key, k) => {
    const gene = SPACE[key];
    const move = ((row[k] ?? 0) - (parent[key] ?? 0)) / ((gene?.upper ?? 1) - (gene?.lower ?? 0));
    return move === 0 ? [] : [move];
  }));
}

/** Our candidates for the history: the scheduler's breedCandidate with the campaign's duplicate check, one stream per trial index. */
function ourDraws(population: readonly Scored[]): number[][] {
  const strategy = configureStrategy({ name: 'ultralytics', params: {} });
  const issued = new Set(population.map((trial) => hypFingerprint(trial.hyp)));
  const history = historyOf(population);
  return Array.from({ length: DRAWS }, (_, i) => {
    const { hyp } = breedCandidate({ base: BASE, space: SPACE, population, history, strategy, rng: trialRng(7, population.length + i), first: false, isDuplicate: (h) => issued.has(hypFingerprint(h)) });
    return KEYS.map((key) => hyp[key] ?? Number.NaN);
  });
}

interface TunerDraws {
  version: string;
  keys: string[];
  cases: Record<string, number[][]>;
}

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hyperevolve-ultralytics-ga-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.skipIf(SKIP !== null)(`--parent ultralytics against the installed Tuner._mutate${SKIP === null ? '' : ` (skipped: ${SKIP})`}`, { timeout: TRAINER_TEST_TIMEOUT_MS }, () => {
  beforeAll(requireTrainerStack);

  it(`draws each gene as Ultralytics ${ULTRALYTICS_VERSION}'s Tuner does from the same history (two-sample KS, ${DRAWS} draws a side), and moves the hyps at 0`, async () => {
    const spec = {
      seed: 7,
      space: KEYS.map((key) => [key, SPACE[key]?.lower, SPACE[key]?.upper, SPACE[key]?.gain]),
      cases: CASES.map(({ name, population }) => ({ name, draws: DRAWS, history: population.map((trial) => ({ fitness: trial.fitness, hyperparameters: trial.hyp })) })),
    };
    const specFile = join(scratch, 'cases.json');
    await writeFile(specFile, JSON.stringify(spec));
    const tuner = await runHelper<TunerDraws>('ultralytics-mutate.py', [specFile]);
    expect(tuner.version).toBe(ULTRALYTICS_VERSION);
    expect(tuner.keys).toEqual(KEYS);
    expect(ZEROS).toHaveLength(9);

    const mismatches: string[] = [];
    for (const { name, population, pooled } of CASES) {
      const theirs = tuner.cases[name] ?? [];
      const ours = ourDraws(population);
      expect(theirs).toHaveLength(DRAWS);
      KEYS.forEach((key, k) => {
        const a = ours.map((row) => row[k] ?? Number.NaN);
        const b = theirs.map((row) => row[k] ?? Number.NaN);
        const { d, p } = twoSampleKs(a, b);
        if (p < ALPHA) mismatches.push(`${name} ${key}: D = ${d.toFixed(4)}, p = ${p.toExponential(2)}`);
      });
      if (pooled) {
        const best = population.reduce((a, b) => (b.fitness > a.fitness ? b : a));
        const { d, p } = twoSampleKs(pooledMoves(ours, best.hyp), pooledMoves(theirs, best.hyp));
        if (p < ALPHA) mismatches.push(`${name} steps from the best, pooled over the genes: D = ${d.toFixed(4)}, p = ${p.toExponential(2)}`);
      }
      for (const key of ZEROS) {
        const k = KEYS.indexOf(key);
        const movedOurs = ours.filter((row) => (row[k] ?? 0) !== 0).length / DRAWS;
        const movedTheirs = theirs.filter((row) => (row[k] ?? 0) !== 0).length / DRAWS;
        // Half the genes step, half of those steps are clipped back to 0: about a quarter move.
        expect(movedOurs, `${name} ${key}`).toBeGreaterThan(0.15);
        expect(Math.abs(movedOurs - movedTheirs), `${name} ${key}`).toBeLessThan(0.03);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
