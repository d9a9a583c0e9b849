/**
 * The campaign's --stall-timeout for one run: calls `onStall` once when `stallMs` pass without
 * {@link progress} (counted from {@link start}, so a trainer that never finishes its first epoch
 * stalls too).
 */
export class StallWatch {
  readonly #stallMs: number;
  readonly #onStall: (stallMs: number) => void;
  #timer: NodeJS.Timeout | undefined;
  #done = false;

  constructor(stallMs: number, onStall: (stallMs: number) => void) {
    this.#stallMs = stallMs;
    this.#onStall = onStall;
  }

  start(): void {
    this.progress();
  }

  /** A new epoch: the clock starts again. */
  progress(): void {
    if (this.#done) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#done = true;
      this.#onStall(this.#stallMs);
    }, this.#stallMs);
  }

  stop(): void {
    this.#done = true;
    clearTimeout(this.#timer);
  }
}
