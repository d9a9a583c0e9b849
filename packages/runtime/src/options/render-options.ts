import type { OptionTable } from './option.js';

const WIDTH = 100;

/**
 * The flags of a table as help lines: `  --flag VALUE   help (env X; default Y)`, the help
 * wrapped under its column. Flags in table order, each once.
 */
export function renderFlags(table: OptionTable, column = 27): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const option of Object.values(table)) {
    for (const flag of option.flags) {
      if (seen.has(flag.name)) continue;
      seen.add(flag.name);
      const label = `  ${flag.short === undefined ? '' : `-${flag.short}, `}--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`;
      lines.push(...columns(label, flag.help, column));
    }
  }
  return lines.join('\n');
}

/** The variables a table reads, as help lines. */
export function renderEnvironment(table: OptionTable, column = 33): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const option of Object.values(table)) {
    for (const env of option.env) {
      if (seen.has(env.name)) continue;
      seen.add(env.name);
      lines.push(...columns(`  ${env.name}`, env.help, column));
    }
  }
  return lines.join('\n');
}

/** `label` then `text` wrapped at {@link WIDTH} under `column`; a label too long for it gets a line of its own. */
function columns(label: string, text: string, column: number): string[] {
  const indent = ' '.repeat(column);
  const wrapped = wrap(text, WIDTH - column);
  const [first = '', ...rest] = wrapped;
  const head = label.length < column ? [`${label.padEnd(column)}${first}`] : [label, `${indent}${first}`];
  return [...head, ...rest.map((line) => `${indent}${line}`)];
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(line);
  }
  return lines;
}
