import type { ParseArgsConfig } from 'node:util';
import { parseFlags } from '../cli-flags.js';
import { ConfigError } from '../config-error.js';
import type { OptionInput, OptionTable, OptionValues } from './option.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface ReadOptionsSettings {
  /** Ends every message about the command line, e.g. `see scheduler enqueue --help`. */
  readonly hint: string;
  readonly allowPositionals?: boolean;
}

export type ReadResult<Table extends OptionTable> =
  | { readonly help: true }
  | {
      readonly help: false;
      readonly values: OptionValues<Table>;
      readonly positionals: string[];
      /** Index of `--` in `args`, or -1. */
      readonly terminator: number;
      readonly args: string[];
    };

/**
 * Parses `argv` against a table of options: unknown flags (with the nearest known one), missing
 * values and flags given twice that must be given once are ConfigErrors; then each option reads
 * its flag or variable and checks it. `--help`/`-h` returns before any check.
 */
export function readOptions<Table extends OptionTable>(table: Table, argv: readonly string[], env: Env, settings: ReadOptionsSettings): ReadResult<Table> {
  const config: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  const once: string[] = [];
  for (const option of Object.values(table)) {
    for (const flag of option.flags) {
      config[flag.name] = {
        type: flag.kind === 'boolean' ? 'boolean' : 'string',
        ...(flag.kind === 'list' ? { multiple: true } : {}),
        ...(flag.short === undefined ? {} : { short: flag.short }),
      };
      if (flag.once === true) once.push(flag.name);
    }
  }
  const parsed = parseFlags(argv, config, settings.hint, settings.allowPositionals ?? false);
  if (parsed.values.help === true) return { help: true };
  for (const name of once) {
    const count = parsed.counts[name] ?? 0;
    if (count > 1) {
      const given = givenValues(parsed.args, name);
      throw new ConfigError(`--${name} was given ${count} times (${given.join(', then ')}); give it once (${settings.hint})`);
    }
  }
  const input: OptionInput = {
    flag: (name) => parsed.values[name] as string | boolean | string[] | undefined,
    env: (name) => {
      const value = env[name];
      return value === undefined || value.trim() === '' ? undefined : value;
    },
    envAsSet: (name) => env[name],
  };
  const values: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(table)) values[key] = option.read(input);
  return { help: false, values: values as OptionValues<Table>, positionals: parsed.positionals, terminator: parsed.terminator, args: parsed.args };
}

/** The values given to `--name`, in order, as the user wrote them. */
function givenValues(args: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') break;
    if (arg === `--${name}`) values.push(args[i + 1] ?? '');
    else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
  }
  return values;
}
