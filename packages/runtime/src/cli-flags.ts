import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from './config-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedFlags {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  /** Index of the `--` that ends the flags in `args`, or -1. */
  terminator: number;
  /** The arguments as parsed (a negative value glued to its flag: `--seed=-1`). */
  args: string[];
  /** How many times each flag was given (`--device 0 --device 1`: 2). */
  counts: Record<string, number>;
}

/**
 * `node:util` parseArgs with messages a user can act on: an unknown flag names the closest
 * known one, a missing value says which flag needs one, and a negative number after a flag is
 * its value (`--generations -5` is then refused as out of range, not as "ambiguous").
 * @param hint where to read more, ending each message, e.g. `see scheduler enqueue --help`
 */
export function parseFlags(argv: readonly string[], options: Options, hint: string, allowPositionals = false): ParsedFlags {
  const args = glueNegativeValues(argv, options);
  try {
    const parsed = parseArgs({ args, options, allowPositionals, strict: true, tokens: true });
    const terminator = parsed.tokens.find((t) => t.kind === 'option-terminator')?.index ?? -1;
    const counts: Record<string, number> = {};
    for (const token of parsed.tokens) if (token.kind === 'option') counts[token.name] = (counts[token.name] ?? 0) + 1;
    return { values: parsed.values, positionals: parsed.positionals, terminator, args, counts };
  } catch (error) {
    throw new ConfigError(explain(error, options, hint), { cause: error });
  }
}

/** `--flag -5` → `--flag=-5` for string flags, before any `--`. */
function glueNegativeValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (arg.startsWith('--') && !arg.includes('=') && options[arg.slice(2)]?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function explain(error: unknown, options: Options, hint: string): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(--?[^\s']+)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const guess = closest(flag.replace(/^-+/, '').replace(/=.*$/, ''), Object.keys(options));
      return `unknown flag ${flag}${guess === undefined ? '' : `; did you mean --${guess}?`} (${hint})`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = flag.replace(/^-+/, '');
      if (options[name]?.type === 'boolean') return `${flag} is a switch and takes no value; write just ${flag} (${hint})`;
      return `${flag} needs a value, as in ${flag} <value> (${hint})`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}; every value belongs to a flag (${hint})`;
    default:
      return `${message.replace(/\.?\s*$/, '')} (${hint})`;
  }
}

/** The known name nearest to `name` (a typo or a prefix of it), if any is near enough: flags, and the scheduler's verbs. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const d = candidate.startsWith(name) && name.length >= 3 ? 1 : distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
