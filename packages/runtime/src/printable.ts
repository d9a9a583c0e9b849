/**
 * Text from outside (a trainer's output, a value typed on the command line) on its way to a
 * terminal or a page: control characters shown as escapes, so that `\e[2J`, an OSC title or
 * an OSC 52 clipboard write prints as text instead of acting on the reader's terminal.
 */

/**
 * C0 controls (tab and newline aside), DEL, C1 controls (0x9b is a one-byte CSI), and the
 * invisible Unicode controls that reorder or hide text (bidi overrides and isolates,
 * zero-width characters, line and paragraph separators).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
/** What JSON.stringify leaves raw but a terminal may act on. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function escapeChar(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\r') return '\\r';
  if (char === '\n') return '\\n';
  if (char === '\t') return '\\t';
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character written as an escape (`\x1b`, `\r`, `\u202e`). Newlines
 * and tabs stay unless `oneLine` (then they are escaped too, for a line of a table).
 */
export function escapeControl(text: string, oneLine = false): string {
  return text.replace(oneLine ? UNSAFE_ONE_LINE : UNSAFE, escapeChar);
}

/**
 * JSON text (JSON.stringify's, pino's) made safe on a terminal: the controls JSON leaves raw
 * become \u escapes, which only occur inside strings, so it parses back to the same value.
 */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON.stringify whose output is safe on a terminal; it parses back to the same value. */
export function stringifyForTerminal(value: unknown, space?: number): string {
  return escapeJsonForTerminal(JSON.stringify(value, null, space));
}

/**
 * A value someone typed, quoted for an error message: control characters escaped and, past
 * `max` characters, cut with a note of its length (a 10,000-character name is not echoed).
 */
export function quoteInput(value: string, max = 80): string {
  if (value.length <= max) return `"${escapeControl(value, true)}"`;
  return `"${escapeControl(value.slice(0, max), true)}…" (${value.length} characters)`;
}
