import { z } from 'zod';
import { FailureKindSchema } from './failure-kind.js';
import { MAX_SIGNATURE } from './failure-signature.js';
import { KEPT_BEFORE_THE_SETTING, KeepArtifactsSchema } from './keep-artifacts.js';
import { AdapterParamsSchema, AdapterSchema, StrategyChoiceSchema, refineAdapter } from './plugins.js';
import { MetricsWireSchema } from './metrics-wire.js';
import { PruningSchema } from './prune-settings-schema.js';

/** Campaign names become key parts, directory names and job ids: keep them plain. */
export const CampaignNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, {
    message: 'a campaign name is 1–64 letters, digits, "_", "." or "-", starting with a letter or digit (e.g. exp, coco-s-2024)',
  });

const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });

/**
 * A hyp name: a YAML plain scalar and a CSV cell that every file format reads back unchanged.
 * The same rule as ga-core's isValidHypName (schemas.test.ts keeps the two equal); here it
 * refuses a job whose hyp names could smuggle lines into hyp.yaml before anything is written.
 */
export const HypNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, { message: 'a hyp name is letters, digits, _ . - starting with a letter or _' })
  .refine((name) => !['yes', 'no', 'on', 'off', 'true', 'false', 'null', '__proto__'].includes(name.toLowerCase()), {
    message: 'a hyp name may not be a YAML 1.1 keyword (yes/no/on/off/true/false/null)',
  });

/** Hyp name → value. Object key order is the order hyps are written in files. */
export const HypSchema = z.record(HypNameSchema, finite);

/** `integer`: the trainer takes the hyp only as a whole number (set by its profile); absent in campaigns of older releases. */
export const GeneSchema = z.object({ gain: finite.min(0), lower: finite, upper: finite, integer: z.literal(true).optional() });
export const SpaceSchema = z.record(z.string().min(1), GeneSchema);

/** Weights over the trainer profile's fitness metrics, in its order; the count is checked against the profile. */
export const FitnessWeightsSchema = z.array(finite).min(1);

/** What `enqueue` sets; two enqueues of one campaign must agree on all of it (budget aside). */
export const CampaignSettingsSchema = z.object({
  name: CampaignNameSchema,
  command: z.array(z.string()).min(1, { message: 'the training command is empty; put it after --' }),
  adapter: AdapterSchema,
  adapterParams: AdapterParamsSchema,
  baseHyp: HypSchema,
  space: SpaceSchema,
  fitnessWeights: FitnessWeightsSchema,
  strategy: StrategyChoiceSchema,
  seed: z.number().int().min(0),
  /** Wall-clock limit of one trial run; null: none. */
  timeoutMs: z.number().int().positive().nullable(),
  /** A run that reports no new epoch for this long is stopped as stalled; null: never (campaigns before it: null). */
  stallTimeoutMs: z.number().int().positive().nullable().default(null),
  /** Pruning at rungs; `none` for campaigns from before it. */
  pruning: PruningSchema,
  /** Runs of one trial before it is recorded as failed. */
  attempts: z.number().int().min(1),
  /** YOLOv5 adapter: add --noval --nosave (YOLOv5's own evolve does). */
  fastTrials: z.boolean(),
  /** What the trials' run directories keep (keep-artifacts.ts); campaigns from before it: all. */
  keepArtifacts: KeepArtifactsSchema.default(() => ({ ...KEPT_BEFORE_THE_SETTING })),
  /** Consecutive failed trials that pause the campaign (circuit breaker). */
  maxConsecutiveFailures: z.number().int().min(1),
  /** Directory (on the scheduler's machine) that receives <name>/evolve.csv etc. */
  outDir: z.string().min(1),
});
export type CampaignSettings = z.infer<typeof CampaignSettingsSchema>;

/**
 * A config as an older release wrote it: up to 1af88bb the strategy was a bare name in
 * `parentStrategy` (YOLOv5 v7.0's single or weighted, with their constants).
 */
function fromOlderReleases(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('parentStrategy' in raw) || 'strategy' in raw) return raw;
  const { parentStrategy, ...rest } = raw as Record<string, unknown>;
  return { ...rest, strategy: { name: parentStrategy, params: {} } };
}

const CampaignConfigObject = CampaignSettingsSchema.extend({
  version: z.literal(1),
  createdAt: z.number().int(),
  /** Rows imported with --seed-from; they are trials 0..importedRows-1. */
  importedRows: z.number().int().min(0),
}).superRefine(refineAdapter);
/** A campaign's config as it rests in Redis (`<prefix>:c:{<name>}:config`), older releases' included. */
export const CampaignConfigSchema = z.preprocess(fromOlderReleases, CampaignConfigObject);

