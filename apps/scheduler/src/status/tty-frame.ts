const ESC = '\u001b[';

/** Cursor home, every line cleared to its end, the rest of the screen cleared: no flicker. */
export function ttyFrame(text: string, first: boolean): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return `${first ? `${ESC}?25l${ESC}2J` : ''}${ESC}H${lines.join(`${ESC}K\n`)}${ESC}J\n`;
}

/** Shows the cursor again when `--watch` ends. */
export const TTY_RESTORE = `${ESC}?25h`;
