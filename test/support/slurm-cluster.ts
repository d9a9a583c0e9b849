import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, openSync, closeSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './private-redis.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);
const DAEMONS = ['munged', 'slurmctld', 'slurmd'] as const;
const CLIENTS = ['sbatch', 'squeue', 'scancel', 'scontrol', 'sinfo'] as const;
/** The node's name in the test cluster (its host is this machine, at 127.0.0.1). */
export const SLURM_NODE = 'hyperevolve-node';
/** How long a requeued job waits before it may start again, in seconds (Slurm's least). */
export const REQUEUE_DELAY_S = 5;

/** Where a program is: PATH, then the sbin directories a non-login root shell may lack. */
function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs.filter((d) => d !== '')) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Why a one-node Slurm cluster cannot be started here, or undefined when it can be tried. */
export function slurmMissing(): string | undefined {
  const missing = [...DAEMONS, ...CLIENTS].filter((name) => findProgram(name) === undefined);
  if (missing.length > 0) return `${missing.join(', ')} not found (Debian: apt-get install slurmctld slurmd slurm-client munge)`;
  if (process.getuid?.() !== 0) return 'the test cluster runs slurmd as root (it starts jobs as their user), and this is not root';
  return undefined;
}

/**
 * Live processes whose command line or environment names `dir` (Linux /proc): a job's shells,
 * workers and trainers, and its slurmstepd (their environment holds SLURM_CONF, in the cluster's
 * directory), never this process.
 */
export async function processesNaming(dir: string): Promise<{ pid: number; command: string }[]> {
  const found: { pid: number; command: string }[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const [cmdline, environ] = await Promise.all([readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => ''), readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '')]);
    // A zombie has neither: it is dead, only not yet reaped.
    if (cmdline.includes(dir) || environ.includes(dir)) found.push({ pid: Number(entry), command: cmdline.replaceAll('\0', ' ').slice(0, 200) });
  }
  return found;
}

export interface SlurmCluster {
  readonly dir: string;
  /** SLURM_CONF: every client command of this cluster (and its jobs) reads this one, never /etc/slurm. */
  readonly env: Record<string, string>;
  /** A Slurm client command (sbatch, squeue, …) on this cluster; rejects on a non-zero exit. */
  client(name: (typeof CLIENTS)[number], args: readonly string[], env?: Record<string, string>): Promise<string>;
  /**
   * What the cluster saw, for a failure message: every job as the controller knows it (finished
   * ones too, while it keeps them), and the tails of the daemons' logs. Never rejects.
   */
  diagnostics(): Promise<string>;
  /**
   * Cancels every job, waits for them to be gone, stops the daemons, removes the directory
   * (kept, with its logs, when `keep`).
   */
  stop(options?: { keep?: boolean }): Promise<void>;
}

