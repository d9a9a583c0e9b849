/**
 * Bad configuration or CLI misuse. `main.ts` of each app prints the message (which names the
 * flag or variable and the fix) and exits with code 2.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly exitCode = 2;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
