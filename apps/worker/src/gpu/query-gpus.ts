import { execa } from 'execa';
import { NVIDIA_SMI_ARGS, parseNvidiaSmiOutput, type Gpu } from './nvidia-smi-output.js';

/** What asking nvidia-smi gave: the GPUs, no nvidia-smi at all, or a failure worth showing. */
export type GpuQuery =
  | { readonly kind: 'listed'; readonly gpus: readonly Gpu[] }
  | { readonly kind: 'missing' }
  | { readonly kind: 'failed'; readonly message: string };

/** Runs nvidia-smi (found on PATH; argv, no shell) and parses its GPU list. */
export async function queryGpus(timeoutMs = 20_000): Promise<GpuQuery> {
  const result = await execa('nvidia-smi', [...NVIDIA_SMI_ARGS], { reject: false, timeout: timeoutMs, stdin: 'ignore' });
  if (result.code === 'ENOENT') return { kind: 'missing' };
  if (result.failed) {
    // nvidia-smi prints its complaints (driver/library mismatch, no devices) on stdout.
    const said = [result.stdout, result.stderr].map((text) => String(text).trim()).filter((text) => text !== '').join(' ');
    const how = result.timedOut ? `did not answer within ${timeoutMs} ms` : result.exitCode === undefined ? result.shortMessage : `exited with code ${result.exitCode}`;
    return { kind: 'failed', message: `nvidia-smi ${how}${said === '' ? '' : `: ${said.slice(0, 500)}`}` };
  }
  try {
    return { kind: 'listed', gpus: parseNvidiaSmiOutput(String(result.stdout)) };
  } catch (error) {
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}
