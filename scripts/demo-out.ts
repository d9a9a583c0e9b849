import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Left in a demo's output directory: a later demo may replace what that one wrote there. */
const MARKER = '.hyperevolve-demo';
/** What a demo writes under its --out: the campaign's files, its trial directories, the process logs. */
const DEMO_PARTS = ['demo', join('trials', 'demo'), join('logs', 'demo')] as const;

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

/**
 * Readies a demo's --out: a demo deletes its campaign from Redis when it ends and leaves the
 * files, so the next demo would meet files of a campaign Redis no longer has, which enqueue
 * refuses to overwrite. The demo's default directory, or one an earlier demo marked, is cleared
 * of what a demo writes there; another holding such files is left alone, with the fix.
 * @param owned the demo's own directory (its default, runs/demo), marked or not
 * @returns whether an earlier demo's files were replaced
 */
export async function prepareDemoOut(out: string, owned: boolean): Promise<'fresh' | 'replaced'> {
  const present = (await Promise.all(DEMO_PARTS.map((part) => exists(join(out, part))))).some(Boolean);
  if (present && !owned && !(await exists(join(out, MARKER)))) {
    throw new Error(`${out} holds files no demo marked as its own (${DEMO_PARTS.map((part) => join(out, part)).join(', ')}); ` +
      'give the demo a directory of its own: npm run demo -- --out <empty or new directory>');
  }
  for (const part of DEMO_PARTS) await rm(join(out, part), { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await writeFile(join(out, MARKER), 'written by npm run demo: a later demo replaces demo/, trials/demo/ and logs/demo/ here\n');
  return present ? 'replaced' : 'fresh';
}
