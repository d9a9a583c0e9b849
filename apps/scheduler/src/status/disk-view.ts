import type { DiskUse } from '@hyperevolve/contract';

/** What a campaign's trials keep on the workers' disks (`status`, the dashboard), as the workers last measured. */
export interface DiskView {
  /** The campaign's --keep-artifacts, as the flag spells it. */
  keep: string;
  bytes: number;
  /** Run directories measured. */
  runs: number;
  /** By host, most bytes first; each host's workdirs summed; `at`: its oldest measurement (ms). */
  hosts: { host: string; bytes: number; runs: number; at: number }[];
}

/** The workdirs' reports summed by host; null when no worker has reported yet. */
export function diskView(keep: string, uses: readonly DiskUse[]): DiskView | null {
  if (uses.length === 0) return null;
  const hosts = new Map<string, { host: string; bytes: number; runs: number; at: number }>();
  for (const use of uses) {
    const host = hosts.get(use.host) ?? { host: use.host, bytes: 0, runs: 0, at: use.at };
    host.bytes += use.bytes;
    host.runs += use.runs;
    host.at = Math.min(host.at, use.at);
    hosts.set(use.host, host);
  }
  const list = [...hosts.values()].sort((a, b) => b.bytes - a.bytes || a.host.localeCompare(b.host));
  return { keep, bytes: list.reduce((sum, h) => sum + h.bytes, 0), runs: list.reduce((sum, h) => sum + h.runs, 0), hosts: list };
}
