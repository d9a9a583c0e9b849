import { ConfigError, closest, quoteInput, readOptions, type OptionValues } from '@hyperevolve/runtime';
import type { CONNECTION } from './cli/options.js';
import { VERB_SPECS, VERBS, type Verb } from './cli/verbs.js';
import { helpFor } from './help.js';

/**
 * The only place the scheduler reads process.env and argv; everything after trusts these types.
 * Each config is what its verb's option table (cli/verbs.ts) yields, plus the verb.
 */
type Values<V extends Verb> = OptionValues<(typeof VERB_SPECS)[V]['options']>;

/** Where Redis is (one server or a cluster), the key prefix and the log level. */
export type CommonConfig = OptionValues<typeof CONNECTION>;
export type ServeConfig = { verb: 'serve' } & Values<'serve'>;
export type EnqueueConfig = { verb: 'enqueue'; command: string[] } & Values<'enqueue'>;
export type CampaignVerbConfig = { verb: 'pause' | 'resume' | 'cancel' } & Values<'pause'>;
export type BestConfig = { verb: 'best' } & Values<'best'>;
export type DeleteConfig = { verb: 'delete' } & Values<'delete'>;
export type StatusConfig = { verb: 'status' } & Omit<Values<'status'>, 'watch'> & Values<'status'>['watch'];
export type ExportConfig = { verb: 'export' } & Values<'export'>;
export type ListConfig = { verb: 'list' } & Values<'list'>;
/** `command`: the training command after --, when given: preview reads only its epoch count (for --prune's rungs). */
export type PreviewConfig = { verb: 'preview'; command: string[] | null } & Values<'preview'>;
export interface HelpConfig {
  verb: 'help';
  text: string;
}

export type SchedulerConfig = EnqueueConfig | ServeConfig | CampaignVerbConfig | BestConfig | DeleteConfig | StatusConfig | ExportConfig | ListConfig | PreviewConfig | HelpConfig;

type Env = Readonly<Record<string, string | undefined>>;

/** Parses `scheduler <verb> [flags] [-- command…]`; throws ConfigError (exit 2) on misuse. */
export function loadConfig(argv: readonly string[], env: Env = process.env): SchedulerConfig {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && (VERBS as readonly string[]).includes(topic)) return { verb: 'help', text: helpFor(topic as Verb) };
    return { verb: 'help', text: helpFor(null) };
  }
  if (!(VERBS as readonly string[]).includes(first)) {
    const guess = closest(first, VERBS);
    throw new ConfigError(`unknown command ${quoteInput(first)}${guess === undefined ? '' : `; did you mean ${guess}?`} (commands: ${VERBS.join(', ')}; see scheduler --help)`);
  }
  const verb = first as Verb;
  switch (verb) {
    case 'enqueue': {
      const read = readVerb('enqueue', rest, env);
      if (read === 'help') return { verb: 'help', text: helpFor(verb) };
      return { verb, ...read.values, command: trainingCommand(read, verb) };
    }
    case 'preview': {
      const read = readVerb(verb, rest, env);
      if (read === 'help') return { verb: 'help', text: helpFor(verb) };
      if (read.terminator < 0 && read.positionals.length > 0) {
        throw new ConfigError(`scheduler preview: unexpected argument ${quoteInput(read.positionals[0] ?? '')}; a training command (for --prune's rungs) goes after --`);
      }
      return { verb, ...read.values, command: read.terminator < 0 ? null : trainingCommand(read, verb) };
    }
    case 'status': {
      const read = readVerb('status', rest, env);
      if (read === 'help') return { verb: 'help', text: helpFor(verb) };
      const { watch, ...values } = read.values;
      return { verb, ...values, ...watch };
    }
    case 'serve':
    case 'export':
    case 'list':
    case 'best':
    case 'delete': {
      const read = readVerb(verb, rest, env);
      if (read === 'help') return { verb: 'help', text: helpFor(verb) };
      return { verb, ...read.values } as SchedulerConfig;
    }
    case 'pause':
    case 'resume':
    case 'cancel': {
      const read = readVerb(verb, rest, env);
      if (read === 'help') return { verb: 'help', text: helpFor(verb) };
      return { verb, ...read.values };
    }
  }
}

interface VerbRead<V extends Verb> {
  values: Values<V>;
  positionals: string[];
  terminator: number;
  args: string[];
}

function readVerb<V extends Verb>(verb: V, args: readonly string[], env: Env): VerbRead<V> | 'help' {
  const spec = VERB_SPECS[verb];
  // The training command's own flags go after --; say so when one lands before it.
  const hint = verb === 'enqueue' ? 'flags of the training command go after --; see scheduler enqueue --help' : `see scheduler ${verb} --help`;
  const read = readOptions(spec.options as (typeof VERB_SPECS)[V]['options'], args, env, { hint, allowPositionals: true });
  if (read.help) return 'help';
  if (!('command' in spec) && read.positionals.length > 0) {
    throw new ConfigError(`scheduler ${verb}: unexpected argument ${quoteInput(read.positionals[0] ?? '')}; see scheduler ${verb} --help`);
  }
  return { values: read.values, positionals: read.positionals, terminator: read.terminator, args: read.args };
}

/** The words after `--`: the training command, which must be there and not be empty. */
function trainingCommand(read: VerbRead<'enqueue' | 'preview'>, verb: 'enqueue' | 'preview'): string[] {
  if (read.terminator < 0) {
    throw new ConfigError('scheduler enqueue: no training command; put it after --, e.g. scheduler enqueue --generations 100 -- python train.py --epochs 10 --data coco128.yaml');
  }
  const after = read.args.length - read.terminator - 1;
  const before = read.positionals.slice(0, read.positionals.length - after);
  if (before.length > 0) throw new ConfigError(`scheduler ${verb}: unexpected argument ${quoteInput(before[0] ?? '')} before --; the training command goes after --`);
  const command = read.positionals.slice(before.length);
  if (command.length === 0) throw new ConfigError(`scheduler ${verb}: the training command after -- is empty, e.g. -- python train.py --epochs 10`);
  return command;
}
