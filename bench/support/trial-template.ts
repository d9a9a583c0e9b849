import { rm } from 'node:fs/promises';
import type { TrialRecord } from '@hyperevolve/contract';
import { TrialStore } from '@hyperevolve/trial-store';
import { deletePrefix } from '../../test/support/redis-prefix.js';
import { InProcessCluster } from './in-process-cluster.js';
import { benchDir } from '../harness/bench-dir.js';
import type { RedisClient, RedisTarget } from '@hyperevolve/runtime';

const PREFIX = 'bench-template';

/**
 * The trial hash of a real recorded trial: a 3-trial campaign run through the real scheduler
 * and workers (in-process trainer); the last trial's record, so that loaded populations carry
 * exactly the fields the real path writes. Leaves nothing behind in Redis.
 */
export async function captureTrialTemplate(target: RedisTarget | string, redis: RedisClient): Promise<TrialRecord> {
  const dir = await benchDir();
  const cluster = await InProcessCluster.start({ redis: target, prefix: PREFIX, workers: 1, trialMs: 0, dir });
  try {
    await cluster.run('template', 3, 60_000);
    const trial = await new TrialStore(redis, PREFIX).readTrial('template', 2);
    if (trial?.status !== 'succeeded') throw new Error(`the template trial ended ${trial?.status ?? 'missing'}, not succeeded; see the worker's trial directory under ${dir}`);
    return trial;
  } finally {
    await cluster.stop();
    await deletePrefix(redis, PREFIX);
    await rm(dir, { recursive: true, force: true });
  }
}
