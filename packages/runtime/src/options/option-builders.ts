import { resolve } from 'node:path';
import { ConfigError } from '../config-error.js';
import { parseDuration } from '../duration.js';
import { quoteInput } from '../printable.js';
import type { EnvSpec, FlagKind, FlagSpec, Option, OptionInput } from './option.js';

/** What every single-flag option declares. */
export interface FlagDeclaration {
  /** Without dashes. */
  readonly flag: string;
  readonly short?: string;
  /** Placeholder in help; each builder has its own default (N, DURATION…). */
  readonly value?: string;
  readonly help: string;
  /** A variable that supplies the value when the flag is not given. */
  readonly env?: string;
  /** How help shows the default when it is not the value itself ("random", "none"…). */
  readonly defaultText?: string;
  readonly once?: boolean;
}

/** Any option that needs more than one flag or a rule of its own: flags, variables and `read`. */
export function option<T>(declaration: { flags?: readonly FlagSpec[]; env?: readonly EnvSpec[]; read: (input: OptionInput) => T }): Option<T> {
  return { flags: declaration.flags ?? [], env: declaration.env ?? [], read: declaration.read };
}

/** The help line with "(env X; default Y)" appended, as every builder shows it. */
export function helpWith(help: string, env: string | undefined, defaultText: string | undefined): string {
  const notes = [env === undefined ? undefined : `env ${env}`, defaultText === undefined ? undefined : `default ${defaultText}`].filter((n) => n !== undefined);
  return notes.length === 0 ? help : `${help} (${notes.join('; ')})`;
}

/** The raw text of a string flag, or of its variable when the flag is absent, with where it came from. */
export function rawText(input: OptionInput, flag: string, env: string | undefined): { text: string; from: string } | undefined {
  const given = input.flag(flag);
  if (typeof given === 'string') return { text: given, from: `--${flag}` };
  if (env === undefined) return undefined;
  const fromEnv = input.env(env);
  return fromEnv === undefined ? undefined : { text: fromEnv, from: env };
}

function single<T>(d: FlagDeclaration, kind: FlagKind, placeholder: string | undefined, defaultText: string | undefined, read: (input: OptionInput) => T): Option<T> {
  const value = d.value ?? placeholder;
  const flag: FlagSpec = {
    name: d.flag,
    kind,
    help: helpWith(d.help, d.env, d.defaultText ?? defaultText),
    ...(value === undefined ? {} : { value }),
    ...(d.short === undefined ? {} : { short: d.short }),
    ...(d.once === undefined ? {} : { once: d.once }),
  };
  return { flags: [flag], env: d.env === undefined ? [] : [{ name: d.env, help: `default for --${d.flag}` }], read };
}

export interface TextDeclaration extends FlagDeclaration {
  /** Checks (and may normalise) a given value; throws a ConfigError naming `from`. */
  readonly check?: (text: string, from: string) => string;
}

export function textOption(d: TextDeclaration & { default: string }): Option<string>;
export function textOption(d: TextDeclaration & { default?: undefined }): Option<string | null>;
export function textOption(d: TextDeclaration & { default?: string }): Option<string | null> {
  return single(d, 'string', 'TEXT', d.default, (input) => {
    const raw = rawText(input, d.flag, d.env) ?? (d.default === undefined ? undefined : { text: d.default, from: `--${d.flag}` });
    if (raw === undefined) return null;
    return d.check === undefined ? raw.text : d.check(raw.text, raw.from);
  });
}

/** A value with a parser of its own (`HOST:PORT`, a list of weights…); null when not given. */
export function parsedOption<T>(d: FlagDeclaration & { parse: (text: string, from: string) => T }): Option<T | null> {
  return single(d, 'string', 'VALUE', undefined, (input) => {
    const raw = rawText(input, d.flag, d.env);
    return raw === undefined ? null : d.parse(raw.text, raw.from);
  });
}

/**
 * The same option, required: not given is a ConfigError with `message` (which says what the
 * value is for and gives an example). Help marks the flag "(required)".
 */
export function required<T>(inner: Option<T | null>, message: string): Option<T> {
  return {
    flags: inner.flags.map((flag) => ({ ...flag, help: `${flag.help} (required)` })),
    env: inner.env,
    read: (input) => {
      const value = inner.read(input);
      if (value === null) throw new ConfigError(message);
      return value;
    },
  };
}

export interface IntegerDeclaration extends FlagDeclaration {
  readonly min: number;
}

