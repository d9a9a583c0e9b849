/**
 * Which trainer commands a worker runs, in the form its heartbeat publishes: the worker
 * checks each job against it, and the scheduler queues a campaign's trials only while some
 * live worker allows the campaign's command. A command is allowed when it starts with every
 * token of one allowed prefix, compared token by token: the prefix `python train.py` allows
 * `python train.py --epochs 3` but not `python train.pyx` nor `python evil.py`.
 */
export type AllowedCommands =
  | { readonly any: true }
  | { readonly any: false; readonly prefixes: readonly (readonly string[])[] };

/** A prefix as typed (`"python train.py"`) → its tokens. */
export function commandTokens(prefix: string): string[] {
  return prefix.trim().split(/\s+/).filter((token) => token !== '');
}

export function commandAllowed(allowed: AllowedCommands, argv: readonly string[]): boolean {
  if (allowed.any) return true;
  return allowed.prefixes.some((prefix) => prefix.length > 0 && prefix.length <= argv.length && prefix.every((token, i) => argv[i] === token));
}

/** For the heartbeat hash: `*`, or a JSON array of token arrays. */
export function encodeAllowedCommands(allowed: AllowedCommands): string {
  return allowed.any ? '*' : JSON.stringify(allowed.prefixes);
}

/** The heartbeat's `allow` field; null when absent or unreadable (a worker from before it was published). */
export function decodeAllowedCommands(raw: string | null | undefined): AllowedCommands | null {
  if (raw === null || raw === undefined) return null;
  if (raw === '*') return { any: true };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed) || !parsed.every((p) => Array.isArray(p) && p.every((t) => typeof t === 'string'))) return null;
    return { any: false, prefixes: parsed };
  } catch {
    return null;
  }
}

/** `"python train.py", "node"`, or `any command`: for messages. */
export function describeAllowedCommands(allowed: AllowedCommands): string {
  if (allowed.any) return 'any command (--allow-any-command)';
  return allowed.prefixes.map((prefix) => JSON.stringify(prefix.join(' '))).join(', ');
}

/**
 * The program part of a command, for messages: the words before its first flag, at most
 * three (`python3 train.py` of `python3 train.py --epochs 10 --data coco.yaml`).
 */
export function commandProgram(argv: readonly string[]): string {
  const firstFlag = argv.findIndex((token, i) => i > 0 && token.startsWith('-'));
  return argv.slice(0, Math.min(firstFlag < 0 ? argv.length : firstFlag, 3)).join(' ');
}

/**
 * How many of these workers may run `argv`. A worker that publishes no list (one from before
 * lists were published) counts as allowing it: it decides for itself when it takes the job.
 */
export function countAllowing(workers: readonly (AllowedCommands | null)[], argv: readonly string[]): number {
  return workers.filter((allowed) => allowed === null || commandAllowed(allowed, argv)).length;
}
