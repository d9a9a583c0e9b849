/**
 * Data in Redis that fails validation (written by hand, by an older version, or garbage).
 * It is reported with the key and the fix; the process keeps running.
 */
export class CorruptStateError extends Error {
  override readonly name = 'CorruptStateError';
  readonly key: string;

  constructor(key: string, problem: string, options?: { cause?: unknown }) {
    super(`${key} in Redis is not valid: ${problem}. Fix or delete that key (redis-cli DEL ${key}), or cancel the campaign.`, options);
    this.key = key;
  }
}
