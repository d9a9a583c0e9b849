import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Cluster } from './cluster.js';
import { waitFor } from './wait-for.js';

/** The parts of `scheduler status --json` (StatusView v1) the fault tests read. */
export interface StatusJson {
  v: 1;
  schedulers: string[];
  campaigns: {
    name: string;
    status: string;
    pausedReason: string | null;
    budget: number;
    recorded: number;
    failed: number;
    inflight: number;
    waitingFor: string | null;
    recentFailures: { index: number; error: string; errorKind: string | null; logPath: string | null; command: string[] | null; host: string | null }[];
  }[];
}

/** `scheduler status --json [--name C]`, parsed; fails the test on a non-zero exit. */
export async function statusJson(c: Cluster, name?: string): Promise<StatusJson> {
  const result = await c.cli(['status', '--json', ...(name === undefined ? [] : ['--name', name])]);
  if (result.code !== 0) throw new Error(`status --json exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as StatusJson;
}

/** `scheduler status` as a user reads it; fails the test on a non-zero exit. */
export async function statusText(c: Cluster, name?: string): Promise<string> {
  const result = await c.cli(['status', ...(name === undefined ? [] : ['--name', name])]);
  if (result.code !== 0) throw new Error(`status exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

export async function campaignStatus(redis: Redis, prefix: string, name: string): Promise<string | null> {
  return redis.hget(`${prefix}:c:{${name}}:state`, 'status');
}

export async function waitForStatus(redis: Redis, prefix: string, name: string, status: string, timeoutMs = 120_000): Promise<void> {
  await waitFor(async () => (await campaignStatus(redis, prefix, name)) === status, {
    timeoutMs,
    intervalMs: 200,
    what: `campaign ${name} to be ${status}`,
  });
}

/**
 * Pids of live processes whose command line contains `text` (Linux /proc). A trainer's
 * command line carries its trial directory, so this finds anything a run left behind.
 */
export async function processesMentioning(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(join('/proc', entry, 'cmdline'), 'utf8').catch(() => '');
    // A zombie has an empty cmdline: it is dead, only not yet reaped.
    if (cmdline.replaceAll('\0', ' ').includes(text)) pids.push(Number(entry));
  }
  return pids;
}

/**
 * Whether a process still runs. A zombie (killed, not yet reaped: in a container the reaper
 * can be slow, or absent) counts as gone: it holds no memory, no GPU and runs nothing.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Every key under a prefix with its serialized value, to prove a command wrote nothing. */
export async function snapshotPrefix(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const dump = await redis.dumpBuffer(key);
      out.set(key, dump === null ? '' : dump.toString('hex'));
    }
  } while (cursor !== '0');
  return out;
}

/** Files under a directory, relative, recursively (a missing directory is empty). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}
