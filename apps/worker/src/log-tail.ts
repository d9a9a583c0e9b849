import { escapeControl, openUntrusted } from '@hyperevolve/runtime';

/**
 * The last lines of a trainer's log, for failure messages: the traceback a user needs is
 * usually there. Control characters come back escaped (`\x1b[2J`): the message reaches
 * terminals (status, worker logs) and must not act on them. Never throws; an unreadable log
 * gives '', and so does a path the trainer replaced by a link, a FIFO or anything but a regular
 * file (the text of whatever it points at must not reach the trial's record).
 */
export async function readLogTail(path: string, maxLines = 12, maxBytes = 4096): Promise<string> {
  try {
    const opened = await openUntrusted(path);
    if (opened.kind !== 'file') return '';
    const { handle: file, size } = opened.file;
    try {
      const length = Math.min(size, maxBytes);
      const buffer = Buffer.alloc(length);
      await file.read(buffer, 0, length, size - length);
      const lines = buffer.toString('utf8').split(/\r?\n|\r/).map((line) => escapeControl(line.trimEnd(), true)).filter((line) => line !== '');
      // The first line may be cut in the middle when the log is longer than maxBytes.
      if (size > maxBytes) lines.shift();
      return lines.slice(-maxLines).join('\n');
    } finally {
      await file.close();
    }
  } catch {
    return '';
  }
}
