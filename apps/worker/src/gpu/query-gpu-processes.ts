import { execa } from 'execa';

/** A process nvidia-smi lists as computing on a GPU. */
export interface GpuProcess {
  readonly pid: number;
  readonly gpuUuid: string;
  readonly memoryMiB: number | null;
}

const NVIDIA_SMI_APPS_ARGS = ['--query-compute-apps=pid,gpu_uuid,used_memory', '--format=csv,noheader,nounits'] as const;

/** Parses `nvidia-smi --query-compute-apps=pid,gpu_uuid,used_memory --format=csv,noheader,nounits`; lines it cannot read are skipped. */
function parseGpuProcesses(text: string): GpuProcess[] {
  const out: GpuProcess[] = [];
  for (const line of text.split('\n')) {
    const [pid, uuid, memory] = line.split(',').map((cell) => cell.trim());
    if (pid === undefined || !/^\d+$/.test(pid) || uuid === undefined || !uuid.startsWith('GPU-')) continue;
    out.push({ pid: Number(pid), gpuUuid: uuid, memoryMiB: memory !== undefined && /^\d+$/.test(memory) ? Number(memory) : null });
  }
  return out;
}

/** The processes on the GPUs now, or undefined when nvidia-smi cannot say. */
export async function queryGpuProcesses(timeoutMs = 20_000): Promise<GpuProcess[] | undefined> {
  const result = await execa('nvidia-smi', [...NVIDIA_SMI_APPS_ARGS], { reject: false, timeout: timeoutMs, stdin: 'ignore' });
  return result.failed ? undefined : parseGpuProcesses(String(result.stdout));
}
