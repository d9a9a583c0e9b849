import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where trial directories and exports go: tmpfs (/dev/shm) when the machine has one, so the
 * figures measure the orchestration and not one machine's disk (the calibration line prints
 * what a write costs there); HYPEREVOLVE_BENCH_DIR chooses another place, e.g. the disk
 * trials will really use.
 */
export function benchRoot(): string {
  const chosen = process.env.HYPEREVOLVE_BENCH_DIR;
  if (chosen !== undefined && chosen !== '') return chosen;
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/** A fresh directory of one scenario's own under {@link benchRoot}; the caller removes it. */
export async function benchDir(): Promise<string> {
  return mkdtemp(join(benchRoot(), 'hyperevolve-bench-'));
}
