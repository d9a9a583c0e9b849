import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { ROOT } from './support/processes.js';

const run = promisify(execFile);
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** `npm run demo -- …` as a user runs it (tsx, the scripts folder), on the tests' Redis. */
async function demo(out: string, redisUrl = inject('redisUrl')): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/demo.ts'), '--generations', '2', '--workers', '1', '--duration-ms', '150', '--out', out];
  return run(process.execPath, args, { cwd: ROOT, env: { ...process.env, REDIS_URL: redisUrl, REDIS_CLUSTER_NODES: '' }, timeout: 120_000 })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
}

/** A directory of the user's, removed after the test, holding these files (path → text). */
async function userDir(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hyperevolve-demo-test-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const rows = async (out: string): Promise<number> => (await readFile(join(out, 'demo', 'evolve.csv'), 'utf8')).trimEnd().split('\n').length - 1;

describe('npm run demo', () => {
  it('runs again in the same --out, replacing the files of the demo before it (which Redis no longer has)', async () => {
    const out = join(await userDir(), 'runs');
    const first = await demo(out);
    expect(first.code, first.stderr).toBe(0);
    expect(await rows(out)).toBe(2);

    const second = await demo(out);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`replacing the files of the previous demo in ${out}`);
    expect(await rows(out)).toBe(2);
    expect((await readdir(join(out, 'trials', 'demo'))).sort()).toEqual(['0-1', '1-1']);

    // A demo that cannot run (no Redis answers) leaves the previous one's files.
    const unreachable = await demo(out, 'redis://127.0.0.1:1');
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('does not answer');
    expect(await rows(out)).toBe(2);
  }, 240_000);

  it("runs in a directory of the user's, leaving what is not the demo's (a logs folder of their own)", async () => {
    const out = await userDir({ 'logs/mine.txt': 'mine\n' });
    const ran = await demo(out);
    expect(ran.code, ran.stderr).toBe(0);
    expect(await rows(out)).toBe(2);
    expect((await readdir(join(out, 'logs'))).sort()).toEqual(['demo', 'mine.txt']);
    expect(await readFile(join(out, 'logs', 'mine.txt'), 'utf8')).toBe('mine\n');
  }, 120_000);

  it("leaves a directory holding a demo campaign's files no demo marked, and says how to give it one of its own", async () => {
    const out = await userDir({ 'demo/evolve.csv': 'kept\n' });
    const refused = await demo(out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`demo: ${out} holds files no demo marked as its own`);
    expect(refused.stderr).toContain('npm run demo -- --out <empty or new directory>');
    expect(await readFile(join(out, 'demo', 'evolve.csv'), 'utf8')).toBe('kept\n');
    expect(await readdir(out)).toEqual(['demo']);
  }, 60_000);
});
