import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { YOLOV5_DETECTION_SPACE } from '@hyperevolve/ga-core';
import { BIN, FIXTURES, runCli } from './support/processes.js';

const population = join(FIXTURES, 'evolve.csv');

describe('scheduler preview (no Redis)', () => {
  it('prints N candidates bred from an evolve.csv, within the default space bounds, reproducibly', async () => {
    const first = await runCli(BIN.scheduler, ['preview', '--population', population, '--count', '5', '--seed', '1']);
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    const names = lines[0]!.split(',').map((c) => c.trim());
    expect(names).toContain('lr0');
    expect(names.at(-1)).toBe('anchors');
    for (const line of lines.slice(1)) {
      const values = line.split(',').map((c) => Number(c.trim()));
      expect(values).toHaveLength(names.length);
      names.forEach((name, i) => {
        const gene = YOLOV5_DETECTION_SPACE[name];
        if (gene === undefined) return;
        expect(values[i], name).toBeGreaterThanOrEqual(gene.lower);
        expect(values[i], name).toBeLessThanOrEqual(gene.upper);
      });
    }
    const again = await runCli(BIN.scheduler, ['preview', '--population', population, '--count', '5', '--seed', '1']);
    expect(again.stdout).toBe(first.stdout);
    const other = await runCli(BIN.scheduler, ['preview', '--population', population, '--count', '5', '--seed', '2']);
    expect(other.stdout).not.toBe(first.stdout);
  });

  it('jsonl names each candidate\'s parents, drawn from the top 5 rows of the population', async () => {
    const result = await runCli(BIN.scheduler, ['preview', '--population', population, '--count', '3', '--format', 'jsonl', '--parent', 'weighted']);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { index: number; parents: number[]; hyp: Record<string, number> });
    expect(rows.map((r) => r.index)).toEqual([12, 13, 14]);
    for (const row of rows) expect(row.parents).toHaveLength(5);
  });

  it("takes the strategy's params as enqueue does (--strategy-param): topN 1 breeds every candidate from the best row", async () => {
    const result = await runCli(BIN.scheduler, ['preview', '--population', population, '--count', '4', '--format', 'jsonl', '--strategy', 'single', '--strategy-param', 'topN=1']);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { parents: number[]; fitnessOfParents: number[] });
    const best = Math.max(...rows.flatMap((r) => r.fitnessOfParents));
    for (const row of rows) expect(row.fitnessOfParents).toEqual([best]);
    const refused = await runCli(BIN.scheduler, ['preview', '--population', population, '--strategy-param', 'topN=0']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--strategy-param: strategy single: .*topN/);
  });

  it('takes the prune flags as enqueue does: the pruning on stderr, the candidates unchanged; rungs from the epoch count need the command', async () => {
    const plain = await runCli(BIN.scheduler, ['preview', '--population', population, '--count', '3', '--seed', '4']);
    const fast = await runCli(BIN.scheduler, ['preview', '--population', population, '--count', '3', '--seed', '4', '--prune', 'fast', '--prune-param', 'window=all']);
    expect(fast.code, fast.stderr).toBe(0);
    expect(fast.stdout).toBe(plain.stdout);
    expect(fast.stderr).toBe("prune fast: trials are compared after epoch 1 (fast's default; --prune-rungs to set them), keeping the top 1/6\nprune fast params: rungs=1 eta=6 window=all (--prune-param K=V sets one)\n");
    const asha = await runCli(BIN.scheduler, ['preview', '--population', population, '--prune', 'asha']);
    expect(asha.code).toBe(2);
    expect(asha.stdout).toBe('');
    expect(asha.stderr).toMatch(/^scheduler: --prune: prune asha needs rungs: give --prune-rungs .* or put the epoch count in the training command/);
    const withCommand = await runCli(BIN.scheduler, ['preview', '--population', population, '--count', '1', '--prune', 'asha', '--', 'python', 'train.py', '--epochs', '10']);
    expect(withCommand.code, withCommand.stderr).toBe(0);
    expect(withCommand.stderr).toMatch(/^prune asha: trials are compared after epochs 1, 3 \(chosen from the command's 10 epochs and eta 3; --prune-rungs to set them\), keeping the top 1\/3$/m);
  });

  it('bad input: exit 2 with a message naming the problem', async () => {
    const missing = await runCli(BIN.scheduler, ['preview']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--population is required/);
    const absent = await runCli(BIN.scheduler, ['preview', '--population', '/nonexistent/evolve.csv']);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/cannot read \/nonexistent\/evolve.csv/);
    const format = await runCli(BIN.scheduler, ['preview', '--population', population, '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format: "xml" is not one of csv, jsonl/);
    const notCsv = await runCli(BIN.scheduler, ['preview', '--population', join(FIXTURES, 'hyp.scratch-low.yaml')]);
    expect(notCsv.code).toBe(2);
    expect(notCsv.stderr).toMatch(/--population: .*hyp\.scratch-low\.yaml: missing metric column\(s\) "metrics\/precision"/);
  });

  it('a file none of whose rows has a fitness is exit 2 saying so (it used to breed from the base hyps as if it were empty)', async () => {
    const [header = '', ...rows] = (await readFile(population, 'utf8')).trimEnd().split('\n');
    // Every metric nan, as releases before the fitness column exported trials that reported only {"fitness": x}.
    const nan = rows.map((row) => row.split(',').map((cell, i) => (i < 7 ? 'nan'.padStart(20) : cell)).join(','));
    const dir = await mkdtemp(join(tmpdir(), 'preview-nan-'));
    try {
      await writeFile(join(dir, 'evolve.csv'), [header, ...nan, ''].join('\n'));
      const result = await runCli(BIN.scheduler, ['preview', '--population', join(dir, 'evolve.csv')]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/--population: none of the 12 rows of .*evolve\.csv has a fitness: .*write it again with scheduler export --name <campaign>/);
      expect(result.stderr).not.toMatch(/--fitness-weights/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
