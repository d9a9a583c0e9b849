import { failureSignature, type FailureKind } from '@hyperevolve/contract';

/** Kinds that another run cannot fix: the job fails at once instead of retrying. */
const UNRECOVERABLE: ReadonlySet<FailureKind> = new Set<FailureKind>(['command-not-allowed', 'bad-payload']);

export interface TrialFailureOptions {
  cause?: unknown;
  /** The last lines of the trainer's log, which the failure's signature is computed from. */
  logTail?: string;
  /** See {@link TrialFailure.notRetried}. */
  repeatOf?: { signature: string | null };
}

/** Why one run of a trial failed; `kind` travels in the TrialResult, `message` is for humans. */
export class TrialFailure extends Error {
  override readonly name = 'TrialFailure';
  readonly kind: FailureKind;
  /** contract's failureSignature: null for a kind another run may survive. */
  readonly signature: string | null;
  readonly #repeated: boolean;

  constructor(kind: FailureKind, message: string, options?: TrialFailureOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.signature = options?.repeatOf === undefined ? failureSignature(kind, options?.logTail ?? '', message) : options.repeatOf.signature;
    this.#repeated = options?.repeatOf !== undefined;
  }

  /** No further run of the trial can help: its kind, or a failure that repeats the campaign's last one. */
  get unrecoverable(): boolean {
    return this.#repeated || UNRECOVERABLE.has(this.kind);
  }

  /**
   * This failure, not to be retried: it repeats the campaign's last failure (the same signature,
   * no trial recorded in between), so another run would fail the same way. The message says so;
   * the signature stays the one computed from the log.
   */
  notRetried(): TrialFailure {
    // In front: the message ends with the log's last lines, which a pause reason shows as they are.
    return new TrialFailure(this.kind, `not retried (the campaign's previous failure ended the same way): ${this.message}`, { cause: this.cause, repeatOf: this });
  }
}
