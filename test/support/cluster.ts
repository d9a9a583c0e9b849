import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ProcessGroup, runCli, type CliResult, type Managed } from './processes.js';

export interface ClusterOptions {
  /** One Redis (REDIS_URL)… */
  redisUrl: string;
  /** …or, when given, a Redis Cluster (REDIS_CLUSTER_NODES) instead of redisUrl. */
  clusterNodes?: string;
  prefix: string;
  /** Extra environment for every process. */
  env?: Record<string, string>;
}

/**
 * Real `scheduler serve` and `worker` processes against one Redis and prefix, with a temp
 * directory for exports and trial dirs. `stop()` SIGKILLs whatever is still running.
 */
export class Cluster {
  readonly group = new ProcessGroup();
  readonly redisUrl: string;
  readonly prefix: string;
  readonly dir: string;
  readonly env: Record<string, string>;
  #workers = 0;
  #serves = 0;

  private constructor(options: ClusterOptions, dir: string) {
    this.redisUrl = options.redisUrl;
    this.prefix = options.prefix;
    this.dir = dir;
    const redis: Record<string, string> = options.clusterNodes === undefined ? { REDIS_URL: options.redisUrl } : { REDIS_URL: '', REDIS_CLUSTER_NODES: options.clusterNodes };
    this.env = { ...redis, HYPEREVOLVE_PREFIX: options.prefix, HYPEREVOLVE_LOG_LEVEL: 'info', ...options.env };
  }

  static async create(options: ClusterOptions): Promise<Cluster> {
    return new Cluster(options, await mkdtemp(join(tmpdir(), 'hyperevolve-test-')));
  }

  get outDir(): string {
    return join(this.dir, 'evolve');
  }

  get workdir(): string {
    return join(this.dir, 'trials');
  }

  /** @param options.terminal on a terminal (stdout and stderr), as a person starts it; default a pipe. */
  serve(args: readonly string[] = [], options: { terminal?: boolean } = {}): Managed {
    this.#serves += 1;
    const spawn = options.terminal === true ? this.group.spawnOnTerminal.bind(this.group) : this.group.spawn.bind(this.group);
    return spawn(`serve-${this.#serves}`, BIN.scheduler, ['serve', '--tick-ms', '50', '--reconcile-ms', '1000', '--export-interval-ms', '50', ...args], this.env);
  }

  /** @param options.terminal on a terminal (stdout and stderr), as a person starts it; default a pipe. */
  worker(args: readonly string[] = ['--device', 'cpu'], env: Record<string, string> = {}, options: { terminal?: boolean } = {}): Managed {
    this.#workers += 1;
    const spawn = options.terminal === true ? this.group.spawnOnTerminal.bind(this.group) : this.group.spawn.bind(this.group);
    return spawn(
      `worker-${this.#workers}`,
      BIN.worker,
      ['--workdir', this.workdir, '--allow-command', process.execPath, ...args],
      { ...this.env, ...env },
    );
  }

  async cli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
    return runCli(BIN.scheduler, args, { ...this.env, ...env });
  }

  /** `scheduler enqueue … -- node sim-train.js …`, failing the test on a non-zero exit. */
  async enqueue(args: readonly string[], trainerArgs: readonly string[] = ['--epochs', '2', '--duration-ms', '40']): Promise<CliResult> {
    const result = await this.cli(['enqueue', '--out', this.outDir, ...args, '--', process.execPath, BIN.simTrain, ...trainerArgs]);
    if (result.code !== 0) throw new Error(`enqueue failed (${result.code}): ${result.stderr}${result.stdout}`);
    return result;
  }

  async stop(): Promise<void> {
    await this.group.killAll();
  }
}
