const isWarning = (line: string): boolean => /^\s*warning: /.test(line);

/**
 * `status --watch` to a pipe or a log file prints a block every interval; a warning line the
 * block before already printed is left out, so a standing warning (Redis without an
 * append-only file, say) is read once, not once a second. One that goes away and comes back
 * prints again. A terminal redraws in place and needs none of this.
 */
export class RepeatedWarnings {
  #printed = new Set<string>();

  /** The block with the warnings the previous block printed taken out. */
  drop(block: string): string {
    const lines = block.split('\n');
    const kept = lines.filter((line) => !isWarning(line) || !this.#printed.has(line));
    this.#printed = new Set(lines.filter(isWarning));
    return kept.join('\n');
  }
}
