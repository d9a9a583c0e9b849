import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { useClusters } from './support/cluster-fixture.js';
import { ROOT } from './support/processes.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';
import { waitFor } from './support/wait-for.js';

const { redis } = useClusters();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** The README's first bash block under "Without Docker, on one machine". */
async function quickStart(): Promise<string[]> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('Without Docker, on one machine'));
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README: no bash block after "Without Docker, on one machine"');
  return block.trim().split('\n').map((line) => line.replace(/\s+#.*$/, '').trim());
}

/** Runs a bash script in its own process group (its `&` jobs included), killed as a whole after the test. */
function runScript(script: string, env: Record<string, string>): { output: () => string; exited: Promise<number | null> } {
  const child = spawn('bash', ['-c', script], { cwd: dirname(ROOT), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    await exited;
  });
  return { output: () => text, exited };
}

describe('the README quick start, as written', () => {
  it('works after the README\'s own set-up steps on a machine whose PATH knows nothing of hyperevolve', { timeout: 300_000 }, async () => {
    const lines = await quickStart();
    // The set-up steps, as a reader types them: the clone's directory, npm ci, the PATH step.
    expect(lines.slice(0, 3)).toEqual(['cd hyperevolve', 'npm ci', 'export PATH="$PWD/node_modules/.bin:$PATH"']);
    expect(lines.at(-1)).toBe('scheduler status --watch');

    const home = await mkdtemp(join(tmpdir(), 'hyperevolve-readme-'));
    const prefix = uniquePrefix('readme');
    cleanups.push(async () => {
      await deletePrefix(redis, prefix);
      await rm(home, { recursive: true, force: true });
    });
    // A fresh login: Node and the system on PATH, nothing of this repository.
    const env = { PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`, HOME: home, REDIS_URL: inject('redisUrl'), HYPEREVOLVE_PREFIX: prefix };
    const before = runScript('command -v scheduler worker sim-train || echo none-found', env);
    await before.exited;
    expect(before.output().trim()).toBe('none-found');

    // `cd hyperevolve` is this checkout; npm ci has run (the test runs from it); the rest verbatim,
    // but for status --watch, which the test replaces by its own wait.
    const script = ['set -e', `cd ${JSON.stringify(ROOT)}`, ...lines.slice(2, -1), 'wait'].join('\n');
    const run = runScript(script, env);
    try {
      await waitFor(async () => (await redis.hget(`${prefix}:c:{exp}:state`, 'status')) === 'done', { timeoutMs: 240_000, intervalMs: 250, what: 'the quick start\'s campaign to finish' });
    } catch (error) {
      throw new Error(`${(error as Error).message}; the script printed:\n${run.output().slice(-3000)}`, { cause: error });
    }
    expect(run.output()).toMatch(/created campaign exp: 12 generations/);
    expect(await redis.hget(`${prefix}:c:{exp}:state`, 'recorded')).toBe('12');
    await waitFor(async () => (await stat(join(home, 'evolve-try', 'runs', 'evolve', 'exp', 'hyp_evolve.yaml')).catch(() => null)) !== null, { what: 'hyp_evolve.yaml in ~/evolve-try/runs/evolve/exp' });
  });

  it("names each quick start's campaign, so running them one after the other on one Redis collides nowhere, and says when to run workers --offline", async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => (match[1] ?? '').replace(/\\\n\s*/g, ' '));
    // Docker's quick start has a Redis of its own; the others share the one on this machine.
    const enqueues = blocks.flatMap((block) => block.split('\n')).filter((line) => /^scheduler enqueue /.test(line.trim()));
    const names = enqueues.map((line) => /--name (\S+)/.exec(line)?.[1] ?? 'exp');
    expect(enqueues.length).toBeGreaterThanOrEqual(4);
    expect(new Set(names).size, names.join(', ')).toBe(names.length);
    expect(readme).toMatch(/\*\*Machines without internet\*\*[^]*?start the workers with `worker --offline`/);
  });
});
