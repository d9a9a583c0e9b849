import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Cluster } from './cluster.js';

/** JavaScript declaring `word`: 10 letters g-z, other in each run (failure signatures keep letters, not numbers or hex). */
export const RANDOM_WORD = "const word = Array.from({ length: 10 }, () => 'ghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 20)]).join('');";

/** JavaScript that trains: a fitness from the lr0 in `hyp` (the hyp file's text), written where the generic adapter reads it. */
export const TRAIN_ON_LR0 = [
  "const lr0 = Number(/lr0: (\\S+)/.exec(hyp)[1]);",
  'writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: 1 - Math.abs(lr0 - 0.02) }));',
];

/**
 * A generic-adapter trainer of the test's own (`lines`, after the fs imports and `hyp`: the hyp
 * file's text), one `serve --lookahead 0` (a trial bred only after the last one was recorded),
 * `workers` CPU workers and the campaign `name` of `generations` trials enqueued with `flags`.
 */
export async function startGenericCampaign(c: Cluster, name: string, generations: number, lines: readonly string[], flags: readonly string[] = [], workers = 1): Promise<void> {
  const trainer = join(c.dir, `train-${name}.mjs`);
  await writeFile(trainer, [
    "import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';",
    "const hyp = readFileSync(process.env.HYPEREVOLVE_HYP_FILE, 'utf8');",
    ...lines,
  ].join('\n'));
  c.serve(['--lookahead', '0']);
  for (let i = 0; i < workers; i++) c.worker();
  const enqueued = await c.cli(['enqueue', '--name', name, '--generations', String(generations), '--adapter', 'generic', ...flags, '--out', c.outDir, '--', process.execPath, trainer]);
  expect(enqueued.code, enqueued.stderr).toBe(0);
}
