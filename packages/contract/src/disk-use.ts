import { z } from 'zod';

/** One worker workdir's report of a campaign's run directories (a field of `campaignKeys().disk`). */
export const DiskUseSchema = z.object({
  host: z.string(),
  workdir: z.string(),
  /** Bytes of the regular files under `<workdir>/<campaign>/` (symbolic links count as nothing). */
  bytes: z.number().int().min(0),
  /** Run directories there. */
  runs: z.number().int().min(0),
  /** When it was measured (ms). */
  at: z.number(),
});
export type DiskUse = z.infer<typeof DiskUseSchema>;

/** The field a workdir's report sits under: workers that share a host and a workdir measure the same files. */
export function diskUseField(host: string, workdir: string): string {
  return `${host}:${workdir}`;
}
