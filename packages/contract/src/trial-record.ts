import { z } from 'zod';
import { MetricsWireSchema } from './metrics-wire.js';
import { FailureKindSchema, HypSchema, TrialStatusSchema } from './schemas.js';

/**
 * The definition of a trial hash (`<prefix>:c:{<campaign>}:trial:<index>`): every field, its
 * type, which step of a trial's life writes it and when. Redis holds strings; each field's codec
 * decodes one (zod, so a damaged field is reported by name) and encodes a value. The trial store
 * (@hyperevolve/trial-store) is the only reader and writer; nothing else names these fields.
 *
 * Lifecycle: issued (queued) → running (a worker started a run; a retry or a re-run after a
 * crash starts another, overwriting the run fields) → succeeded | failed | surplus | pruned. Imported
 * trials (`--seed-from`) are born succeeded or failed.
 */
export type TrialWriter =
  /** The breeder issues a bred candidate (issue-trial script). */
  | 'issue'
  /** `enqueue --seed-from` creates the campaign with its imported rows. */
  | 'import'
  /** A worker starts a run (start-trial script): the run fields, written once per run. */
  | 'start'
  /** The recorder records a run's result (record-result script). */
  | 'record'
  /** The reconciler records a trial as failed without a result (its job failed, or its record is damaged). */
  | 'fail'
  /** The worker running the trial records an epoch its trainer finished (record-epoch script). */
  | 'progress'
  /** The worker running the trial notes that its trainer went past a limit (warn-run script). */
  | 'warn';

interface Codec<T> {
  /** A Redis string → the value, or an issue naming what was expected. */
  readonly decode: z.ZodType<T, string>;
  readonly encode: (value: T) => string;
}

interface FieldSpec<T, W extends readonly TrialWriter[] = readonly TrialWriter[]> {
  readonly codec: Codec<T>;
  /** Kept as a literal list: types such as the trial store's RunStart are computed from it. */
  readonly writtenBy: W;
  readonly when: string;
}

const text: Codec<string> = { decode: z.string(), encode: (value) => value };

const integer: Codec<number> = {
  decode: z.string().regex(/^-?\d+$/, { message: 'expected an integer' }).transform(Number),
  encode: (value) => String(value),
};

const finite: Codec<number> = {
  decode: z.string().transform((raw, ctx) => {
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(value)) ctx.addIssue({ code: 'custom', message: `expected a finite number, got ${JSON.stringify(raw.slice(0, 40))}` });
    return value;
  }),
  encode: (value) => String(value),
};

function json<T>(schema: z.ZodType<T>, what: string): Codec<T> {
  return {
    decode: z
      .string()
      .transform((raw, ctx): unknown => {
        try {
          return JSON.parse(raw);
        } catch {
          ctx.addIssue({ code: 'custom', message: `not JSON (${JSON.stringify(raw.slice(0, 60))}); expected ${what}` });
          return z.NEVER;
        }
      })
      .pipe(schema),
    encode: (value) => JSON.stringify(value),
  };
}

function oneOf<T extends string>(schema: z.ZodType<T>): Codec<T> {
  return { decode: z.string().pipe(schema as unknown as z.ZodType<T, string>), encode: (value) => value };
}

function field<T, const W extends readonly TrialWriter[]>(codec: Codec<T>, writtenBy: W, when: string): FieldSpec<T, W> {
  return { codec, writtenBy, when };
}

export const TrialOriginSchema = z.enum(['base', 'base-mutation', 'population', 'imported']);
const indices = z.array(z.number().int().min(0));

