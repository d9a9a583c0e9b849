import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatG, parseEvolveCsv, YOLOV5_METRIC_NAMES } from '@hyperevolve/ga-core';
import { readCampaign, type TrialData } from './support/campaign-data.js';
import type { Cluster } from './support/cluster.js';
import { useClusters } from './support/cluster-fixture.js';
import { FIXTURES } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters();

async function waitDone(c: Cluster, name: string, timeoutMs = 120_000): Promise<void> {
  await waitFor(async () => (await redis.hget(`${c.prefix}:c:{${name}}:state`, 'status')) === 'done', {
    timeoutMs,
    intervalMs: 200,
    what: `campaign ${name} to finish`,
  });
}

async function waitForRows(path: string, rows: number): Promise<string> {
  return waitFor(
    async () => {
      const text = await readFile(path, 'utf8').catch(() => '');
      return text.trimEnd().split('\n').length === rows + 1 ? text : undefined;
    },
    { timeoutMs: 20_000, what: `${path} to have ${rows} rows` },
  );
}

/** The top-n fitness values among the first `size` recorded rows: what a breeder saw. */
function topFitnessAt(rows: number[], byIndex: Map<number, TrialData>, size: number, n = 5): number[] {
  return rows
    .slice(0, size)
    .map((i) => byIndex.get(i)?.fitness ?? Number.NaN)
    .filter(Number.isFinite)
    .sort((a, b) => b - a)
    .slice(0, n);
}

