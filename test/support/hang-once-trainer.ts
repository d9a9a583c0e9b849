import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes `<dir>/hang-once.mjs`, a generic trainer run as `node hang-once.mjs <marker>`: the first
 * time it writes "<pid> <HYPEREVOLVE_DEVICE>" to the marker and hangs; once the marker exists it
 * succeeds (fitness 0.5). Returns the script's path.
 */
export async function hangOnceScript(dir: string): Promise<string> {
  const path = join(dir, 'hang-once.mjs');
  await writeFile(path, [
    "import { existsSync, writeFileSync } from 'node:fs';",
    'const marker = process.argv[2];',
    'if (!existsSync(marker)) {',
    '  writeFileSync(marker, `${process.pid} ${process.env.HYPEREVOLVE_DEVICE}`);',
    '  setInterval(() => {}, 1000);',
    '} else {',
    '  writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: 0.5 }));',
    '}',
  ].join('\n'));
  return path;
}
