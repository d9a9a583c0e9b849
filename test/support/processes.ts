import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = join(ROOT, 'fixtures/yolov5');
export const BIN = {
  scheduler: join(ROOT, 'apps/scheduler/bin/scheduler.js'),
  worker: join(ROOT, 'apps/worker/bin/worker.js'),
  simTrain: join(ROOT, 'apps/sim-train/bin/sim-train.js'),
} as const;

export interface Managed {
  name: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Spawns real processes for a test and kills every one of them afterwards (SIGKILL). */
export class ProcessGroup {
  readonly #children: Managed[] = [];

  spawn(name: string, bin: string, args: readonly string[], env: Record<string, string>, cwd = ROOT): Managed {
    return this.#track(name, spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  /**
   * As {@link spawn}, but with a terminal (a pseudo-terminal from util-linux's `script`) as the
   * process's stdin, stdout and stderr, as when a person starts it; its output comes back with
   * the terminal's CRLF line ends made `\n`; what is written to `child.stdin` is typed on it.
   * Killing it closes the terminal, which hangs the process up.
   */
  spawnOnTerminal(name: string, bin: string, args: readonly string[], env: Record<string, string>, cwd = ROOT): Managed {
    const quote = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`;
    const command = [process.execPath, bin, ...args].map(quote).join(' ');
    return this.#track(name, spawn('script', ['-qfec', command, '/dev/null'], { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] }), (text) => text.replaceAll('\r\n', '\n'));
  }

  #track(name: string, child: ChildProcess, clean: (text: string) => string = (text) => text): Managed {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise) => {
      child.once('exit', (code, signal) => resolvePromise({ code, signal }));
    });
    const managed: Managed = {
      name,
      child,
      output: () => clean(text),
      exited,
      waitForOutput: async (pattern, timeoutMs = 30_000) => {
        await waitFor(() => pattern.test(clean(text)), { timeoutMs, what: `${name} to print ${pattern}; output so far:\n${clean(text).slice(-2000)}` });
      },
      kill: async (signal = 'SIGKILL') => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill(signal);
        await exited;
      },
    };
    this.#children.push(managed);
    return managed;
  }

  async killAll(): Promise<void> {
    await Promise.all(this.#children.map((c) => c.kill('SIGKILL')));
    this.#children.length = 0;
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI to completion and returns its exit code and output. */
export async function runCli(bin: string, args: readonly string[], env: Record<string, string> = {}, cwd = ROOT): Promise<CliResult> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolvePromise) => child.once('exit', (c) => resolvePromise(c)));
  return { code, stdout, stderr };
}
