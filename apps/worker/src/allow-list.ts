import { commandAllowed, commandTokens, describeAllowedCommands, type AllowedCommands } from '@hyperevolve/contract';

/**
 * Which trainer commands this worker runs (matching: contract's allowed-commands.ts, which the
 * scheduler reads from the heartbeat too). Commands never pass through a shell, so a token
 * like `train.py;rm` is just an argument that does not match.
 */
export class AllowList {
  readonly #allowed: AllowedCommands;

  private constructor(allowed: AllowedCommands) {
    this.#allowed = allowed;
  }

  /** Every command is allowed (`--allow-any-command`): for trusted single-user setups only. */
  static any(): AllowList {
    return new AllowList({ any: true });
  }

  /** @param prefixes each split on whitespace into tokens; callers reject empty ones. */
  static of(prefixes: readonly string[]): AllowList {
    return new AllowList({ any: false, prefixes: prefixes.map((prefix) => commandTokens(prefix)) });
  }

  get allowsAny(): boolean {
    return this.#allowed.any;
  }

  /** What the heartbeat publishes. */
  get allowed(): AllowedCommands {
    return this.#allowed;
  }

  allows(argv: readonly string[]): boolean {
    return commandAllowed(this.#allowed, argv);
  }

  /** For logs and error messages: `"python train.py", "node"`. */
  describe(): string {
    return describeAllowedCommands(this.#allowed);
  }
}
