import { readdir, readFile } from 'node:fs/promises';

/** The fields of `/proc/<pid>/stat` that tell one process from a later one with the same pid. */
export interface ProcStat {
  readonly pid: number;
  /** R, S, D, Z (zombie: dead, not yet reaped), … */
  readonly state: string;
  readonly pgrp: number;
  /** Clock ticks after boot; with the pid, it names a process uniquely until the next boot. */
  readonly startTime: string;
}

/**
 * Parses one `/proc/<pid>/stat` line. The command name (field 2) sits in parentheses and may
 * itself hold spaces and parentheses, so fields are counted from the last `)`.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  const pid = Number.parseInt(text, 10);
  if (close < 0 || !Number.isInteger(pid)) return undefined;
  // After the name: field 3 (state) is rest[0], so field n is rest[n - 3].
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const state = rest[0];
  const pgrp = Number(rest[2]);
  const startTime = rest[19];
  if (state === undefined || !Number.isInteger(pgrp) || startTime === undefined || !/^\d+$/.test(startTime)) return undefined;
  return { pid, state, pgrp, startTime };
}

/** The process now running as `pid`, or undefined when there is none (or no /proc, as on macOS). */
export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every process this one can see. */
export async function listProcStats(): Promise<ProcStat[]> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch {
    return [];
  }
  const stats = await Promise.all(names.filter((name) => /^\d+$/.test(name)).map((name) => readProcStat(Number(name))));
  return stats.filter((stat): stat is ProcStat => stat !== undefined);
}

/** Alive: present and not a zombie. */
export function isLive(stat: ProcStat | undefined): stat is ProcStat {
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}
