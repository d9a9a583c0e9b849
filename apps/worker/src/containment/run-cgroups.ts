import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

/**
 * A cgroup (v2) per trainer run, where the machine lets this process make them: then every
 * process the run starts, whatever it does (setsid, double fork, a cleared environment), is
 * in it and dies with one write to its cgroup.kill. Containers usually mount the cgroup tree
 * read-only; there the worker goes by process group, environment token and parent chain
 * (reap-run.mjs) only.
 */
export class RunCgroups {
  readonly #base: string;
  readonly #log: Logger;
  #broken = false;

  private constructor(base: string, log: Logger) {
    this.#base = base;
    this.#log = log;
  }

  /** This process's cgroup v2 directory, if it may make child cgroups there and move itself in and out. */
  static detect(log: Logger): RunCgroups | undefined {
    try {
      const own = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((line) => line.startsWith('0::'));
      const mount = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((line) => line.split(' ')).find((fields) => fields[fields.indexOf('-') + 1] === 'cgroup2');
      // A cgroup namespace whose root is not the mount's: the paths do not line up; leave it.
      if (own === undefined || mount?.[4] === undefined || mount[3] !== '/') return undefined;
      const base = join(mount[4], own.slice(3));
      const probe = new RunCgroups(base, log);
      const dir = probe.create(`probe-${process.pid}`);
      if (dir === undefined) return undefined;
      try {
        probe.spawnInside(dir, () => undefined);
      } finally {
        probe.remove(dir);
      }
      if (probe.#broken) return undefined;
      log.debug({ base }, 'each trainer run gets a cgroup of its own');
      return probe;
    } catch {
      return undefined;
    }
  }

  create(name: string): string | undefined {
    if (this.#broken) return undefined;
    const dir = join(this.#base, `hyperevolve-${name}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch {
      return undefined;
    }
  }

  /**
   * Runs `spawn` with this process inside `dir`, so the child starts there before it can fork
   * (a child moved in after spawning may already have started others); then moves back. All
   * synchronous: nothing else of this process runs meanwhile.
   */
  spawnInside<T>(dir: string, spawn: () => T): T {
    writeFileSync(join(dir, 'cgroup.procs'), String(process.pid));
    try {
      return spawn();
    } finally {
      try {
        writeFileSync(join(this.#base, 'cgroup.procs'), String(process.pid));
      } catch (error) {
        // Stuck inside: killing that cgroup would kill this worker. No more cgroups from now on.
        this.#broken = true;
        this.#log.error({ err: error, dir }, 'could not leave a trainer run\'s cgroup; trainers are contained by process group and environment only from now on');
      }
    }
  }

  /** Whether `dir` may be killed as a whole (this process is not in it). */
  usable(): boolean {
    return !this.#broken;
  }

  /** Removes an emptied run cgroup; false while processes remain in it. */
  remove(dir: string): boolean {
    try {
      rmdirSync(dir);
      return true;
    } catch {
      return false;
    }
  }
}
