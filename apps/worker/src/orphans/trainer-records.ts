import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { reapRun, runProcesses, type RunProcesses } from '../containment/reap-run.mjs';
import { isLive, listProcStats, readProcStat, type ProcStat } from './proc-stat.js';

const RecordSchema = z.object({
  v: z.literal(1),
  host: z.string(),
  device: z.string(),
  workerPid: z.number().int().positive(),
  workerStartTime: z.string(),
  /** Also the trainer's process-group id: trainers run detached, as group leaders. */
  trainerPid: z.number().int().positive(),
  trainerStartTime: z.string(),
  /** HYPEREVOLVE_RUN_TOKEN of the run, and its cgroup: they find a grandchild that left the group. */
  runToken: z.string().optional(),
  /** The leased GPU the run is on, if any. */
  gpuUuid: z.string().optional(),
  cgroup: z.string().nullable().optional(),
  logPath: z.string(),
  recordedAt: z.number(),
});
type TrainerRecord = z.infer<typeof RecordSchema>;

export interface TrainerRecordsOptions {
  workdir: string;
  host: string;
  /** The device label (`3`, `cpu`). */
  device: string;
  /** The GPU this device-worker holds the lease of, if any. */
  gpuUuid?: string | undefined;
  log: Logger;
  /** How long to wait for a killed orphan group to be gone. */
  killWaitMs?: number;
}

/**
 * Which trainer this device-worker runs, on disk at `<workdir>/.running/<host>-<device>-<pid>.json`,
 * so that a worker SIGKILLed mid-trial does not leave its trainer on the GPU for good: the next
 * worker to take the device on this host kills the recorded process group before it takes a
 * job ({@link sweep}). A group is killed only when the worker that recorded it is dead and the
 * group is provably the recorded one (same pid and start time in /proc), so a live worker's
 * trainer (several CPU workers share a host and a label) or a recycled pid is never touched.
 */
export class TrainerRecords {
  readonly #options: TrainerRecordsOptions;
  readonly #dir: string;
  readonly #file: string;

  constructor(options: TrainerRecordsOptions) {
    this.#options = options;
    this.#dir = join(options.workdir, '.running');
    this.#file = join(this.#dir, `${options.host.replace(/[^A-Za-z0-9_.-]/g, '_')}-${options.device}-${process.pid}.json`);
  }