export type CampaignConfig = z.infer<typeof CampaignConfigSchema>;

export const CampaignStatusSchema = z.enum(['running', 'paused', 'cancelled', 'done']);
export type CampaignStatus = z.infer<typeof CampaignStatusSchema>;

const intString = z.coerce.number().int().min(0);

/** The campaign's state hash as Redis returns it (all strings). */
export const CampaignStateSchema = z.object({
  status: CampaignStatusSchema,
  budget: intString,
  nextIndex: intString,
  recorded: intString,
  failed: intString.default(0),
  consecutiveFailures: intString.default(0),
  /** `failed` when the campaign was last resumed: the failures before it are history, not current (status). */
  clearedFailures: intString.default(0),
  /** note-failure-1.lua: the last failure's signature, the recorded + pruned count it was noted at, and trials in a row that failed with it. */
  failureSignature: z.string().optional(),
  failureMark: intString.optional(),
  sameFailures: intString.default(0),
  bestTrial: z.coerce.number().int().optional(),
  bestFitness: z.coerce.number().optional(),
  pausedReason: z.string().optional(),
  exportedRows: intString.default(0),
  /** Trials stopped at a rung (record-result script); they do not count in `recorded` or the budget. */
  pruned: intString.default(0),
  /** Their runs' device time until they were stopped, summed (ms). */
  prunedMs: intString.default(0),
  /** Epochs the workers recorded, over all trials and runs (record-epoch script). */
  epochs: intString.default(0),
  /** Why serve cannot write the campaign's files now (absent while they are written fine), and since when. */
  exportError: z.string().optional(),
  exportErrorAt: z.coerce.number().optional(),
  startedAt: z.coerce.number().optional(),
  finishedAt: z.coerce.number().optional(),
});
export type CampaignState = z.infer<typeof CampaignStateSchema>;

/** A trial job as it sits in the BullMQ queue; workers validate it before anything else. */
export const TrialJobSchema = z.object({
  v: z.literal(1),
  campaign: CampaignNameSchema,
  index: z.number().int().min(0),
  hyp: HypSchema,
  command: z.array(z.string()).min(1),
  adapter: AdapterSchema,
  /** See CampaignSettings; jobs queued before it read as `{}`. */
  adapterParams: AdapterParamsSchema,
  timeoutMs: z.number().int().positive().nullable(),
  /** See CampaignSettings; jobs queued before it read as null. */
  stallTimeoutMs: z.number().int().positive().nullable().default(null),
  /** See CampaignSettings; jobs queued before it read as `none`. */
  pruning: PruningSchema,
  fastTrials: z.boolean(),
  /** See CampaignSettings; jobs queued before it read as `all`: their worker deletes nothing. */
  keepArtifacts: KeepArtifactsSchema.default(() => ({ ...KEPT_BEFORE_THE_SETTING })),
  /**
   * The campaign's fitness weights, with which the worker computes each epoch's fitness (stored
   * with the epoch) and judges rungs. Absent from jobs queued before it: the worker reads the
   * campaign's then.
   */
  fitnessWeights: FitnessWeightsSchema.optional(),
  /**
   * The trial trains the campaign's base hyps (its first trial, or the base run again after it
   * failed): the baseline, never pruned. Absent otherwise, and from jobs queued before it.
   */
  base: z.literal(true).optional(),
  /**
   * The worker records a succeeded or pruned run itself (record-result), before it completes
   * the job, whose return value tells the scheduler (TrialJobReturnSchema); other outcomes go to
   * the results queue. Absent from jobs of older schedulers: every result goes to the queue.
   */
  workerRecords: z.literal(true).optional(),
}).superRefine(refineAdapter);
export type TrialJob = z.infer<typeof TrialJobSchema>;

export { FailureKindSchema, type FailureKind } from './failure-kind.js';

export const WorkerIdentitySchema = z.object({
  id: z.string().min(1),
  host: z.string(),
  device: z.string(),
  gpuUuid: z.string().optional(),
});
export type WorkerIdentity = z.infer<typeof WorkerIdentitySchema>;

export const PrunedAtSchema = z.object({ rung: z.number().int().min(1), fitness: finite, cut: finite });
export type PrunedAt = z.infer<typeof PrunedAtSchema>;

