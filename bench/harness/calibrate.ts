import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RedisTarget } from '@hyperevolve/runtime';
import { withBenchRedis } from './bench-redis.js';
import { median } from './stats.js';
import { benchDir, benchRoot } from './bench-dir.js';

export interface Calibration {
  /** Where trial directories and exports were written. */
  bench_dir: string;
  /** One small writeFile + readFile in the temp directory: what each trial pays a few times over. */
  fs_write_read_ms: number;
  /** One PING to a private redis-server on loopback: the unit every round trip costs. */
  redis_ping_ms: number;
}

/** The machine's cost of a file write and of a Redis round trip, to read the other figures against. */
export async function calibrate(cluster: RedisTarget | null): Promise<Calibration> {
  const dir = await benchDir();
  const fs: number[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      await writeFile(join(dir, `f${i % 8}`), 'lr0: 0.01\n');
      await readFile(join(dir, `f${i % 8}`));
      fs.push(performance.now() - started);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const pings = await withBenchRedis(cluster, async (redis) => {
    const times: number[] = [];
    for (let i = 0; i < 500; i++) {
      const started = performance.now();
      await redis.client.ping();
      times.push(performance.now() - started);
    }
    return times;
  });
  return { bench_dir: benchRoot(), fs_write_read_ms: Math.round(median(fs) * 1000) / 1000, redis_ping_ms: Math.round(median(pings) * 1000) / 1000 };
}
