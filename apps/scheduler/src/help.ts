import { renderEnvironment, renderFlags, type OptionTable } from '@hyperevolve/runtime';
import { CONNECTION } from './cli/options.js';
import { EXPORT_FILES, VERB_SPECS, VERBS, type Verb } from './cli/verbs.js';

export { VERBS, type Verb };

function overview(): string {
  const commands = VERBS.map((verb) => {
    const [first, ...rest] = VERB_SPECS[verb].summary.split('\n');
    return [`  ${verb.padEnd(9)}  ${first ?? ''}`, ...rest.map((line) => `             ${line}`)].join('\n');
  });
  return `scheduler — distributed YOLOv5-style hyperparameter evolution

Usage: scheduler <command> [flags]

Commands:
${commands.join('\n')}

Files, in <out>/<campaign>/ (enqueue --out, default runs/evolve), kept up to date by serve
and written again by export:
${EXPORT_FILES}

Example:
  scheduler serve &
  worker --device 0 --allow-command "python train.py" &
  scheduler enqueue --generations 300 -- python train.py --epochs 10 --data coco128.yaml --weights yolov5s.pt --cache

Run scheduler <command> --help for the flags of one command.`;
}

/** The options of a table without the connection ones (shown in a section of their own). */
function own(table: OptionTable): OptionTable {
  return Object.fromEntries(Object.entries(table).filter(([key, option]) => !(key in CONNECTION && CONNECTION[key as keyof typeof CONNECTION] === option)));
}

function verbHelp(verb: Verb): string {
  const spec: { usage: string; about: string; options: OptionTable; example?: string } = VERB_SPECS[verb];
  const mine = own(spec.options);
  const flags = renderFlags(Object.fromEntries(Object.entries(mine).filter(([, option]) => option.flags.length > 0)));
  const envOnly = renderEnvironment(Object.fromEntries(Object.entries(mine).filter(([, option]) => option.flags.length === 0)));
  const sections = [`Usage: ${spec.usage}`, spec.about];
  if (flags !== '') sections.push(`Flags:\n${flags}`);
  if (spec.example !== undefined) sections.push(`Example:\n  ${spec.example}`);
  if (envOnly !== '') sections.push(`Environment:\n${envOnly}`);
  if (Object.keys(mine).length < Object.keys(spec.options).length) sections.push(`Connection (every verb but preview):\n${renderFlags(CONNECTION)}`);
  return sections.join('\n\n');
}

export function helpFor(verb: Verb | null): string {
  return verb === null ? overview() : verbHelp(verb);
}
