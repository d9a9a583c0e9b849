import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  CampaignNameSchema,
  CampaignSettingsSchema,
  FINAL_TRIAL_STATUSES,
  campaignKeys,
  describeKeepArtifacts,
  diskUseField,
  type DiskUse,
} from '@hyperevolve/contract';
import { configureTrainer } from '@hyperevolve/ga-core';
import { formatByteSize, type RedisClient } from '@hyperevolve/runtime';
import type { TrialStore } from '@hyperevolve/trial-store';
import { dirBytes } from './dir-bytes.js';
import { keptFiles, type ArtifactCampaign } from './kept-files.js';
import { pruneRunDir } from './prune-run-dir.js';
import { SettledSizes } from './settled-sizes.js';

/** A run directory's name as the worker makes it (trial-dir.ts): `<index>-<attempt>[-rN]`. */
const RUN_NAME = /^(\d+)-\d+(?:-r\d+)?$/;

/**
 * The least time, in ms, from the start of one pass to the start of a pass that a trial's end
 * asks for (note): trials that end meanwhile are all covered by that one pass. On a worker of
 * many devices with short trials a pass per trial is file-system and Redis work per trial that
 * can be per batch. A second is short beside a trial and beside how often people read `status`
 * or the dashboard, and the weights of one second's trials are all that wait on disk for it.
 */
export const NOTE_PASS_SPACING_MS = 1_000;

export interface ArtifactKeeperOptions {
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly trials: TrialStore;
  readonly workdir: string;
  readonly host: string;
  /** How often campaigns with trials on this host are looked at again, besides after trials end (NOTE_PASS_SPACING_MS). */
  readonly intervalMs: number;
  readonly log: Logger;
}

interface Tracked {
  campaign: ArtifactCampaign;
  /** Runs already pruned here, and the bytes they kept: never looked into again. */
  readonly pruned: Map<string, number>;
  /** Runs final and kept: sized once, again only when their directory changes. */
  readonly settled: SettledSizes;
  /** The campaign's --seed-from rows (trials 0..n-1), read once under best:K. */
  imported?: number;
}

/**
 * Carries out each campaign's `--keep-artifacts` on this worker's disk, where its trials' run
 * directories are (workers on other machines keep theirs), and reports the bytes they take into
 * Redis (the campaign's `disk` hash, one field per host and workdir) for `status` and the
 * dashboard. A run is pruned (pruneRunDir) once its trial is final and it is not to be kept:
 * under `none` every run; under `best:K` every run but the recorded one of the K fittest trials,
 * read from the campaign's population each time, so a trial that drops out of the K is pruned at
 * the next look. It looks after the trials this process ran (note; one look for all that end
 * within NOTE_PASS_SPACING_MS) and every `intervalMs` until the campaign is done or cancelled and
 * every run there is final; never on the trial's hot path. Kept runs whose trial is final are
 * sized once (SettledSizes), pruned ones once after pruning.
 */
export class ArtifactKeeper {
  readonly #options: ArtifactKeeperOptions;
  readonly #campaigns = new Map<string, Tracked>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  /** When the last pass started (performance.now()); a note's pass waits NOTE_PASS_SPACING_MS after it. */
  #lastStart = -Infinity;
  /** A note's pass, waiting for its spacing. */
  #spaced: NodeJS.Timeout | undefined;

