import { constants } from 'node:os';
import { seededUniform } from './seeded-random.js';

/** How a simulated trial goes wrong (`--fail MODE`). */
export type FailMode =
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'signal'; readonly signal: NodeJS.Signals }
  | { readonly kind: 'hang' | 'hang-ignore-term' | 'hang-with-child' | 'garbage' | 'nan' | 'no-results' | 'random' };

const PLAIN_MODES = ['hang', 'hang-ignore-term', 'hang-with-child', 'garbage', 'nan', 'no-results', 'random'] as const;

/** What `--fail random` picks from: every way to fail that ends by itself. */
const RANDOM_MODES: readonly FailMode[] = [
  { kind: 'exit', code: 1 },
  { kind: 'signal', signal: 'SIGKILL' },
  { kind: 'garbage' },
  { kind: 'nan' },
  { kind: 'no-results' },
];

export const FAIL_MODE_HELP = `exit:<code>, signal:<NAME>, ${PLAIN_MODES.join(', ')}`;

/** Parses a `--fail` value; returns an error message naming what was expected instead. */
export function parseFailMode(text: string): FailMode | string {
  const exit = /^exit:(\d{1,3})$/.exec(text);
  if (exit) {
    const code = Number(exit[1]);
    return code <= 255 ? { kind: 'exit', code } : `exit code ${code} is above 255`;
  }
  const signal = /^signal:(?:SIG)?([A-Z0-9]+)$/i.exec(text);
  if (signal) {
    const name = `SIG${(signal[1] ?? '').toUpperCase()}`;
    return name in constants.signals ? { kind: 'signal', signal: name as NodeJS.Signals } : `unknown signal ${name}`;
  }
  const plain = PLAIN_MODES.find((mode) => mode === text);
  return plain === undefined ? `unknown mode ${JSON.stringify(text)}` : { kind: plain };
}

/**
 * Whether this run fails, and how: with probability `rate`, decided from (seed, run name) so a
 * rerun of the same name decides the same way. `random` becomes one concrete mode.
 */
export function decideFailure(mode: FailMode | undefined, rate: number, seed: number, runName: string): FailMode | undefined {
  if (mode === undefined || rate <= 0) return undefined;
  const draw = seededUniform(seed, `fail\u0000${runName}`);
  if (draw() >= rate) return undefined;
  if (mode.kind !== 'random') return mode;
  return RANDOM_MODES[Math.floor(draw() * RANDOM_MODES.length)];
}

/**
 * A word that differs from one chance failure (`--fail-rate` below 1) to the next, decided by
 * (seed, run name): real flaky failures (a lost connection, an ECC error) end in different log
 * lines, while a broken environment fails every run with the same ones. Letters only, and none
 * of a-f, so failure signatures (which drop numbers and hex ids) keep it.
 */
export function flakyWord(seed: number, runName: string): string {
  const draw = seededUniform(seed, `word\u0000${runName}`);
  const letters = 'ghijklmnopqrstuvwxyz';
  return Array.from({ length: 8 }, () => letters[Math.floor(draw() * letters.length)] ?? 'z').join('');
}
