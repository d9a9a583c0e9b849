/**
 * One declaration per command-line option: its flag(s), the environment variable that may stand
 * in for it, its help line and default, and how the raw text becomes a checked value. A CLI's
 * parser, its config type ({@link OptionValues}), its `--help` and its defaults all come from a
 * table of these.
 */

/** How a flag takes its value on the command line. */
export type FlagKind = 'string' | 'boolean' | 'list';

export interface FlagSpec {
  /** Without dashes: `generations` is `--generations`. */
  readonly name: string;
  readonly short?: string;
  readonly kind: FlagKind;
  /** The value's placeholder in help: `N`, `FILE`, `HOST:PORT`. */
  readonly value?: string;
  /** One line or more; the default and the variable are appended by the builders. */
  readonly help: string;
  /** A second value is refused instead of silently replacing the first. */
  readonly once?: boolean;
}

/** A variable read in place of a flag (or on its own), listed under "Environment" in help. */
export interface EnvSpec {
  readonly name: string;
  readonly help: string;
}

/** What an option sees of the command line and the environment. */
export interface OptionInput {
  /** The flag's value: a string, true for a switch, a list for a repeatable flag; undefined when not given. */
  flag(name: string): string | boolean | string[] | undefined;
  /** The variable's value; undefined when unset or blank. */
  env(name: string): string | undefined;
  /** The variable exactly as set ("" when set empty); undefined only when unset. */
  envAsSet(name: string): string | undefined;
}

export interface Option<T> {
  readonly flags: readonly FlagSpec[];
  readonly env: readonly EnvSpec[];
  /** Turns the input into the checked value, or throws a ConfigError naming the flag or variable and the fix. */
  read(input: OptionInput): T;
}

/** A table of options, keyed by the config field each one fills. */
export type OptionTable = Readonly<Record<string, Option<unknown>>>;

/** The config a table yields: one field per option, typed by what its `read` returns. */
export type OptionValues<Table extends OptionTable> = { -readonly [K in keyof Table]: Table[K] extends Option<infer T> ? T : never };