/** Every field of a trial hash. Older releases' hashes hold a subset; unknown fields are ignored. */
export const TRIAL_FIELDS = {
  index: field(integer, ['issue', 'import'], 'once, when the trial is issued or imported'),
  status: field(oneOf(TrialStatusSchema), ['issue', 'import', 'start', 'record', 'fail'], 'queued at issue, running at each start, final when recorded'),
  origin: field(oneOf(TrialOriginSchema), ['issue', 'import'], 'once: how the candidate came about'),
  hyp: field(json(HypSchema, 'a map of hyp name to number'), ['issue', 'import'], 'once: the candidate; never changes'),
  parents: field(json(indices, 'a list of trial indices'), ['issue'], 'once: the trials it was bred from'),
  pool: field(json(indices, 'a list of trial indices'), ['issue'], 'once: the top trials the parents were drawn from'),
  poolSize: field(integer, ['issue'], 'once: finished trials when it was bred'),
  draws: field(integer, ['issue'], 'once: candidates drawn to get a new one'),
  createdAt: field(integer, ['issue', 'import'], 'once (ms since the epoch)'),
  attempt: field(integer, ['start', 'record'], 'at each run start (1-based BullMQ attempt); by the recorder only for a run that never started'),
  runName: field(text, ['start', 'record'], 'at each run start: <index>-<attempt>[-rN], the run directory'),
  worker: field(text, ['start', 'record'], 'at each run start: <host>:<pid>:<device>'),
  host: field(text, ['start', 'record'], 'at each run start'),
  device: field(text, ['start', 'record'], 'at each run start: GPU index or cpu'),
  gpuUuid: field(text, ['start', 'record'], 'at each run start, when the worker holds a GPU lease'),
  startedAt: field(integer, ['start', 'record'], 'at each run start (ms)'),
  trialDir: field(text, ['start', 'record'], 'at each run start: the run directory on the worker'),
  logPath: field(text, ['start', 'record'], 'at each run start: its train.log'),
  command: field(json(z.array(z.string()), 'a list of strings'), ['start', 'record'], 'at each run start: the exact argv'),
  epoch: field(integer, ['progress'], "after each epoch of the current run: epochs done (1 after its first); cleared at each run start"),
  epochs: field(integer, ['progress'], 'with epoch, when the trainer says how many it runs'),
  epochMetrics: field(json(MetricsWireSchema, 'a map of metric name to number or null'), ['progress'], "with epoch, when that epoch was validated: the trainer's metrics after it"),
  epochFitness: field(finite, ['progress'], 'with epoch: its fitness (the trainer\'s own, else the weights over its metrics), when it has one'),
  epochAt: field(integer, ['progress'], 'with epoch: when the worker saw it (ms)'),
  warnings: field(json(z.array(z.string()), 'a list of strings'), ['warn'], "when a run's trainer goes past a limit (TRAINER_LIMITS): one \"<runName>: <what>\" per kind per run, at most warningsPerTrial, each at most warningChars; kept over re-runs"),
  runStartedAt: field(integer, ['record'], 'written by releases up to 1af88bb with each result; startedAt holds the same'),
  runEndedAt: field(integer, ['record'], 'with each result: when its run ended (ms)'),
  durationMs: field(integer, ['record'], 'with each result: runEndedAt − startedAt'),
  metrics: field(json(MetricsWireSchema, 'a map of metric name to number or null'), ['record', 'import'], 'with each result that measured something'),
  error: field(text, ['record', 'fail', 'import'], 'with each failed result: "<kind>: <message>"'),
  errorKind: field(oneOf(FailureKindSchema), ['record', 'fail', 'import'], 'with each failed result'),
  failedRuns: field(json(z.array(z.string()), 'a list of run names'), ['record'], 'with each attempt failure: the runs counted'),
  failedAttempts: field(integer, ['record'], 'with each attempt failure: failedRuns counted'),
  fitness: field(finite, ['record', 'import'], 'once, when it succeeds'),
  prunedRung: field(integer, ['record'], 'once, when it is pruned: the rung (epochs done) it stopped at'),
  prunedFitness: field(finite, ['record'], 'with prunedRung: its fitness at that rung'),
  pruneCut: field(finite, ['record'], 'with prunedRung: the cut it was below there'),
  finishedAt: field(integer, ['record', 'fail', 'import'], 'once, when it becomes final (ms)'),
} as const;

export type TrialFieldName = keyof typeof TRIAL_FIELDS;
type ValueOf<F> = F extends { readonly codec: Codec<infer T> } ? T : never;

/** The fields of a field table that `writer` writes (generic over the table, so a test can extend it). */
export type FieldsWrittenBy<Table, Writer extends TrialWriter> = {
  [K in keyof Table]: Table[K] extends { readonly writtenBy: readonly (infer W)[] } ? (Writer extends W ? K : never) : never;
}[keyof Table];

/** The value type of a field of a field table. */
export type FieldValue<Table, K extends keyof Table> = ValueOf<Table[K]>;

/**
 * What `status` and the dashboard show of each failed trial, besides its index and error, in
 * this order (`status --json`'s keys; missing fields are null). `line`: `status` also prints the
 * field's value under the failure as `    <line> <value>` (an empty value prints nothing).
 * A field listed here shows in both without another change.
 */
export const FAILURE_VIEW = {
  errorKind: {},
  logPath: { line: 'log' },
  command: {},
  host: {},
  worker: {},
  finishedAt: {},
} as const satisfies FailureViewSpec<typeof TRIAL_FIELDS>;

/** A failure view's shape: fields of the table, each maybe with its status line's label. */
export type FailureViewSpec<Table> = { readonly [K in keyof Table]?: { readonly line?: string } };

/** A failed trial as a failure view shows it: index, error, then each viewed field or null. */
export type FailureViewOf<Table, View extends FailureViewSpec<Table>> = {
  index: number;
  error: string;
} & { -readonly [K in keyof View & keyof Table]: FieldValue<Table, K> | null };

/** A trial hash decoded: every field optional (which ones exist depends on the trial's life so far). */
export type TrialRecord = { -readonly [K in TrialFieldName]?: ValueOf<(typeof TRIAL_FIELDS)[K]> };

const FIELD_NAMES = Object.keys(TRIAL_FIELDS) as TrialFieldName[];

/** The zod schema of a trial hash as Redis returns it (strings); the definition above, as one object. */
export const TrialRecordSchema = z.object(
  Object.fromEntries(FIELD_NAMES.map((name) => [name, TRIAL_FIELDS[name].codec.decode.optional()])) as {
    [K in TrialFieldName]: z.ZodOptional<z.ZodType<ValueOf<(typeof TRIAL_FIELDS)[K]>, string>>;
  },
);

/** Field values as Redis stores them; undefined values are left out. */
export function encodeTrialFields(values: TrialRecord): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of FIELD_NAMES) {
    const value = values[name];
    if (value === undefined) continue;
    fields[name] = (TRIAL_FIELDS[name].codec.encode as (value: unknown) => string)(value);
  }
  return fields;
}