function slurmConf(dir: string, ports: [number, number], gpus: number, cpus: number, killWaitS: number): string {
  // The controller checks that it runs on SlurmctldHost: this machine's short name.
  const host = hostname().split('.')[0] ?? 'localhost';
  return [
    'ClusterName=hyperevolve-test',
    `SlurmctldHost=${host}(127.0.0.1)`,
    `SlurmctldPort=${ports[0]}`,
    `SlurmdPort=${ports[1]}`,
    'SlurmUser=root',
    'SlurmdUser=root',
    'AuthType=auth/munge',
    'CredType=cred/munge',
    // Its own munged, so a machine-wide one (and its key) is never used or touched.
    // cred_expire: also the time a requeued job waits before it may start again (begin time: now
    // + cred_expire + 1), so that the credential slurmd revoked when the job ended lapses first;
    // 120 s by default, 5 at least. Never shortcut it (scontrol update StartTime=now): a job
    // relaunched within the second of its requeue is refused ('Job credential revoked') and ends
    // FAILED, exit code 1, never started.
    `AuthInfo=socket=${join(dir, 'munge/munge.sock')},cred_expire=${REQUEUE_DELAY_S}`,
    `StateSaveLocation=${join(dir, 'state')}`,
    `SlurmdSpoolDir=${join(dir, 'spool')}`,
    `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
    `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
    `SlurmctldLogFile=${join(dir, 'log/slurmctld.log')}`,
    `SlurmdLogFile=${join(dir, 'log/slurmd.log')}`,
    // No cgroups in a container: processes are tracked by parentage, which finds a trainer in a
    // session of its own too (a job's end kills it).
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'JobCompType=jobcomp/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'SchedulerType=sched/builtin',
    // A requeued job becomes eligible at its begin time, an event that starts no scheduling pass:
    // it waits for the main loop (every 60 s by default).
    'SchedulerParameters=sched_interval=2',
    'MpiDefault=none',
    'SwitchType=switch/none',
    'ReturnToService=2',
    `KillWait=${killWaitS}`,
    'GresTypes=gpu',
    // More CPUs than the machine has, so that each GPU can get a task.
    'SlurmdParameters=config_overrides',
    `NodeName=${SLURM_NODE} NodeHostname=${host} NodeAddr=127.0.0.1 CPUs=${cpus} Gres=gpu:${gpus} State=UNKNOWN`,
    `PartitionName=test Nodes=${SLURM_NODE} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n');
}

/**
 * A one-node Slurm cluster in a temp directory, as root: its own munged (socket and key in the
 * directory), slurmctld and slurmd on free ports, `gpus` GRES GPUs backed by character devices
 * made there (the fake nvidia-smi stands for the driver). Daemons run in the foreground as
 * children of this process; nothing of a machine-wide munge or Slurm is read or stopped.
 */
export async function startSlurmCluster(options: { gpus: number; cpus: number; killWaitS?: number }): Promise<SlurmCluster> {
  const why = slurmMissing();
  if (why !== undefined) throw new Error(`cannot start a Slurm test cluster: ${why}`);
  const dir = await mkdtemp(join(tmpdir(), 'hyperevolve-slurm-'));
  // munged wants every directory above its socket searchable by all.
  await chmod(dir, 0o755);
  for (const sub of ['munge', 'munge-key', 'state', 'spool', 'log', 'dev']) await mkdir(join(dir, sub), { recursive: true });
  await chmod(join(dir, 'munge-key'), 0o700);
  await writeFile(join(dir, 'munge-key/munge.key'), randomBytes(1024), { mode: 0o400 });
  // slurmd accepts only character or block devices as GPU files: null devices named like GPUs.
  const files = Array.from({ length: options.gpus }, (_, index) => join(dir, `dev/nvidia${index}`));
  for (const file of files) await run('mknod', [file, 'c', '1', '3']);
  const ports: [number, number] = [await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  await writeFile(conf, slurmConf(dir, ports, options.gpus, options.cpus, options.killWaitS ?? 30));
  await writeFile(join(dir, 'gres.conf'), `NodeName=${SLURM_NODE} Name=gpu File=${join(dir, `dev/nvidia[0-${options.gpus - 1}]`)}\n`);
  const env = { SLURM_CONF: conf };

  const daemons: { name: string; child: ChildProcess; exited: Promise<void> }[] = [];
  const start = (name: (typeof DAEMONS)[number], args: string[]): void => {
    const log = openSync(join(dir, `log/${name}.out`), 'a');
    const child = spawn(findProgram(name) ?? name, args, { stdio: ['ignore', log, log], env: { ...process.env, ...env } });
    closeSync(log);
    daemons.push({ name, child, exited: new Promise((resolve) => child.once('exit', () => resolve())) });
  };
  const client = async (name: (typeof CLIENTS)[number], args: readonly string[], extra: Record<string, string> = {}): Promise<string> => {
    const { stdout } = await run(findProgram(name) ?? name, [...args], { env: { ...process.env, ...extra, ...env } });
    return stdout;
  };
  const stopDaemons = async (): Promise<void> => {
    for (const daemon of daemons.reverse()) {
      if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) continue;
      daemon.child.kill('SIGTERM');
      const timer = setTimeout(() => daemon.child.kill('SIGKILL'), 10_000);
      await daemon.exited;
      clearTimeout(timer);
    }
  };
  const logs = async (chars = 1500): Promise<string> => {
    const parts = await Promise.all(['munged.out', 'munged.log', 'slurmctld.log', 'slurmd.log', 'slurmd.out', 'slurmctld.out'].map(async (file) =>
      `--- ${join(dir, 'log', file)}\n${(await readFile(join(dir, 'log', file), 'utf8').catch(() => '')).slice(-chars)}`));
    return parts.join('\n');
  };
  const diagnostics = async (): Promise<string> => {
    const jobs = await client('scontrol', ['show', 'job', '-d']).catch((error: unknown) => `scontrol show job: ${String(error)}`);
    return `--- scontrol show job -d\n${jobs}\n${await logs(6000)}`;
  };

  try {
    start('munged', ['--foreground', `--socket=${join(dir, 'munge/munge.sock')}`, `--key-file=${join(dir, 'munge-key/munge.key')}`,
      `--pid-file=${join(dir, 'munge/munged.pid')}`, `--log-file=${join(dir, 'log/munged.log')}`, `--seed-file=${join(dir, 'munge-key/munged.seed')}`]);
    await waitFor(async () => (await readFile(join(dir, 'munge/munged.pid'), 'utf8').catch(() => '')) !== '', { timeoutMs: 20_000, what: 'munged to start' });
    start('slurmctld', ['-D', '-i', '-f', conf]);
    start('slurmd', ['-D', '-N', SLURM_NODE, '-f', conf]);
    await waitFor(async () => (await client('sinfo', ['-h', '-n', SLURM_NODE, '-o', '%T']).catch(() => '')).trim() === 'idle', { timeoutMs: 60_000, what: `node ${SLURM_NODE} to be idle` });
  } catch (error) {
    const text = await logs();
    await stopDaemons();
    throw new Error(`the Slurm test cluster did not start (${dir}): ${String(error)}\n${text}`, { cause: error });
  }

  return {
    dir,
    env,
    client,
    diagnostics,
    stop: async ({ keep = false } = {}) => {
      try {
        const jobs = (await client('squeue', ['-h', '-o', '%A']).catch(() => '')).split('\n').filter((id) => id.trim() !== '');
        if (jobs.length > 0) await client('scancel', jobs).catch(() => '');
        await waitFor(async () => (await client('squeue', ['-h', '-o', '%A'])).trim() === '', { timeoutMs: 90_000, what: 'every job of the test cluster to end' }).catch(() => undefined);
      } finally {
        await stopDaemons();
        // What the jobs left (their end timed out, or slurmd went first): nothing of this cluster
        // may outlive it and write to the test's Redis keys after they are deleted.
        for (const { pid } of await processesNaming(dir)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone already
          }
        }
        if (!keep) await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
