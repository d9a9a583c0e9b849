// Finds and kills every process of one trainer run. Plain JavaScript (node:fs only) so that
// the lease watchdog, a process of its own started without tsx, loads the same code as the
// worker. A run's processes are: its process group (the trainer leads it), its cgroup when the
// machine lets the worker make one, every process carrying the run's token in its environment
// (a grandchild that called setsid, or was re-parented to init, still has it), and every
// descendant of those by the parent chain (one that cleared its environment but still has a
// parent in the run).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

export const RUN_TOKEN_VARIABLE = 'HYPEREVOLVE_RUN_TOKEN';

function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: rest[0], ppid: Number(rest[1]), pgrp: Number(rest[2]) };
  } catch {
    return undefined;
  }
}

function carriesToken(pid, needle) {
  try {
    return readFileSync(`/proc/${pid}/environ`).includes(needle);
  } catch {
    return false;
  }
}

function cgroupMembers(dir) {
  if (!dir) return [];
  try {
    return readFileSync(`${dir}/cgroup.procs`, 'utf8').split('\n').filter((line) => line !== '').map(Number);
  } catch {
    return [];
  }
}

/** Live (not zombie) processes of the run, never this process or its parent. */
export function runProcesses(run) {
  let names;
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const needle = Buffer.from(`${RUN_TOKEN_VARIABLE}=${run.token}\0`);
  const stats = names.map((name) => readStat(Number(name))).filter((stat) => stat !== undefined && stat.state !== 'Z' && stat.state !== 'X');
  const own = new Set([process.pid, process.ppid]);
  const members = new Set(cgroupMembers(run.cgroup));
  for (const stat of stats) {
    if ((run.pgid !== null && stat.pgrp === run.pgid) || carriesToken(stat.pid, needle)) members.add(stat.pid);
  }
  // Descendants of members, to a fixpoint.
  for (let grew = true; grew;) {
    grew = false;
    for (const stat of stats) {
      if (!members.has(stat.pid) && members.has(stat.ppid)) {
        members.add(stat.pid);
        grew = true;
      }
    }
  }
  const live = new Set(stats.map((stat) => stat.pid));
  return [...members].filter((pid) => live.has(pid) && !own.has(pid));
}

/** SIGKILLs every process of the run (the cgroup at once where there is one); returns the pids signalled. */
export function reapRun(run) {
  if (run.cgroup) {
    try {
      writeFileSync(`${run.cgroup}/cgroup.kill`, '1');
    } catch {
      // Not cgroup v2 with cgroup.kill (Linux < 5.14): the signals below do it.
    }
  }
  if (run.pgid !== null) {
    try {
      process.kill(-run.pgid, 'SIGKILL');
    } catch {
      // ESRCH: the group is gone.
    }
  }
  const pids = runProcesses(run);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}
