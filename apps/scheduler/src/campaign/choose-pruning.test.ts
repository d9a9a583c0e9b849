import { PRUNE_RULES } from '@hyperevolve/ga-core';
import { describe, expect, it } from 'vitest';
import { previewCommand } from '../commands/preview.js';
import { loadConfig, type EnqueueConfig, type PreviewConfig } from '../config.js';
import { buildSettings } from './build-settings.js';
import { describePruning } from './choose-pruning.js';

const COMMAND = ['--', 'python', 'train.py', '--epochs', '12'];

/** What enqueue stores and echoes, and what preview shows, for the same plug-in flags. */
async function enqueueAndPreview(flags: readonly string[]): Promise<{ stored: unknown; echoed: string[]; shown: string[] }> {
  const enqueue = loadConfig(['enqueue', '--generations', '1', '--full-trials', ...flags, ...COMMAND]) as EnqueueConfig;
  const { settings } = await buildSettings(enqueue);
  const preview = loadConfig(['preview', '--population', 'fixtures/yolov5/evolve.csv', '--count', '1', ...flags, ...COMMAND]) as PreviewConfig;
  const shown: string[] = [];
  await previewCommand(preview, () => undefined, (text) => shown.push(text.trimEnd()));
  return { stored: settings.pruning, echoed: describePruning(settings.pruning, enqueue.pruning, 12), shown };
}

describe('every prune rule, from the command line', () => {
  it.each(Object.values(PRUNE_RULES))('$name: enqueue stores and echoes, preview shows the same pruning from the same flags', async (rule) => {
    const cases: [flags: string[], params: Record<string, unknown>][] = [
      [[], {}],
      [['--prune-param', 'window=8'], { window: 8 }],
      [['--prune-rungs', '2,5', '--prune-param', 'eta=4', '--prune-window', 'all'], { rungs: '2,5', eta: 4, window: 'all' }],
    ];
    for (const [flags, params] of cases) {
      const { stored, echoed, shown } = await enqueueAndPreview(['--prune', rule.name, ...flags]);
      expect(stored).toEqual(rule.configure(params, { epochs: 12 }));
      expect(echoed).toHaveLength(2);
      expect(shown).toEqual(echoed);
    }
  });

  it('echoes nothing without --prune', async () => {
    const { echoed, shown } = await enqueueAndPreview([]);
    expect(echoed).toEqual([]);
    expect(shown).toEqual([]);
  });
});
