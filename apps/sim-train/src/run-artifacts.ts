import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The size of each fake weights file: big enough to see on a disk report, small enough for tests. */
export const WEIGHTS_BYTES = 64 * 1024;

/** The 8-byte signature PNG files start with: enough for a file to look like a plot. */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * What a finished YOLOv5 run leaves besides results.csv: weights/last.pt and weights/best.pt
 * (filler, not a model; train.py saves them at the last epoch even with --nosave), and its plots
 * unless --noplots. `plantLink` adds links that point out of the run directory (tests of code
 * that must never follow them).
 */
export function writeRunArtifacts(runDir: string, options: { plots: boolean; plantLink: string | undefined }): void {
  const weights = join(runDir, 'weights');
  mkdirSync(weights, { recursive: true });
  const filler = Buffer.alloc(WEIGHTS_BYTES, 0x5a);
  writeFileSync(join(weights, 'last.pt'), filler);
  writeFileSync(join(weights, 'best.pt'), filler);
  if (options.plots) {
    writeFileSync(join(runDir, 'results.png'), Buffer.concat([PNG_SIGNATURE, Buffer.alloc(4096)]));
    writeFileSync(join(runDir, 'labels.jpg'), Buffer.alloc(2048, 0xff));
  }
  if (options.plantLink !== undefined) {
    symlinkSync(options.plantLink, join(weights, 'outside.pt'));
    symlinkSync(dirname(options.plantLink), join(runDir, 'outside-dir'));
  }
}
