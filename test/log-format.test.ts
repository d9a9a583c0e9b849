import { describe, expect, it } from 'vitest';
import { useClusters } from './support/cluster-fixture.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters();

/** Lines of a process's output that are log lines (a terminal's output has nothing else). */
const lines = (output: string): string[] => output.split('\n').filter((line) => line.trim() !== '');

async function waitRecorded(prefix: string, name: string, count: number): Promise<void> {
  await waitFor(async () => Number(await redis.hget(`${prefix}:c:{${name}}:state`, 'recorded')) >= count, { timeoutMs: 120_000, intervalMs: 200, what: `${count} recorded trials of ${name}` });
}

describe('log lines: readable on a terminal, JSON when piped or asked for', () => {
  it('serve and the worker on a terminal write readable lines; the worker\'s success line shows the fitness', { timeout: 240_000 }, async () => {
    const c = await cluster('logtty');
    const serve = c.serve([], { terminal: true });
    const worker = c.worker(['--device', 'cpu'], {}, { terminal: true });
    await c.enqueue(['--name', 'exp', '--generations', '2', '--seed', '4']);
    await waitRecorded(c.prefix, 'exp', 2);
    await worker.waitForOutput(/trial succeeded: fitness/);
    await serve.waitForOutput(/trial succeeded/);

    for (const process of [serve, worker]) {
      const written = lines(process.output());
      expect(written.length, process.name).toBeGreaterThan(0);
      // No JSON: time, level (coloured: a terminal), message, then key=value fields; or a stack frame.
      const ESC = '\u001b';
      for (const line of written) expect(line.startsWith('    at ') || new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${ESC}\\[\\d+m(TRACE|DEBUG|INFO |WARN |ERROR|FATAL)${ESC}\\[0m `).test(line), `${process.name}: ${line}`).toBe(true);
    }
    // The fitness each success line shows is the one recorded (to 5 significant digits).
    const population = await redis.zrange(`${c.prefix}:c:{exp}:population`, 0, -1, 'WITHSCORES');
    const recorded = population.filter((_, i) => i % 2 === 1).map(Number).sort();
    const shown = [...worker.output().matchAll(/trial succeeded: fitness (\S+)/g)].map((match) => Number(match[1])).sort();
    expect(shown).toHaveLength(2);
    shown.forEach((value, i) => expect(value).toBeCloseTo(recorded[i] ?? NaN, 4));
    expect(worker.output()).toMatch(/trial succeeded: fitness \S+ .*campaign=exp .*fitness=0\.\d+/);
  });

  it('--log-format json on a terminal, and a pipe with no flag, write pino\'s JSON lines; the worker\'s success line has the fitness', { timeout: 240_000 }, async () => {
    const c = await cluster('logjson');
    const serve = c.serve(['--log-format', 'json'], { terminal: true });
    const worker = c.worker(['--device', 'cpu']);
    await c.enqueue(['--name', 'exp', '--generations', '1', '--seed', '4']);
    await waitRecorded(c.prefix, 'exp', 1);
    await worker.waitForOutput(/trial succeeded/);
    await serve.waitForOutput(/trial succeeded/);
    for (const process of [serve, worker]) {
      for (const line of lines(process.output())) expect(() => JSON.parse(line) as unknown, `${process.name}: ${line}`).not.toThrow();
    }
    const success = lines(worker.output()).map((line) => JSON.parse(line) as { msg: string; fitness?: number }).find((line) => line.msg.startsWith('trial succeeded'));
    expect(success?.fitness).toBe(Number(await redis.hget(`${c.prefix}:c:{exp}:state`, 'bestFitness')));
  });
});
