import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { TrainerProcess } from './trainer-process.js';

const log = pino({ level: 'silent' });

async function start(script: string, options: { timeoutMs?: number | null; env?: Record<string, string> } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'worker-trainer-'));
  const logPath = join(dir, 'train.log');
  const trainer = TrainerProcess.start({
    argv: [process.execPath, '-e', script],
    env: { PATH: process.env.PATH ?? '', ...options.env },
    cwd: dir,
    logPath,
    timeoutMs: options.timeoutMs ?? null,
    killAfterMs: 1000,
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

  it('interrupt() kills the run and reports it as interrupted', async () => {
    const { trainer } = await start('setInterval(() => {}, 1000)');
    setTimeout(() => trainer.interrupt(), 100);
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
});
