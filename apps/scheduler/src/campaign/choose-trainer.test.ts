import { TRAINER_NAMES, trainerProfile } from '@hyperevolve/ga-core';
import { ConfigError } from '@hyperevolve/runtime';
import { describe, expect, it } from 'vitest';
import { previewCommand } from '../commands/preview.js';
import { loadConfig, type EnqueueConfig, type PreviewConfig } from '../config.js';
import { buildSettings } from './build-settings.js';
import { describeTrainerParams } from './choose-trainer.js';

/** What enqueue stores and echoes, and what preview shows, for the same adapter flags (the command after -- is python fit.py, which only --adapter places). */
async function enqueueAndPreview(flags: readonly string[]): Promise<{ stored: unknown; echoed: string[]; shown: string[] }> {
  const command = ['--', 'python', 'fit.py'];
  const enqueue = loadConfig(['enqueue', '--generations', '1', ...flags, ...command]) as EnqueueConfig;
  const { settings, trainer } = await buildSettings(enqueue);
  const preview = loadConfig(['preview', '--population', 'fixtures/yolov5/evolve.csv', '--count', '1', ...flags, ...command]) as PreviewConfig;
  const shown: string[] = [];
  await previewCommand(preview, () => undefined, (text) => shown.push(text.trimEnd()));
  return { stored: settings.adapterParams, echoed: describeTrainerParams(trainer), shown };
}

describe('every trainer profile, from the command line', () => {
  it.each(TRAINER_NAMES.filter((name) => (trainerProfile(name).params ?? []).length > 0))('%s: enqueue stores and echoes, preview shows the same params from the same flags', async (name) => {
    const [first] = trainerProfile(name).params ?? [];
    if (first === undefined) throw new Error('a profile with params');
    const { stored, echoed, shown } = await enqueueAndPreview(['--adapter', name, '--adapter-param', `${first.name}=${first.default}`]);
    expect(stored).toEqual({ [first.name]: first.default });
    expect(echoed).toHaveLength(1);
    expect(echoed[0]).toMatch(new RegExp(`^adapter ${name} params: .*${first.name}=`));
    expect(shown).toContain(echoed[0]);
  });

  it.each(TRAINER_NAMES)('%s: enqueue and preview refuse a param it does not take, the same way (exit 2)', async (name) => {
    const flags = ['--adapter', name, '--adapter-param', 'noSuchParam=1'];
    const enqueue = loadConfig(['enqueue', '--generations', '1', ...flags, '--', 'python', 'fit.py']) as EnqueueConfig;
    const refused = await buildSettings(enqueue).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toMatch(new RegExp(`^--adapter-param: adapter ${name} has no param "noSuchParam"`));
    const preview = loadConfig(['preview', '--population', 'fixtures/yolov5/evolve.csv', ...flags]) as PreviewConfig;
    await expect(previewCommand(preview, () => undefined, () => undefined)).rejects.toThrow((refused as Error).message);
  });
});