/** What a worker posts to the results queue after each run of a trial. */
export const TrialResultSchema = z.object({
  v: z.literal(1),
  campaign: CampaignNameSchema,
  index: z.number().int().min(0),
  /** 1-based run of this trial (BullMQ attempt). */
  attempt: z.number().int().min(1),
  /** Unique per run: the trial directory's name and YOLOv5's --name. */
  runName: z.string().min(1),
  /** True when no further run will follow (success, pruned, or the last allowed attempt failed). */
  final: z.boolean(),
  /** `pruned`: stopped at a rung, below the cut there (see `pruned`); final, never retried. */
  outcome: z.enum(['succeeded', 'failed', 'pruned']),
  metrics: MetricsWireSchema.nullable(),
  /** Generic adapter only: a fitness the program computed itself. */
  fitness: finite.nullable(),
  /**
   * `signature`: the failure's signature (failure-signature.ts), for a kind another run would
   * fail the same way; absent from other kinds' failures and older workers' results.
   */
  failure: z.object({ kind: FailureKindSchema, message: z.string(), signature: z.string().max(MAX_SIGNATURE).optional() }).nullable(),
  worker: WorkerIdentitySchema,
  command: z.array(z.string()),
  trialDir: z.string(),
  logPath: z.string(),
  startedAt: z.number(),
  finishedAt: z.number(),
  /** With outcome `pruned`: the rung (epochs done), the run's fitness there and the cut it was below. */
  pruned: PrunedAtSchema.nullable().optional(),
  /**
   * False for a run refused before it started (no trial directory, a command the worker does
   * not allow, a bad payload): its run fields are in this result only, and the recorder writes
   * them. A started run wrote them itself. Absent from older workers' results: started.
   */
  started: z.boolean().optional(),
}).superRefine((result, ctx) => {
  // Where a run stopped comes with a pruned result, and only with one.
  const pruned = result.pruned !== undefined && result.pruned !== null;
  if (result.outcome === 'pruned' && !pruned) ctx.addIssue({ code: 'custom', path: ['pruned'], message: 'a pruned result names its rung, fitness and cut' });
  if (result.outcome !== 'pruned' && pruned) ctx.addIssue({ code: 'custom', path: ['pruned'], message: `a ${result.outcome} result has no rung it was pruned at` });
});
export type TrialResult = z.infer<typeof TrialResultSchema>;

/** `pruned`: stopped at a rung (`--prune`): never a parent, never an evolve.csv row, not counted in the budget. */
export const TrialStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'surplus', 'pruned']);
export type TrialStatus = z.infer<typeof TrialStatusSchema>;
/** The statuses a trial never leaves (record-result-8.lua keeps its own list of them). */
export const FINAL_TRIAL_STATUSES: ReadonlySet<TrialStatus> = new Set(['succeeded', 'failed', 'cancelled', 'surplus', 'pruned']);

/** A process left on a worker's device: it outlived its run, or holds the GPU while no trial runs there. */
export const StraySchema = z.object({
  pid: z.number().int(),
  /** GPU memory it holds, when nvidia-smi says. */
  memoryMiB: z.number().nullable(),
  /**
   * `run-leftover`: a process of an ended run that SIGKILL did not end; `gpu-process`: on the GPU
   * while this worker runs nothing; `escaped`: `pid` is the trainer of an ended run whose output
   * something the worker could not see held open (it may have left a process behind).
   */
  origin: z.enum(['run-leftover', 'gpu-process', 'escaped']),
});
export type Stray = z.infer<typeof StraySchema>;

/** The heartbeat's `strays` field: JSON, an array of {@link StraySchema}; anything else reads as none. */
export function parseStrays(text: string | undefined): Stray[] {
  if (text === undefined) return [];
  try {
    const parsed = z.array(StraySchema).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** A worker's heartbeat hash (all strings in Redis). */
export const WorkerHeartbeatSchema = z.object({
  id: z.string(),
  host: z.string(),
  device: z.string(),
  gpuUuid: z.string().optional(),
  pid: z.coerce.number().int(),
  startedAt: z.coerce.number(),
  lastBeat: z.coerce.number(),
  currentTrial: z.string().optional(),
  trialStartedAt: z.coerce.number().optional(),
  lastTrialEndedAt: z.coerce.number().optional(),
  /** The commands it runs (allowed-commands.ts: `*` or a JSON array of token arrays); absent from workers before it was published. */
  allow: z.string().optional(),
  /** JSON array of {@link StraySchema}; absent when there are none. */
  strays: z.string().optional(),
});
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeatSchema>;