describe('distributed evolution end to end (real Redis, real processes)', () => {
  it('3 workers, 30 generations: exactly 30 trials, evolve.csv with 30 rows, best = max, bred late from the top 5', async () => {
    const c = await cluster('e2e');
    c.serve();
    for (let i = 0; i < 3; i++) c.worker();
    await c.enqueue(['--name', 'exp', '--generations', '30', '--seed', '11']);
    await waitDone(c, 'exp');

    const data = await readCampaign(redis, c.prefix, 'exp');
    expect(Number(data.state.recorded)).toBe(30);
    expect(data.rows).toHaveLength(30);
    expect(new Set(data.rows).size).toBe(30);
    expect(data.populationSize).toBe(30);
    const succeeded = data.trials.filter((t) => t.status === 'succeeded');
    expect(succeeded).toHaveLength(30);

    const max = Math.max(...succeeded.map((t) => t.fitness));
    expect(Number(data.state.bestFitness)).toBe(max);
    const bestTrial = Number(data.state.bestTrial);
    expect(data.trials[bestTrial]?.fitness).toBe(max);

    const csv = await waitForRows(join(c.outDir, 'exp', 'evolve.csv'), 30);
    const parsed = parseEvolveCsv(csv, YOLOV5_METRIC_NAMES);
    expect(parsed.rows).toHaveLength(30);
    // The last export may still be under way when evolve.csv shows every row: wait for its best.
    const wanted = `# Best generation: ${data.rows.indexOf(bestTrial)}\n# Last generation: 29\n`;
    const yaml = await waitFor(
      async () => {
        const text = await readFile(join(c.outDir, 'exp', 'hyp_evolve.yaml'), 'utf8').catch(() => '');
        return text.includes(wanted) ? text : undefined;
      },
      { timeoutMs: 20_000, what: `hyp_evolve.yaml to name generation ${data.rows.indexOf(bestTrial)} as the best of 30` },
    );

    const best = await c.cli(['best', '--name', 'exp']);
    expect(best.code).toBe(0);
    expect(best.stdout).toBe(yaml);

    const exported = await c.cli(['export', '--name', 'exp', '--out', join(c.dir, 'exported')]);
    // <out>/<campaign>, where enqueue's --out has serve write them.
    const exportDir = join(c.dir, 'exported', 'exp');
    expect(exported.code, exported.stderr).toBe(0);
    expect(await readFile(join(exportDir, 'evolve.csv'), 'utf8')).toBe(csv);
    expect(await readFile(join(exportDir, 'hyp_evolve.yaml'), 'utf8')).toBe(yaml);
    const png = await readFile(join(exportDir, 'evolve.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');

    // Late breeding: each candidate's parents were in the top 5 of the population as it was
    // when the candidate was bred (the breeder records the pool and the population size).
    const byIndex = new Map(data.trials.map((t) => [t.index, t]));
    const bredFromPopulation = data.trials.filter((t) => t.origin === 'population');
    expect(bredFromPopulation.length).toBeGreaterThan(15);
    for (const trial of bredFromPopulation) {
      expect(trial.parents.every((p) => trial.pool.includes(p))).toBe(true);
      const seen = trial.pool.map((p) => byIndex.get(p)?.fitness ?? Number.NaN).sort((a, b) => b - a);
      expect(seen).toEqual(topFitnessAt(data.rows, byIndex, trial.poolSize));
    }
    expect(data.trials[0]?.origin).toBe('base');
  });

  it('two scheduler serve replicas on one campaign: still exactly N, best still the maximum', async () => {
    const c = await cluster('replicas');
    c.serve();
    c.serve();
    for (let i = 0; i < 3; i++) c.worker();
    await c.enqueue(['--name', 'twin', '--generations', '24', '--seed', '5']);
    await waitDone(c, 'twin');
    const data = await readCampaign(redis, c.prefix, 'twin');
    expect(data.rows).toHaveLength(24);
    expect(new Set(data.rows).size).toBe(24);
    expect(data.trials.filter((t) => t.status === 'succeeded')).toHaveLength(24);
    expect(Number(data.state.bestFitness)).toBe(Math.max(...data.trials.filter((t) => t.status === 'succeeded').map((t) => t.fitness)));
    const csv = await waitForRows(join(c.outDir, 'twin', 'evolve.csv'), 24);
    expect(parseEvolveCsv(csv, YOLOV5_METRIC_NAMES).rows).toHaveLength(24);
  });

  it('one worker, fixed seed, run twice: the same hyp sequence', async () => {
    const sequences: Record<string, number>[][] = [];
    for (const run of ['a', 'b']) {
      const c = await cluster(`repro-${run}`);
      c.serve(['--lookahead', '0']);
      c.worker();
      await c.enqueue(['--name', 'repro', '--generations', '8', '--seed', '42']);
      await waitDone(c, 'repro');
      const data = await readCampaign(redis, c.prefix, 'repro');
      sequences.push(data.trials.map((t) => t.hyp));
    }
    expect(sequences[0]).toHaveLength(8);
    expect(sequences[1]).toEqual(sequences[0]);
  });

  it('--seed-from a YOLOv5 evolve.csv: first candidates descend from its top rows; the export begins with the imported rows', async () => {
    const c = await cluster('seedfrom');
    c.serve();
    c.worker();
    const fixture = await readFile(join(FIXTURES, 'evolve.csv'), 'utf8');
    await c.enqueue(['--name', 'resumed', '--generations', '4', '--seed', '3', '--seed-from', join(FIXTURES, 'evolve.csv')]);
    await waitDone(c, 'resumed');
    const data = await readCampaign(redis, c.prefix, 'resumed');
    expect(data.rows).toHaveLength(16);
    const imported = data.trials.slice(0, 12);
    expect(imported.every((t) => t.origin === 'imported')).toBe(true);
    const topImported = [...imported].sort((a, b) => b.fitness - a.fitness).slice(0, 5).map((t) => t.index);
    const first = data.trials[12];
    expect(first?.origin).toBe('population');
    expect(first?.parents.every((p) => topImported.includes(p))).toBe(true);
    const csv = await waitForRows(join(c.outDir, 'resumed', 'evolve.csv'), 16);
    expect(csv.startsWith(fixture)).toBe(true);
  });

  it('generic adapter: any program that writes the metrics JSON file', async () => {
    const c = await cluster('generic');
    const script = join(c.dir, 'train.mjs');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      script,
      [
        "import { readFileSync, writeFileSync } from 'node:fs';",
        'const hyp = Object.fromEntries(readFileSync(process.env.HYPEREVOLVE_HYP_FILE, "utf8").trim().split("\\n").map((l) => l.split(": ")).map(([k, v]) => [k, Number(v)]));',
        'writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: 1 - Math.abs(hyp.lr0 - 0.02) }));',
      ].join('\n'),
    );
    c.serve();
    c.worker();
    const result = await c.cli(['enqueue', '--name', 'gen', '--generations', '5', '--adapter', 'generic', '--out', c.outDir, '--', process.execPath, script]);
    expect(result.code, result.stderr).toBe(0);
    await waitDone(c, 'gen');
    const data = await readCampaign(redis, c.prefix, 'gen');
    const succeeded = data.trials.filter((t) => t.status === 'succeeded');
    expect(succeeded).toHaveLength(5);
    for (const t of succeeded) expect(t.fitness).toBeCloseTo(1 - Math.abs((t.hyp.lr0 ?? 0) - 0.02), 10);

    // The trials reported only {"fitness": x}: the exports keep it (the metric columns are nan),
    // and our own readers read the exported file back as a population with those fitnesses.
    const exported = join(c.outDir, 'gen', 'evolve.csv');
    const csv = await waitForRows(exported, 5);
    const rows = parseEvolveCsv(csv, YOLOV5_METRIC_NAMES).rows;
    expect(rows.map((row) => row.fitness)).toEqual(data.rows.map((index) => Number(formatG(data.trials[index]?.fitness ?? NaN, 0))));
    const yaml = await readFile(join(c.outDir, 'gen', 'hyp_evolve.yaml'), 'utf8');
    expect(yaml.split('\n')[4]?.split(',').at(-1)?.trim()).toBe(formatG(Number(data.state.bestFitness), 0));

    const preview = await c.cli(['preview', '--population', exported, '--count', '1', '--format', 'jsonl']);
    expect(preview.code, preview.stderr).toBe(0);
    const candidate = JSON.parse(preview.stdout) as { parents: number[]; fitnessOfParents: number[] };
    expect(candidate.parents.length).toBeGreaterThan(0);
    expect(candidate.fitnessOfParents.every(Number.isFinite)).toBe(true);

    const seeded = await c.cli(['enqueue', '--name', 'gen-seeded', '--generations', '1', '--adapter', 'generic', '--seed-from', exported, '--out', c.outDir, '--', process.execPath, script]);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/5 trials imported from /);
    expect(seeded.stdout).not.toMatch(/without a fitness/);
    const state = await redis.hgetall(`${c.prefix}:c:{gen-seeded}:state`);
    expect(Number(state.bestFitness)).toBe(Math.max(...rows.map((row) => row.fitness ?? NaN)));
  });
});
