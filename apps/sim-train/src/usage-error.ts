/** CLI misuse: `main.ts` prints the message (it names the flag and the fix) and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}
