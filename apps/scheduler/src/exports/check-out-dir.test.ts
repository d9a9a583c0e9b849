import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@hyperevolve/runtime';
import { checkOutDir } from './check-out-dir.js';

describe('checkOutDir', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'check-out-dir-'));
  });
  afterEach(async () => {
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts a directory that exists or can be made, and creates nothing', async () => {
    await expect(checkOutDir(dir, 'exp')).resolves.toBeUndefined();
    await expect(checkOutDir(join(dir, 'a', 'b'), 'exp')).resolves.toBeUndefined();
  });

  it('refuses a file named by --out, or a file above it, naming the fix', async () => {
    await writeFile(join(dir, 'afile'), 'x');
    await expect(checkOutDir(join(dir, 'afile'), 'exp')).rejects.toThrow(/afile is a file, not a directory; --out names a directory \(made if missing\) that receives exp\/evolve\.csv/);
    await expect(checkOutDir(join(dir, 'afile', 'evolve'), 'exp')).rejects.toThrow(ConfigError);
    await mkdir(join(dir, 'out'));
    await writeFile(join(dir, 'out', 'exp'), 'x');
    await expect(checkOutDir(join(dir, 'out'), 'exp')).rejects.toThrow(/out\/exp is a file, not a directory/);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a directory this user cannot write', async () => {
    await chmod(dir, 0o500);
    await expect(checkOutDir(join(dir, 'new'), 'exp')).rejects.toThrow(/cannot be written by this user/);
  });
});
