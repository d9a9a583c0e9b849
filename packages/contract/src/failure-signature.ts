import type { FailureKind } from './failure-kind.js';

/**
 * Kinds whose run would fail the same way again in the same environment: the trainer's own
 * exit, a command that does not start, results it never wrote or wrote garbled, a blocked
 * download. Not the ones a second run may well survive (a signal such as the out-of-memory
 * killer's, a timeout, a stall, an interruption) nor those that depend on the hyps (NaN
 * metrics), nor those the workers refuse without running anything.
 */
const DETERMINISTIC: ReadonlySet<FailureKind> = new Set<FailureKind>(['exit-code', 'spawn-error', 'results-missing', 'results-garbled', 'network-blocked']);

/** Lines of the log that a signature and a pause reason keep, each cut to this many characters. */
export const SIGNATURE_LINES = 5;
const MAX_LINE = 240;
/** Whatever the trainer printed, a signature is at most this long (it travels in every failed result). */
export const MAX_SIGNATURE = 1500;

// C0 and C1 controls (ESC of colour codes, BEL, backspace…), and DEL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// ANSI sequences whole (the ESC goes with CONTROL; the rest must not stay behind as text).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;
// The text escapeControl (runtime) leaves in a log tail for a control character.
const ESCAPED_CONTROL = /\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[rtbfv0])/g;

/**
 * The last `count` non-empty lines of a trainer's text, as printable text: colour codes and
 * other control characters dropped, trailing spaces trimmed, each line cut to 240 characters.
 * What a pause reason shows of a failure; trainer output is untrusted.
 */
export function lastLines(text: string, count = SIGNATURE_LINES): string[] {
  return text
    .split(/\r?\n|\r/)
    .map((line) => line.replace(ANSI, '').replace(CONTROL, '').replace(ESCAPED_CONTROL, '').trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .map((line) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line));
}

/**
 * One line with what differs between two runs of the same failure taken out: timestamps, paths
 * (the run's own directory, site-packages), hex ids and addresses, then every number (line
 * numbers, epochs, hyp values, pids); spaces collapsed.
 */
export function normaliseLine(line: string): string {
  return line
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>')
    .replace(/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<time>')
    .replace(/(?:[A-Za-z]:)?(?:~|\.{1,2})?(?:[\\/][^\s\\/"'`:,;()[\]{}<>]+)+[\\/]?/g, '<path>')
    .replace(/\b0x[0-9a-fA-F]+\b/g, '<hex>')
    .replace(/\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, '<hex>')
    .replace(/\b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{8,}\b/g, '<hex>')
    .replace(/[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * What identifies a deterministic failure across runs and trials: its kind and the last lines
 * of its trainer's log (the traceback's end), normalised by {@link normaliseLine}; with no log,
 * the failure's message. Two runs with equal signatures failed the same way, whatever their
 * paths, hyps and times. Null for a kind that another run may survive (see DETERMINISTIC).
 * At most {@link MAX_SIGNATURE} characters, free of control characters.
 */
export function failureSignature(kind: FailureKind, logTail: string, message: string): string | null {
  if (!DETERMINISTIC.has(kind)) return null;
  const tail = lastLines(logTail);
  const lines = (tail.length > 0 ? tail : lastLines(message)).map(normaliseLine).filter((line) => line !== '');
  return `${kind}\n${lines.join('\n')}`.slice(0, MAX_SIGNATURE);
}

/**
 * Whether a failure repeats the campaign's last one: the same signature, with no trial
 * recorded (succeeded or pruned) since that one was noted (`mark`: recorded + pruned then and
 * now). Such a failure is not retried: the next run would fail the same way.
 */
export function repeatsLastFailure(last: { signature: string | null; mark: number | null }, signature: string | null, mark: number): boolean {
  return signature !== null && last.signature === signature && last.mark === mark;
}