  constructor(options: ArtifactKeeperOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer ??= setInterval(() => this.#kick(), this.#options.intervalMs);
    this.#timer.unref();
  }

  /**
   * No more looks. One under way is not waited for: with Redis gone it could hold up the
   * worker's stop, and what it leaves undone the next look (of any worker here) does; so does
   * a note's pass still waiting for its spacing, as a pass asked for during a pass always was.
   */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    clearTimeout(this.#spaced);
    this.#spaced = undefined;
  }

  /**
   * Takes up the campaigns whose run directories are in the workdir from before this process
   * (a restarted worker): those Redis still has, with their --keep-artifacts.
   */
  async adopt(): Promise<void> {
    const { redis, prefix, workdir, log } = this.#options;
    const entries = await readdir(workdir, { withFileTypes: true }).catch(() => []);
    const names = entries.filter((entry) => entry.isDirectory() && CampaignNameSchema.safeParse(entry.name).success).map((entry) => entry.name);
    for (const name of names) {
      const raw = await redis.get(campaignKeys(prefix, name).config);
      if (raw === null) continue;
      try {
        const { keepArtifacts: keep, adapter, adapterParams, command } = CampaignSettingsSchema.pick({ keepArtifacts: true, adapter: true, adapterParams: true, command: true }).parse(JSON.parse(raw));
        configureTrainer(adapter, adapterParams); // params its profile refuses: the catch below
        if (!this.#campaigns.has(name)) this.#campaigns.set(name, newTracked({ keep, adapter, adapterParams, command }));
      } catch (error) {
        log.warn({ err: error, campaign: name }, "could not read the campaign's --keep-artifacts; its run directories here are left as they are");
      }
    }
    if (this.#campaigns.size > 0) this.#kick();
  }

  /** A trial of `campaign` ended on this host: look at its runs soon. */
  note(campaign: string, settings: ArtifactCampaign): void {
    const tracked = this.#campaigns.get(campaign);
    if (tracked === undefined) this.#campaigns.set(campaign, newTracked(settings));
    else tracked.campaign = settings;
    this.#kickSpaced();
  }

  /** A pass now, or NOTE_PASS_SPACING_MS after the last one started: one for all the notes meanwhile. */
  #kickSpaced(): void {
    if (this.#stopped || this.#spaced !== undefined) return;
    const wait = this.#lastStart + NOTE_PASS_SPACING_MS - performance.now();
    if (wait <= 0) {
      this.#kick();
      return;
    }
    this.#spaced = setTimeout(() => {
      this.#spaced = undefined;
      this.#kickSpaced();
    }, Math.ceil(wait));
    this.#spaced.unref();
  }

  /** One pass over every campaign at a time; a kick during a pass asks for one more. */
  #kick(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#lastStart = performance.now();
    this.#running = this.#pass().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.#kick();
      }
    });
  }

  async #pass(): Promise<void> {
    for (const [campaign, tracked] of [...this.#campaigns]) {
      try {
        if (await this.#look(campaign, tracked)) this.#campaigns.delete(campaign);
      } catch (error) {
        this.#options.log.warn({ err: error, campaign }, "could not tidy the campaign's run directories; trying again later");
      }
    }
  }

  /** Prunes what the campaign no longer keeps and reports its bytes; true when nothing more can change. */
  async #look(campaign: string, tracked: Tracked): Promise<boolean> {
    const { redis, prefix, trials, workdir, host, log } = this.#options;
    const keys = campaignKeys(prefix, campaign);
    const projectDir = join(workdir, campaign);
    const runs = await listRuns(projectDir);
    const open = runs.filter((run) => !tracked.pruned.has(run.name));
    const { keep } = tracked.campaign;
    // The trials first, then the top K: a trial read as succeeded is in the population read
    // after it (record-result-8.lua does both at once); read together, a result recorded
    // between them would leave the new best trial final, outside the K, and pruned.
    const named = await trials.readRunNames(campaign, open.map((run) => run.index));
    // Imported trials have no run anywhere: they take none of the K places.
    const imported = keep.mode === 'best' ? (tracked.imported ??= await readImportedRows(redis, keys.config)) : 0;
    const [status, top] = await Promise.all([
      redis.hget(keys.state, 'status'),
      keep.mode === 'best' ? redis.zrevrange(keys.population, 0, keep.top - 1 + imported) : Promise.resolve([]),
    ]);
    // Deleted: its directories are the user's now, and nothing is reported for it.
    if (status === null) return true;
    const kept = new Set(top.map(Number).filter((index) => index >= imported).slice(0, keep.mode === 'best' ? keep.top : 0));
    let unresolved = 0;
    const settled = new Set<string>();
    for (const [i, run] of open.entries()) {
      const trial = named[i];
      if (trial?.status === null || trial?.status === undefined) continue;
      if (!FINAL_TRIAL_STATUSES.has(trial.status)) {
        unresolved += 1;
        continue;
      }
      const dir = join(projectDir, run.name);
      if (keep.mode === 'all' || (keep.mode === 'best' && kept.has(run.index) && trial.runName === run.name)) {
        settled.add(run.name);
        continue;
      }
      tracked.settled.forget(dir);
      const pruned = await pruneRunDir(dir, await keptFiles(tracked.campaign, projectDir, run.name));
      tracked.pruned.set(run.name, await dirBytes(dir));
      if (pruned.removed > 0) {
        const why = keep.mode === 'none' ? 'none' : `not among the ${keep.top} fittest`;
        log.info({ campaign, runName: run.name, files: pruned.removed, bytes: pruned.bytes }, `deleted ${formatByteSize(pruned.bytes)} of weights and plots from run ${run.name} (--keep-artifacts ${describeKeepArtifacts(keep)}: ${why})`);
      }
    }
    let bytes = 0;
    for (const run of runs) {
      const dir = join(projectDir, run.name);
      bytes += tracked.pruned.get(run.name) ?? (settled.has(run.name) ? await tracked.settled.bytes(dir) : await dirBytes(dir));
    }
    const use: DiskUse = { host, workdir, bytes, runs: runs.length, at: Date.now() };
    await redis.hset(keys.disk, diskUseField(host, workdir), JSON.stringify(use));
    return (status === 'done' || status === 'cancelled') && unresolved === 0;
  }
}

function newTracked(campaign: ArtifactCampaign): Tracked {
  return { campaign, pruned: new Map(), settled: new SettledSizes() };
}

/** How many rows the campaign imported with --seed-from (its config's importedRows; 0 when unreadable). */
async function readImportedRows(redis: RedisClient, configKey: string): Promise<number> {
  const raw = await redis.get(configKey);
  const rows: unknown = raw === null ? 0 : (JSON.parse(raw) as { importedRows?: unknown }).importedRows;
  return typeof rows === 'number' && Number.isSafeInteger(rows) && rows > 0 ? rows : 0;
}

/** The run directories under `<workdir>/<campaign>`: real directories only (a link there is a trainer's, never followed). */
async function listRuns(projectDir: string): Promise<{ name: string; index: number }[]> {
  const stats = await lstat(projectDir).catch(() => undefined);
  if (stats === undefined || !stats.isDirectory()) return [];
  const entries = await readdir(projectDir, { withFileTypes: true });
  return entries.flatMap((entry) => {
    const match = entry.isDirectory() ? RUN_NAME.exec(entry.name) : null;
    return match === null ? [] : [{ name: entry.name, index: Number(match[1]) }];
  });
}
