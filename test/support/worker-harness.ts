import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  campaignKeys,
  globalKeys,
  RESULTS_QUEUE,
  TRIALS_QUEUE,
  trialJobId,
  TrialResultSchema,
  type TrialJob,
  type TrialResult,
} from '@hyperevolve/contract';
import { NO_PRUNING, parseHypYaml, type Hyp } from '@hyperevolve/ga-core';
import { BIN, FIXTURES, ProcessGroup, type Managed } from './processes.js';
import { deletePrefix, uniquePrefix } from './redis-prefix.js';
import { waitFor } from './wait-for.js';

/** YOLOv5's own hyp.scratch-low.yaml: sim-train, like train.py, needs every hyp in it. */
export async function scratchLowHyp(): Promise<Hyp> {
  return parseHypYaml(await readFile(join(FIXTURES, 'hyp.scratch-low.yaml'), 'utf8'), 'hyp.scratch-low.yaml');
}

/**
 * A test's own prefix, queues, temp workdir and worker processes, playing the scheduler's
 * part by hand: campaign state and trial hashes written directly, trial jobs added with
 * BullMQ, results read back from the results queue (nobody consumes it here).
 */
export class WorkerHarness {
  readonly prefix: string;
  readonly redisUrl: string;
  readonly redis: Redis;
  readonly trials: Queue;
  readonly results: Queue;
  readonly dir: string;
  readonly group = new ProcessGroup();
  readonly #workers: Managed[] = [];

  private constructor(redisUrl: string, prefix: string, dir: string) {
    this.redisUrl = redisUrl;
    this.prefix = prefix;
    this.dir = dir;
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.trials = new Queue(TRIALS_QUEUE, { connection: this.redis, prefix });
    this.results = new Queue(RESULTS_QUEUE, { connection: this.redis, prefix });
  }

  static async create(redisUrl: string, name: string): Promise<WorkerHarness> {
    return new WorkerHarness(redisUrl, uniquePrefix(`worker-${name}`), await mkdtemp(join(tmpdir(), 'hyperevolve-worker-test-')));
  }

  get workdir(): string {
    return join(this.dir, 'trials');
  }

  /** Environment of a worker under test: short locks, fast heartbeats, this test's prefix. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      REDIS_URL: this.redisUrl,
      HYPEREVOLVE_PREFIX: this.prefix,
      HYPEREVOLVE_LOG_LEVEL: 'debug',
      HYPEREVOLVE_LOCK_MS: '2000',
      HYPEREVOLVE_STALLED_MS: '1000',
      HYPEREVOLVE_HEARTBEAT_MS: '300',
      HYPEREVOLVE_ALLOW_COMMANDS: '',
      ...extra,
    };
  }

  /** `workdir`: another than the test's shared one, as a worker in a container of its own has. */
  startWorker(args: readonly string[] = ['--device', 'cpu', '--allow-command', process.execPath], env: Record<string, string> = {}, workdir = this.workdir): Managed {
    const worker = this.group.spawn(`worker-${this.#workers.length + 1}`, BIN.worker, ['--workdir', workdir, ...args], this.env(env));
    this.#workers.push(worker);
    return worker;
  }

  async setCampaignStatus(campaign: string, status: string): Promise<void> {
    await this.redis.hset(campaignKeys(this.prefix, campaign).state, { status, budget: 100, nextIndex: 100, recorded: 0 });
  }

  async addTrialHash(campaign: string, index: number, status = 'queued'): Promise<void> {
    await this.redis.hset(campaignKeys(this.prefix, campaign).trial(index), { index, status, hyp: '{}' });
  }

  async trialHash(campaign: string, index: number): Promise<Record<string, string>> {
    return this.redis.hgetall(campaignKeys(this.prefix, campaign).trial(index));
  }

  /** A trial job as the scheduler would add it, plus its trial hash (queued). */
  async addTrial(job: Partial<TrialJob> & Pick<TrialJob, 'campaign' | 'index' | 'command'>, attempts = 1): Promise<void> {
    const data: TrialJob = { v: 1, hyp: await scratchLowHyp(), adapter: 'yolov5', adapterParams: {}, timeoutMs: null, stallTimeoutMs: null, pruning: { ...NO_PRUNING, rungs: [] }, fastTrials: true, keepArtifacts: { mode: 'all', top: 3 }, ...job };
    await this.addTrialHash(job.campaign, job.index);
    await this.trials.add('trial', data, { jobId: trialJobId(job.campaign, job.index), attempts, backoff: { type: 'fixed', delay: 100 }, removeOnComplete: true, removeOnFail: false });
  }

  /** Every result posted so far (validated), in posting order. */
  async postedResults(): Promise<TrialResult[]> {
    const jobs = await this.results.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized']);
    return jobs
      .sort((a, b) => a.timestamp - b.timestamp)
      .map((job) => TrialResultSchema.parse(job.data));
  }

  async waitForResults(count: number, filter: (result: TrialResult) => boolean = () => true, timeoutMs = 60_000): Promise<TrialResult[]> {
    return waitFor(async () => {
      const results = (await this.postedResults()).filter(filter);
      return results.length >= count ? results : undefined;
    }, { timeoutMs, what: `${count} result(s) in the results queue` });
  }

  async heartbeat(id: string): Promise<Record<string, string>> {
    return this.redis.hgetall(globalKeys(this.prefix).worker(id));
  }

  async registeredWorkers(): Promise<string[]> {
    return this.redis.zrange(globalKeys(this.prefix).workers, 0, -1);
  }

  /**
   * SIGTERM then SIGINT first (a second signal: a worker kills its trainers' process groups at
   * once rather than let their trials finish), SIGKILL whatever is left.
   */
  async cleanup(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => Promise.race([stopAtOnce(worker), new Promise((resolve) => setTimeout(resolve, 8000))])));
    await this.group.killAll();
    await Promise.allSettled([this.trials.close(), this.results.close()]);
    await deletePrefix(this.redis, this.prefix);
    this.redis.disconnect();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Two signals, different so that they cannot merge into one: a worker's stop that does not wait for its trials. */
async function stopAtOnce(worker: Managed): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill('SIGTERM');
  await worker.kill('SIGINT');
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
