/**
 * A value read at most once per `maxAgeMs`: what changes seldom (the campaign names, the live
 * workers) is read once per tick, not on every top-up pass. A read that fails is not kept.
 */
export class Recent<T> {
  readonly #read: () => Promise<T>;
  readonly #maxAgeMs: number;
  #kept: { at: number; value: Promise<T> } | undefined;

  constructor(read: () => Promise<T>, maxAgeMs: number) {
    this.#read = read;
    this.#maxAgeMs = maxAgeMs;
  }

  get(now = Date.now()): Promise<T> {
    if (this.#kept !== undefined && now - this.#kept.at < this.#maxAgeMs) return this.#kept.value;
    const kept = { at: now, value: this.#read() };
    this.#kept = kept;
    kept.value.catch(() => {
      if (this.#kept === kept) this.#kept = undefined;
    });
    return kept.value;
  }
}
