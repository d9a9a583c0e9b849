import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RunCgroups } from './containment/run-cgroups.js';
import { TrainerProcess } from './trainer-process.js';

const log = pino({ level: 'silent' });

async function start(script: string, options: { timeoutMs?: number | null; env?: Record<string, string>; logCapBytes?: number; cgroups?: RunCgroups } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'worker-trainer-'));
  const logPath = join(dir, 'train.log');
  const trainer = TrainerProcess.start({
    argv: [process.execPath, '-e', script],
    env: { PATH: process.env.PATH ?? '', ...options.env },
    cwd: dir,
    logPath,
    timeoutMs: options.timeoutMs ?? null,
    killAfterMs: 1000,
    ...(options.logCapBytes === undefined ? {} : { logCapBytes: options.logCapBytes }),
    cgroups: options.cgroups,
    log,
  });
  return { trainer, logPath, dir };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !alive(pid);
}

describe('TrainerProcess', () => {
  it('writes stdout and stderr to the log and reports the exit code', async () => {
    const { trainer, logPath } = await start('console.log("out " + process.env.ONLY_HERE); console.error("err"); process.exit(3)', { env: { ONLY_HERE: 'yes' } });
    expect(await trainer.done).toEqual({ kind: 'exited', exitCode: 3 });
    const text = await readFile(logPath, 'utf8');
    expect(text).toContain('out yes');
    expect(text).toContain('err');
  });

  it('reports a signal', async () => {
    const { trainer } = await start('process.kill(process.pid, "SIGKILL")');
    expect(await trainer.done).toEqual({ kind: 'signalled', signal: 'SIGKILL' });
  });

  it('reports a program that is not on PATH as a spawn error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'worker-trainer-'));
    const trainer = TrainerProcess.start({ argv: ['no-such-trainer-xyz', '--x'], env: { PATH: '/nonexistent' }, cwd: dir, logPath: join(dir, 'train.log'), timeoutMs: null, log });
    const outcome = await trainer.done;
    expect(outcome.kind).toBe('spawn-error');
    if (outcome.kind === 'spawn-error') expect(outcome.code).toBe('ENOENT');
  });

  it('on timeout kills the whole process group, children that ignore SIGTERM included', async () => {
    const script = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log('child ' + child.pid);
      setInterval(() => {}, 1000);`;
    const { trainer, logPath } = await start(script, { timeoutMs: 800 });
    const childPid = await (async () => {
      for (;;) {
        const match = /child (\d+)/.exec(await readFile(logPath, 'utf8'));
        if (match?.[1] !== undefined) return Number(match[1]);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    expect(alive(childPid)).toBe(true);
    expect(await trainer.done).toEqual({ kind: 'timed-out', timeoutMs: 800 });
    expect(await gone(childPid)).toBe(true);
    expect(trainer.pid !== undefined && (await gone(trainer.pid))).toBe(true);
  });

  it('stop(interrupted) kills the run and reports it as interrupted', async () => {
    const { trainer } = await start('setInterval(() => {}, 1000)');
    setTimeout(() => trainer.stop({ kind: 'interrupted' }), 100);
    expect(await trainer.done).toEqual({ kind: 'interrupted' });
  });

  it('kills what a trainer leaves behind when it exits', async () => {
    const script = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      child.unref();
      console.log('child ' + child.pid);`;
    const { trainer, logPath } = await start(script);
    expect(await trainer.done).toEqual({ kind: 'exited', exitCode: 0 });
    const childPid = Number(/child (\d+)/.exec(await readFile(logPath, 'utf8'))?.[1]);
    expect(await gone(childPid)).toBe(true);
  });

  it('keeps train.log within --log-cap: the first and last halves, and a note of how much was left out', async () => {
    // 4000 numbered lines of 100 bytes, 400,000 bytes in all, against a 64 KiB cap.
    const script = `for (let i = 0; i < 4000; i++) process.stdout.write(String(i).padStart(6, '0') + ' ' + 'x'.repeat(92) + '\\n');`;
    const { trainer, logPath } = await start(script, { logCapBytes: 65_536 });
    expect(await trainer.done).toEqual({ kind: 'exited', exitCode: 0 });
    const text = await readFile(logPath, 'utf8');
    const note = /\n\[… (\d+) bytes of output left out here: train\.log keeps its first 32K and its last 32K \(worker --log-cap 64K\) …\]\n/.exec(text);
    expect(note, text.slice(32_700, 33_000)).not.toBeNull();
    expect(Buffer.byteLength(text)).toBe(65_536 + Buffer.byteLength(note?.[0] ?? ''));
    expect(Number(note?.[1])).toBe(400_000 - 65_536);
    expect(text.startsWith('000000 xxx')).toBe(true);
    expect(Buffer.from(text).indexOf(note?.[0] ?? '')).toBe(32_768);
    expect(text.endsWith('003999 ' + 'x'.repeat(92) + '\n')).toBe(true);
  });

  const cgroups = RunCgroups.detect(log);
  const modes: [string, RunCgroups | undefined][] = [['process group, run token and parent chain', undefined]];
  if (cgroups !== undefined) modes.push(['a cgroup per run', cgroups]);
  describe.each(modes)('every process of a run dies with it (%s)', (_name, runCgroups) => {
    /** A trainer whose child calls setsid and starts a grandchild, then exits: the grandchild is re-parented and in no group of the run. */
    const escaping = (then: string) => `
      const { spawn } = require('node:child_process');
      const middle = spawn(process.execPath, ['-e', \`
        const { spawn } = require('node:child_process');
        const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
        console.log('grandchild ' + grandchild.pid);
        grandchild.unref();
      \`], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
      middle.on('exit', () => { ${then} });`;

    async function grandchildOf(logPath: string): Promise<number> {
      for (;;) {
        const match = /grandchild (\d+)/.exec(await readFile(logPath, 'utf8').catch(() => ''));
        if (match?.[1] !== undefined) return Number(match[1]);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    it('after a successful run', async () => {
      const { trainer, logPath } = await start(escaping('process.exit(0)'), { cgroups: runCgroups });
      const grandchild = await grandchildOf(logPath);
      expect(await trainer.done).toEqual({ kind: 'exited', exitCode: 0 });
      expect(await gone(grandchild)).toBe(true);
      expect(trainer.leftovers).toEqual([]);
    });

    it('after a timeout', async () => {
      const { trainer, logPath } = await start(escaping('setInterval(() => {}, 1000)'), { timeoutMs: 1500, cgroups: runCgroups });
      const grandchild = await grandchildOf(logPath);
      expect(alive(grandchild)).toBe(true);
      expect(await trainer.done).toEqual({ kind: 'timed-out', timeoutMs: 1500 });
      expect(await gone(grandchild)).toBe(true);
    });

    it('when interrupted (a prune, a stopping worker)', async () => {
      const { trainer, logPath } = await start(escaping('setInterval(() => {}, 1000)'), { cgroups: runCgroups });
      const grandchild = await grandchildOf(logPath);
      trainer.stop({ kind: 'interrupted' });
      expect(await trainer.done).toEqual({ kind: 'interrupted' });
      expect(await gone(grandchild)).toBe(true);
    });
  });

  it.runIf(cgroups !== undefined)('in a cgroup, even a grandchild that clears its environment and leaves the parent chain dies', async () => {
    const script = `
      const { spawn } = require('node:child_process');
      const middle = spawn(process.execPath, ['-e', \`
        const { spawn } = require('node:child_process');
        const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore', env: {} });
        console.log('grandchild ' + grandchild.pid);
        grandchild.unref();
      \`], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
      middle.on('exit', () => process.exit(0));`;
    const { trainer, logPath } = await start(script, { cgroups });
    expect(await trainer.done).toEqual({ kind: 'exited', exitCode: 0 });
    const grandchild = Number(/grandchild (\d+)/.exec(await readFile(logPath, 'utf8'))?.[1]);
    expect(await gone(grandchild)).toBe(true);
  });
});
