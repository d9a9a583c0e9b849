/**
 * Which trainer commands this worker runs. A job's argv is allowed when it starts with every
 * token of one allowed prefix, compared token by token: the prefix `python train.py` allows
 * `python train.py --epochs 3` but not `python train.pyx` nor `python evil.py`. Commands never
 * pass through a shell, so a token like `train.py;rm` is just an argument that does not match.
 */
export class AllowList {
  readonly #prefixes: readonly (readonly string[])[];
  readonly #any: boolean;

  private constructor(prefixes: readonly (readonly string[])[], any: boolean) {
    this.#prefixes = prefixes;
    this.#any = any;
  }

  /** Every command is allowed (`--allow-any-command`): for trusted single-user setups only. */
  static any(): AllowList {
    return new AllowList([], true);
  }

  /** @param prefixes each split on whitespace into tokens; callers reject empty ones. */
  static of(prefixes: readonly string[]): AllowList {
    return new AllowList(prefixes.map((prefix) => tokenize(prefix)), false);
  }

  get allowsAny(): boolean {
    return this.#any;
  }

  allows(argv: readonly string[]): boolean {
    if (this.#any) return true;
    return this.#prefixes.some((prefix) => prefix.length > 0 && prefix.length <= argv.length && prefix.every((token, i) => argv[i] === token));
  }

  /** For logs and error messages: `"python train.py", "node"`. */
  describe(): string {
    if (this.#any) return 'any command (--allow-any-command)';
    return this.#prefixes.map((prefix) => JSON.stringify(prefix.join(' '))).join(', ');
  }
}

export function tokenize(prefix: string): string[] {
  return prefix.trim().split(/\s+/).filter((token) => token !== '');
}
