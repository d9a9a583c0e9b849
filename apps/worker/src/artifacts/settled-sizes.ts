import { lstat } from 'node:fs/promises';
import { dirBytes } from './dir-bytes.js';

/**
 * The bytes of a campaign's settled runs: those whose trial is final and which are kept (not
 * pruned), sized once and reused on later passes instead of walking every such directory again
 * (under `--keep-artifacts all` that is every run of the campaign, each pass).
 *
 * Nothing is meant to write into a settled run: a worker posts its trial's result once the
 * trainer's process group has ended, and a retry runs in a run directory of its own
 * (trial-dir.ts). What could still change one is a person's hand, or a stray trainer (one that
 * outlived a lost lease while another attempt's result made the trial final). The run
 * directory's own mtime is read on each pass (one lstat) and a change re-sizes the run: files
 * added, removed or renamed at its top level. A change deeper down (a file inside `weights/` rewritten by hand) is not seen until the
 * worker restarts: the bytes are a report for `status` and the dashboard, and pruning never reads
 * them. A run that leaves the K kept is pruned and sized afresh (ArtifactKeeper's `pruned`).
 */
export class SettledSizes {
  readonly #known = new Map<string, { mtimeNs: bigint; bytes: number }>();

  /** The bytes under the settled run directory `dir` (0 when it is gone or not a directory). */
  async bytes(dir: string): Promise<number> {
    const stats = await lstat(dir, { bigint: true }).catch(() => undefined);
    if (stats === undefined || !stats.isDirectory()) {
      this.#known.delete(dir);
      return 0;
    }
    const known = this.#known.get(dir);
    if (known?.mtimeNs === stats.mtimeNs) return known.bytes;
    // The mtime read before the walk: a file added while it walks is seen by the next pass.
    const bytes = await dirBytes(dir);
    this.#known.set(dir, { mtimeNs: stats.mtimeNs, bytes });
    return bytes;
  }

  /** The run is no longer settled (pruned now): its size here is of no more use. */
  forget(dir: string): void {
    this.#known.delete(dir);
  }
}
