import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { YOLOV5_DETECTION_SPACE } from '@hyperevolve/ga-core';
import { CampaignStore } from '../apps/scheduler/src/campaign/campaign-store.js';
import { evolvePanels, evolvedHyps } from '../apps/scheduler/src/plot/evolve-panels.js';
import { evolvePlotLayout } from '../apps/scheduler/src/plot/evolve-plot-layout.js';
import { PopulationPoints } from '../apps/scheduler/src/plot/population-points.js';
import { renderEvolvePng } from '../apps/scheduler/src/plot/render-evolve-png.js';
import { useClusters } from './support/cluster-fixture.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters();

const EVOLVED = { lr0: 1, momentum: 0.3, box: 1 } as Record<string, number>;

function pngHeader(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  expect(png.subarray(-8, -4).toString('ascii')).toBe('IEND');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('evolve.png beside evolve.csv (real scheduler serve and workers)', () => {
  it('is a valid PNG with one panel per evolved hyp, drawn from every recorded row once the campaign is done', async () => {
    const c = await cluster('png');
    const spaceFile = join(c.dir, 'space.yaml');
    const lines = Object.entries(YOLOV5_DETECTION_SPACE).map(([name, g]) => `${name}: [${EVOLVED[name] ?? 0}, ${g.lower}, ${g.upper}]`);
    await writeFile(spaceFile, `${lines.join('\n')}\n`);
    const serve = c.serve();
    c.worker();
    c.worker();
    await c.enqueue(['--name', 'plot', '--generations', '12', '--seed', '8', '--space', spaceFile]);
    const state = `${c.prefix}:c:{plot}:state`;
    await waitFor(async () => (await redis.hget(state, 'status')) === 'done', { timeoutMs: 150_000, intervalMs: 200, what: 'campaign plot to finish' });

    // The final picture is the drawing of every row: wait for the file to be exactly that,
    // not for a timestamp (a render begun before the last result can land after finishedAt).
    const store = new CampaignStore(redis, c.prefix);
    const config = (await store.readConfig('plot'))!;
    const hyps = evolvedHyps(Object.keys(config.baseHyp), config.space);
    expect(hyps).toEqual(['lr0', 'momentum', 'box']);
    const rows = await new PopulationPoints(redis, store).read('plot');
    expect(rows).toHaveLength(12);
    const panels = evolvePanels(hyps, rows);
    const again = await renderEvolvePng(panels, { withSvg: true });
    const expected = Buffer.from(again.png);
    const path = join(c.outDir, 'plot', 'evolve.png');
    const png = await waitFor(
      async () => {
        const file = await readFile(path).catch(() => undefined);
        return file !== undefined && file.equals(expected) ? file : undefined;
      },
      { timeoutMs: 30_000, what: 'evolve.png drawn from all 12 rows' },
    );
    const layout = evolvePlotLayout(3);
    expect(layout).toMatchObject({ columns: 3, rows: 1 });
    expect(pngHeader(png)).toEqual({ width: Math.round(layout.width * layout.scale), height: Math.round(layout.height * layout.scale) });

    // Titled by exactly the 3 evolved hyps, best marked in each panel.
    const titles = [...(again.svg ?? '').matchAll(/>([A-Za-z0-9_.-]+) = ([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(titles).toEqual(['lr0', 'momentum', 'box']);
    const bestTrial = Number(await redis.hget(state, 'bestTrial'));
    const best = rows.find((r) => r.index === bestTrial)!;
    for (const panel of panels) expect(panel.best?.value).toBe(best.hyp[panel.hyp]);
    expect(panels.every((p) => p.points.length === 12)).toBe(true);

    // A scheduler killed before it wrote the last picture: the next one draws it on start,
    // although evolve.csv and hyp_evolve.yaml are complete and nothing new gets recorded.
    await serve.kill('SIGKILL');
    await rm(path);
    c.serve();
    const redrawn = await waitFor(async () => readFile(path).catch(() => undefined), { timeoutMs: 60_000, what: 'evolve.png drawn again by the next scheduler' });
    expect(Buffer.from(redrawn).equals(png)).toBe(true);
  }, 300_000);

  it('a serve stopped (SIGTERM) right after the last result draws the final picture before it exits', async () => {
    const c = await cluster('png-stop');
    const serve = c.serve();
    c.worker();
    c.worker();
    await c.enqueue(['--name', 'quick', '--generations', '8', '--seed', '3']);
    const state = `${c.prefix}:c:{quick}:state`;
    await waitFor(async () => (await redis.hget(state, 'status')) === 'done', { timeoutMs: 120_000, intervalMs: 10, what: 'campaign quick to finish' });
    await serve.kill('SIGTERM');
    expect((await serve.exited).code).toBe(0);

    const store = new CampaignStore(redis, c.prefix);
    const config = (await store.readConfig('quick'))!;
    const rows = await new PopulationPoints(redis, store).read('quick');
    expect(rows).toHaveLength(8);
    const expected = await renderEvolvePng(evolvePanels(evolvedHyps(Object.keys(config.baseHyp), config.space), rows));
    const png = await readFile(join(c.outDir, 'quick', 'evolve.png'));
    expect(png.equals(Buffer.from(expected.png))).toBe(true);
  }, 300_000);
});
