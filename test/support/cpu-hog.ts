import { availableParallelism } from 'node:os';
import type { Managed, ProcessGroup } from './processes.js';

/**
 * One busy-looping process per CPU, in the group (killed with it): a test of a timing guarantee
 * runs on a machine at least this loaded, so that it proves the guarantee holds under load
 * rather than when every process is scheduled at once.
 */
export function startCpuHogs(group: ProcessGroup): Managed[] {
  return Array.from({ length: availableParallelism() }, (_, i) => group.spawn(`cpu-hog-${i + 1}`, '-e', ['for (;;) {}'], {}));
}
