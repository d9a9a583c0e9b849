import type { FailureKind } from '@hyperevolve/contract';

/** Kinds that another run cannot fix: the job fails at once instead of retrying. */
const UNRECOVERABLE: ReadonlySet<FailureKind> = new Set<FailureKind>(['command-not-allowed', 'bad-payload']);

/** Why one run of a trial failed; `kind` travels in the TrialResult, `message` is for humans. */
export class TrialFailure extends Error {
  override readonly name = 'TrialFailure';
  readonly kind: FailureKind;

  constructor(kind: FailureKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }

  get unrecoverable(): boolean {
    return UNRECOVERABLE.has(this.kind);
  }
}
