/**
 * Writes to Redis under way, each named by what it saves. A stop that cannot wait for Redis
 * (it is down) says in its last log line what these were, and so what was not saved.
 */
export class UnsavedWrites {
  readonly #pending = new Map<number, string>();
  #next = 0;

  /** Returns `write`, noting `what` until it settles. */
  track<T>(what: string, write: Promise<T>): Promise<T> {
    const id = this.#next++;
    this.#pending.set(id, what);
    return write.finally(() => this.#pending.delete(id));
  }

  /** What is still waiting on Redis, oldest first. */
  list(): string[] {
    return [...this.#pending.values()];
  }
}

/** Resolves `'done'` with `work`, or `'late'` after `ms` (the timer does not keep the process alive). */
export async function within(work: Promise<unknown>, ms: number): Promise<'done' | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
