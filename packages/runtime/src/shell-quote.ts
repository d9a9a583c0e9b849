const SAFE = /^[A-Za-z0-9_\-+=.,/:@%^]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Quotes one argument for a POSIX shell (bash for control characters), for humans who copy
 * `command.txt` into a terminal. The worker itself never runs a shell.
 */
export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (SAFE.test(arg)) return arg;
  if (CONTROL.test(arg)) return `$'${[...arg].map(ansiCEscape).join('')}'`;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The whole argv on one line: control characters (newlines too) are escaped, never written raw. */
export function shellQuoteArgv(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

function ansiCEscape(char: string): string {
  switch (char) {
    case '\n': return '\\n';
    case '\t': return '\\t';
    case '\r': return '\\r';
    case '\\': return '\\\\';
    case "'": return "\\'";
    default: {
      const code = char.codePointAt(0) ?? 0;
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : char;
    }
  }
}
