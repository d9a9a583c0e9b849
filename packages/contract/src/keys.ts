/**
 * The Redis key layout, in one place. Every key of one campaign shares the hash tag
 * `{<campaign>}`, so the campaign's Lua scripts, MULTI blocks and pipelines stay in one slot on
 * a Redis Cluster. The global keys below have no tag and land in slots of their own: never put
 * two of them, or one of them and a campaign key, in one MULTI, pipeline or script.
 *
 * ```
 * <prefix>:campaigns                       SET     campaign names
 * <prefix>:c:{<name>}:config               STRING  campaign config (JSON, zod CampaignConfig)
 * <prefix>:c:{<name>}:state                HASH    status, budget, nextIndex, recorded, failed, best, epochs…
 * <prefix>:c:{<name>}:trial:<index>        HASH    one trial: TRIAL_FIELDS (trial-record.ts), via the trial store
 * <prefix>:c:{<name>}:population           ZSET    index → fitness of every succeeded trial
 * <prefix>:c:{<name>}:rows                 LIST    indices in the order they were recorded (evolve.csv rows)
 * <prefix>:c:{<name>}:inflight             SET     indices issued and not yet recorded
 * <prefix>:c:{<name>}:failures             LIST    indices of trials recorded as failed, in order
 * <prefix>:c:{<name>}:pruned               LIST    indices of trials stopped at a rung, in order
 * <prefix>:c:{<name>}:warned               ZSET    index → index of every trial with warnings (TRIAL_FIELDS.warnings)
 * <prefix>:c:{<name>}:rung:<epoch>         ZSET    index → fitness after that many epochs, of every trial that reached the rung
 * <prefix>:c:{<name>}:rung:<epoch>:log     LIST    "<index>:<fitness>" in arrival order, newest last, capped (windowed rungs)
 * <prefix>:c:{<name>}:issued               HASH    digest of the hyp fingerprint → index (duplicate rejection)
 * <prefix>:c:{<name>}:export-lock          STRING  token of the scheduler writing the exports
 * <prefix>:c:{<name>}:notified             HASH    event → scheduler id: whose webhook told of it (once per event)
 * <prefix>:c:{<name>}:disk                 HASH    <host>:<workdir> → JSON DiskUse: bytes its trials' run directories keep there
 * <prefix>:c:{<name>}:served               STRING  set (with an expiry) while a scheduler that issued its trials runs
 * <prefix>:workers                         ZSET    worker id → last heartbeat (ms)
 * <prefix>:worker:<id>                     HASH    host, device, gpu, current trial… (expires)
 * <prefix>:schedulers                      ZSET    scheduler id → last heartbeat (ms)
 * <prefix>:gpu:<uuid>                      STRING  <worker id>#<instance> holding the GPU lease (expires)
 * <prefix>:{trials}:*, <prefix>:{results}:* BullMQ queues
 * ```
 */
export const DEFAULT_PREFIX = 'hyperevolve';

export interface CampaignKeys {
  config: string;
  state: string;
  population: string;
  rows: string;
  inflight: string;
  failures: string;
  pruned: string;
  /** Trials with warnings (a trainer past a limit), by index. */
  warned: string;
  issued: string;
  exportLock: string;
  notified: string;
  /** Bytes the campaign's run directories take on each worker host (disk-use.ts), as its workers last measured. */
  disk: string;
  /** Set by each live scheduler that issued trials of the campaign, expiring 5 s after its last renewal: workers record their own runs only while it exists. */
  served: string;
  trial(index: number): string;
  /** The trial's learning curve: every epoch of every run, oldest first. */
  curve(index: number): string;
  /** The fitness at a rung (epochs done) of every trial that reached it: what pruning compares. */
  rung(epoch: number): string;
  /** A windowed rung's entries in the order trials reached it, newest last, capped: what a window reads. */
  rungLog(epoch: number): string;
}

export function campaignKeys(prefix: string, campaign: string): CampaignKeys {
  const base = `${prefix}:c:{${campaign}}`;
  return {
    config: `${base}:config`,
    state: `${base}:state`,
    population: `${base}:population`,
    rows: `${base}:rows`,
    inflight: `${base}:inflight`,
    failures: `${base}:failures`,
    pruned: `${base}:pruned`,
    warned: `${base}:warned`,
    issued: `${base}:issued`,
    exportLock: `${base}:export-lock`,
    notified: `${base}:notified`,
    disk: `${base}:disk`,
    served: `${base}:served`,
    trial: (index: number) => `${base}:trial:${index}`,
    curve: (index: number) => `${base}:trial:${index}:curve`,
    rung: (epoch: number) => `${base}:rung:${epoch}`,
    rungLog: (epoch: number) => `${base}:rung:${epoch}:log`,
  };
}

export interface GlobalKeys {
  campaigns: string;
  /** Hash: campaign name → when `scheduler delete` removed it (ms); gone when the name is used again. */
  deleted: string;
  workers: string;
  schedulers: string;
  worker(id: string): string;
  gpuLease(uuid: string): string;
}

export function globalKeys(prefix: string): GlobalKeys {
  return {
    campaigns: `${prefix}:campaigns`,
    deleted: `${prefix}:deleted`,
    workers: `${prefix}:workers`,
    schedulers: `${prefix}:schedulers`,
    worker: (id: string) => `${prefix}:worker:${id}`,
    gpuLease: (uuid: string) => `${prefix}:gpu:${uuid}`,
  };
}
