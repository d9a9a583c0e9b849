/**
 * Bad input to ga-core (a malformed space, hyp file, CSV…). The message names where the
 * problem is and what was expected; apps turn it into exit code 2 at the CLI boundary.
 */
export class GaInputError extends Error {
  override readonly name = 'GaInputError';
  /** Where the bad input came from: a file path, `line 3, column "lr0"`, a field name. */
  readonly where: string | undefined;

  constructor(message: string, options?: { where?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.where = options?.where;
  }
}
