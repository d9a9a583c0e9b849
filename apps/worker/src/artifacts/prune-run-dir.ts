import { lstat, opendir, rmdir, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** Weights and checkpoints as trainers save them (YOLOv5, Ultralytics, PyTorch, exports of them). */
const WEIGHT_EXTENSIONS = new Set(['.pt', '.pth', '.ckpt', '.safetensors', '.onnx', '.engine', '.torchscript', '.tflite', '.pb', '.h5', '.mlmodel', '.mlpackage']);
/** Plots and the sample images trainers draw (labels.jpg, train_batch0.jpg, results.png, …). */
const PLOT_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.svg', '.gif', '.webp', '.bmp', '.tif', '.tiff', '.pdf']);
/** Any other file at least this big goes too: a run directory keeps small text only. */
export const LARGE_FILE_BYTES = 1024 * 1024;
/** Deeper than this, nothing is looked at (a trainer's runaway tree is not walked for ever). */
const MAX_DEPTH = 8;

export interface PrunedRun {
  /** Files (and links) removed. */
  removed: number;
  /** Their bytes (a link counts as nothing). */
  bytes: number;
}

/** A weights file, a plot, or a name any trainer's artifact may have: what a pruned run loses. */
export function isArtifactName(name: string): boolean {
  const ext = extname(name).toLowerCase();
  return WEIGHT_EXTENSIONS.has(ext) || PLOT_EXTENSIONS.has(ext);
}

/**
 * Deletes a finished run's artifacts from its directory: weights, plots and any file of
 * {@link LARGE_FILE_BYTES} or more, at any depth, except the files at the paths in `keep`
 * (relative to `dir`, `/`-separated: the worker's hyp.yaml, command.txt, train.log and the profile's results file, which exports
 * and the dashboard read). Everything in the directory was written by the trainer and is
 * untrusted: entries are judged by what they are (readdir's types and lstat: a symbolic link is
 * never followed), a link is only ever unlinked itself, and nothing outside `dir` is touched.
 * Empty folders left behind (weights/) are removed. `dir` itself must be a real directory.
 */
export async function pruneRunDir(dir: string, keep: ReadonlySet<string>): Promise<PrunedRun> {
  const top = await lstat(dir);
  if (!top.isDirectory()) return { removed: 0, bytes: 0 };
  const total: PrunedRun = { removed: 0, bytes: 0 };
  await pruneFolder(dir, '', keep, total);
  return total;
}

async function pruneFolder(dir: string, at: string, keep: ReadonlySet<string>, total: PrunedRun): Promise<void> {
  const folder = await opendir(dir).catch(ignoreGone);
  if (folder === undefined) return;
  const depth = at === '' ? 0 : at.split('/').length;
  for await (const entry of folder) {
    const path = join(dir, entry.name);
    const rel = at === '' ? entry.name : `${at}/${entry.name}`;
    if (entry.isDirectory()) {
      if (depth + 1 >= MAX_DEPTH) continue;
      await pruneFolder(path, rel, keep, total);
      // Only when empty: a folder with kept files stays.
      await rmdir(path).catch(() => undefined);
    } else if (entry.isSymbolicLink()) {
      // The link, never what it points at: unlink does not follow it.
      if (isArtifactName(entry.name) && (await remove(path))) total.removed += 1;
    } else if (entry.isFile() && !keep.has(rel)) {
      const stats = await lstat(path).catch(ignoreGone);
      if (stats === undefined || !stats.isFile()) continue;
      if ((isArtifactName(entry.name) || stats.size >= LARGE_FILE_BYTES) && (await remove(path))) {
        total.removed += 1;
        total.bytes += stats.size;
      }
    }
  }
}

async function remove(path: string): Promise<boolean> {
  return unlink(path).then(() => true, (error: unknown) => {
    ignoreGone(error);
    return false;
  });
}

/** Another worker sharing the workdir may prune the same run at the same time. */
function ignoreGone(error: unknown): undefined {
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
  throw error;
}
