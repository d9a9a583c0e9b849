import type { CampaignConfig, CampaignSettings } from '@hyperevolve/contract';

const COMPARED: readonly Exclude<keyof CampaignSettings, 'seed' | 'name'>[] = [
  'command', 'adapter', 'adapterParams', 'baseHyp', 'space', 'fitnessWeights', 'strategy',
  'timeoutMs', 'stallTimeoutMs', 'pruning', 'attempts', 'fastTrials', 'keepArtifacts', 'maxConsecutiveFailures', 'outDir',
];

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Settings of a new enqueue that differ from the campaign's: one line each, old → new. */
export function settingsDiff(existing: CampaignConfig, wanted: Omit<CampaignSettings, 'seed'>, seed: number | null): string[] {
  const lines: string[] = [];
  for (const key of COMPARED) {
    if (JSON.stringify(existing[key]) !== JSON.stringify(wanted[key])) {
      lines.push(`${key}: campaign has ${show(existing[key])}, this enqueue gives ${show(wanted[key])}`);
    }
  }
  if (seed !== null && seed !== existing.seed) lines.push(`seed: campaign has ${existing.seed}, this enqueue gives ${seed}`);
  return lines;
}
