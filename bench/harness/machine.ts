import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cpus: number;
  model: string;
  node: string;
  redis: string;
  memory_gib: number;
  /** 1, 5 and 15 minutes, when the run started: other work on the machine skews the figures. */
  load_average: number[];
  date: string;
}

export function describeMachine(): MachineInfo {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    redis: redisServerVersion(),
    memory_gib: Math.round(totalmem() / 2 ** 30),
    load_average: loadavg().map((value) => Math.round(value * 100) / 100),
    date: new Date().toISOString(),
  };
}

function redisServerVersion(): string {
  try {
    return /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  } catch (error) {
    throw new Error('redis-server is not on PATH; the benchmark starts a private one per scenario. Install it (apt-get install redis-server) and run again', { cause: error });
  }
}