/** A whole number ≥ min; the messages say what was expected, with an example. */
export function parseInteger(text: string, from: string, min: number): number {
  const example = `e.g. ${from}${from.startsWith('-') ? ' ' : '='}${Math.max(min, 1) * 10}`;
  if (!/^-?\d+$/.test(text.trim())) throw new ConfigError(`${from}: ${quoteInput(text)} is not a whole number; expected an integer ≥ ${min}, ${example}`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new ConfigError(`${from}: ${text} is out of range; expected an integer ≥ ${min}, ${example}`);
  return n;
}

export function integerOption(d: IntegerDeclaration & { default: number }): Option<number>;
export function integerOption(d: IntegerDeclaration & { default?: undefined }): Option<number | null>;
export function integerOption(d: IntegerDeclaration & { default?: number }): Option<number | null> {
  return single(d, 'string', 'N', d.default === undefined ? undefined : String(d.default), (input) => {
    const raw = rawText(input, d.flag, d.env);
    return raw === undefined ? (d.default ?? null) : parseInteger(raw.text, raw.from, d.min);
  });
}

export interface ChoiceDeclaration<T extends string> extends FlagDeclaration {
  /** The allowed values, from the contract's zod enum (`Schema.options`) where there is one. */
  readonly choices: readonly T[];
  /** The refusal, when "is not one of a, b" is not the most helpful message. */
  readonly refuse?: (text: string, from: string) => string;
}

export function choiceOption<T extends string>(d: ChoiceDeclaration<T> & { default: T }): Option<T>;
export function choiceOption<T extends string>(d: ChoiceDeclaration<T> & { default?: undefined }): Option<T | null>;
export function choiceOption<T extends string>(d: ChoiceDeclaration<T> & { default?: T }): Option<T | null> {
  return single(d, 'string', d.choices.join('|'), d.default, (input) => {
    const raw = rawText(input, d.flag, d.env);
    if (raw === undefined) return d.default ?? null;
    const found = d.choices.find((choice) => choice === raw.text);
    if (found === undefined) throw new ConfigError(d.refuse?.(raw.text, raw.from) ?? `${raw.from}: ${quoteInput(raw.text)} is not one of ${d.choices.join(', ')}`);
    return found;
  });
}

/** A flag without a value: true when given. */
export function switchOption(d: { flag: string; help: string; short?: string }): Option<boolean> {
  return single({ ...d }, 'boolean', undefined, undefined, (input) => input.flag(d.flag) === true);
}

export interface DurationDeclaration extends FlagDeclaration {
  /** The smallest accepted value in ms, and the message when below it. */
  readonly atLeast?: { ms: number; message: (text: string, from: string) => string };
}

export function durationOption(d: DurationDeclaration & { default: number }): Option<number>;
export function durationOption(d: DurationDeclaration & { default?: undefined }): Option<number | null>;
export function durationOption(d: DurationDeclaration & { default?: number }): Option<number | null> {
  return single(d, 'string', 'DURATION', d.default === undefined ? undefined : formatMs(d.default), (input) => {
    const raw = rawText(input, d.flag, d.env);
    if (raw === undefined) return d.default ?? null;
    const ms = parseDuration(raw.text, raw.from);
    if (d.atLeast !== undefined && ms < d.atLeast.ms) throw new ConfigError(d.atLeast.message(raw.text, raw.from));
    return ms;
  });
}

/** A file or directory, made absolute against the working directory. */
export function pathOption(d: FlagDeclaration & { default: string }): Option<string>;
export function pathOption(d: FlagDeclaration & { default?: undefined }): Option<string | null>;
export function pathOption(d: FlagDeclaration & { default?: string }): Option<string | null> {
  return single(d, 'string', 'FILE', d.default, (input) => {
    const raw = rawText(input, d.flag, d.env);
    const path = raw?.text ?? d.default;
    return path === undefined ? null : resolve(path);
  });
}

/** A setting read only from the environment: a whole number of milliseconds ≥ 100. */
export function envMillisecondsOption(d: { env: string; help: string; default: number }): Option<number> {
  return {
    flags: [],
    env: [{ name: d.env, help: `${d.help} (default ${d.default})` }],
    read: (input) => {
      const text = input.env(d.env);
      if (text === undefined) return d.default;
      if (!/^\d+$/.test(text.trim()) || Number(text) < 100) {
        throw new ConfigError(`${d.env}: "${text}" is not a whole number of milliseconds ≥ 100; e.g. ${d.env}=${d.default}`);
      }
      return Number(text);
    },
  };
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0 && ms > 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
