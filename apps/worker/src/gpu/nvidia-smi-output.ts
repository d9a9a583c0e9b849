import { z } from 'zod';
import { describeZodError } from '@hyperevolve/contract';

/** One GPU as nvidia-smi lists it. Memory is null where the driver reports `[N/A]`. */
export interface Gpu {
  /** nvidia-smi's index, the one YOLOv5's `--device i` means. */
  readonly index: number;
  readonly uuid: string;
  readonly memoryUsedMiB: number | null;
  readonly memoryTotalMiB: number | null;
}

/** The query the worker runs; the columns {@link parseNvidiaSmiOutput} expects, in order. */
export const NVIDIA_SMI_ARGS = ['--query-gpu=index,uuid,memory.used,memory.total', '--format=csv,noheader,nounits'] as const;

const mebibytes = z
  .string()
  .trim()
  .regex(/^(\d+|\[[^\]]*\])$/, 'expected a whole number of MiB or a bracketed note such as [N/A]')
  .transform((text) => (text.startsWith('[') ? null : Number(text)));

const RowSchema = z.tuple([
  z.string().trim().regex(/^\d{1,3}$/, 'expected a GPU index such as 0').transform(Number),
  z.string().trim().regex(/^GPU-[0-9A-Za-z-]+$/, 'expected a GPU UUID such as GPU-8932f937-d72c-4106-c12f-20bd9faed9f6'),
  mebibytes,
  mebibytes,
]);

/**
 * Parses `nvidia-smi --query-gpu=index,uuid,memory.used,memory.total --format=csv,noheader,nounits`
 * (`0, GPU-…, 1234, 81559` per line). Throws an Error naming the line and column when the output
 * is not that, e.g. when a driver problem made nvidia-smi print a sentence instead.
 */
export function parseNvidiaSmiOutput(text: string): Gpu[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const gpus = lines.map((line, position) => {
    const parsed = RowSchema.safeParse(line.split(','));
    if (!parsed.success) {
      throw new Error(`line ${position + 1} of nvidia-smi's output is not "index, uuid, memory.used, memory.total" (${describeZodError(parsed.error, 'column')}): ${JSON.stringify(line)}`);
    }
    const [index, uuid, memoryUsedMiB, memoryTotalMiB] = parsed.data;
    return { index, uuid, memoryUsedMiB, memoryTotalMiB };
  });
  const seen = new Set<string>();
  for (const gpu of gpus) {
    if (seen.has(gpu.uuid)) throw new Error(`nvidia-smi listed the UUID ${gpu.uuid} twice; GPU leases need one UUID per GPU`);
    seen.add(gpu.uuid);
  }
  return gpus.sort((a, b) => a.index - b.index);
}
