import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface ChromiumOptions {
  /** Command-line switches beyond the quiet, offline defaults. */
  extraArgs?: readonly string[];
  viewport?: { width: number; height: number };
}

/** A headless Chromium with a profile of its own; `close()` ends it and removes the profile. */
export async function launchChromium({ extraArgs = [], viewport = { width: 1200, height: 900 } }: ChromiumOptions = {}): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'hyperevolve-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...extraArgs],
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