  /** Records the run just started (its trainer's pid is its group id). Without /proc nothing is recorded. */
  async started(run: RunProcesses, logPath: string): Promise<void> {
    const trainerPid = run.pgid;
    if (trainerPid === null) return;
    const [worker, trainer] = await Promise.all([readProcStat(process.pid), readProcStat(trainerPid)]);
    if (worker === undefined || trainer === undefined) return;
    const record: TrainerRecord = {
      v: 1,
      host: this.#options.host,
      device: this.#options.device,
      workerPid: process.pid,
      workerStartTime: worker.startTime,
      trainerPid,
      trainerStartTime: trainer.startTime,
      runToken: run.token,
      cgroup: run.cgroup,
      ...(this.#options.gpuUuid === undefined ? {} : { gpuUuid: this.#options.gpuUuid }),
      logPath,
      recordedAt: Date.now(),
    };
    await mkdir(this.#dir, { recursive: true });
    await writeFile(`${this.#file}.tmp`, `${JSON.stringify(record)}\n`);
    await rename(`${this.#file}.tmp`, this.#file);
  }

  async ended(): Promise<void> {
    await rm(this.#file, { force: true });
  }

  /**
   * Kills the trainers that dead workers left running on this host's device, and on a leased
   * GPU also those of a live worker that lost the lease (frozen past it: the lease is this
   * worker's now); returns how many runs.
   */
  async sweep(): Promise<number> {
    return sweepOrphanedTrainers({ ...this.#options, device: this.#options.device, takeOverGpu: this.#options.gpuUuid });
  }
}

export interface SweepOptions {
  workdir: string;
  host: string;
  /** Only this device's records; undefined: every device of the host. */
  device: string | undefined;
  /** This process now holds the lease of this GPU: runs recorded on it by other live workers go too. */
  takeOverGpu?: string | undefined;
  log: Logger;
  killWaitMs?: number;
}

/**
 * Kills the process groups that workers of this host recorded and left running when they
 * died. Safe at any time: a group is killed only when its recorder is dead and the group is
 * provably the recorded one. A worker runs it for every device at start (a trainer left on a
 * GPU would otherwise make that GPU look busy to --skip-busy-gpus) and again for each device it
 * takes, before its first job there.
 */
export async function sweepOrphanedTrainers(options: SweepOptions): Promise<number> {
  const dir = join(options.workdir, '.running');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json'));
  } catch {
    return 0;
  }
  let killed = 0;
  for (const name of names) {
    const path = join(dir, name);
    const record = await readRecord(path);
    if (record === undefined || record.host !== options.host || (options.device !== undefined && record.device !== options.device)) continue;
    const worker = await readProcStat(record.workerPid);
    const takeOver = options.takeOverGpu !== undefined && record.gpuUuid === options.takeOverGpu && record.workerPid !== process.pid;
    if (isLive(worker) && worker.startTime === record.workerStartTime && !takeOver) continue;
    const members = await orphanProcesses(record);
    if (members.length > 0) {
      if (isLive(worker) && worker.startTime === record.workerStartTime) {
        options.log.warn({ pgid: record.trainerPid, pids: members, frozenWorkerPid: record.workerPid, device: record.device, logPath: record.logPath },
          'the worker that held this GPU\'s lease before still has a trainer on it (frozen past its lease?); killing that run before taking jobs');
      } else {
        options.log.warn({ pgid: record.trainerPid, pids: members, deadWorkerPid: record.workerPid, device: record.device, logPath: record.logPath },
          'a worker that died mid-trial left its trainer running on this device; killing its process group before taking jobs');
      }
      if ((await orphanGroup(record)).length > 0) killGroup(record.trainerPid);
      if (record.runToken !== undefined) reapRun(markedRun(record.runToken, record));
      await waitGone(record, options);
      killed += 1;
    }
    await rm(path, { force: true });
  }
  return killed;
}

async function waitGone(record: TrainerRecord, options: SweepOptions): Promise<void> {
  const deadline = Date.now() + (options.killWaitMs ?? 5000);
  while (Date.now() < deadline) {
    if ((await orphanProcesses(record)).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  options.log.warn({ pgid: record.trainerPid }, 'the orphaned trainer group is still there after SIGKILL; going on');
}

async function readRecord(path: string): Promise<TrainerRecord | undefined> {
  try {
    const parsed = RecordSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The live processes of the recorded group. While the leader lives it must be the recorded
 * process (same start time). Once it is gone, its members keep the group id, and Linux hands
 * out no pid still in use as a group id, so live members of that group, started no earlier
 * than the leader, are the recorded trainer's children.
 */
async function orphanGroup(record: TrainerRecord): Promise<ProcStat[]> {
  const leader = await readProcStat(record.trainerPid);
  if (leader !== undefined && (leader.startTime !== record.trainerStartTime || leader.pgrp !== record.trainerPid)) return [];
  const started = BigInt(record.trainerStartTime);
  return (await listProcStats()).filter((stat) => stat.pgrp === record.trainerPid && isLive(stat) && BigInt(stat.startTime) >= started);
}

/** The recorded run by its token and cgroup only: unlike a pid, they name it and nothing else. */
function markedRun(token: string, record: TrainerRecord): RunProcesses {
  return { pgid: null, token, cgroup: record.cgroup ?? null };
}

/** Pids of the recorded run still alive: its verified group, and what carries its token or sits in its cgroup. */
async function orphanProcesses(record: TrainerRecord): Promise<number[]> {
  const group = (await orphanGroup(record)).map((stat) => stat.pid);
  const marked = record.runToken === undefined ? [] : runProcesses(markedRun(record.runToken, record));
  return [...new Set([...group, ...marked])].sort((a, b) => a - b);
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: gone in the meantime.
  }
}
