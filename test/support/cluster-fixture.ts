import { rm } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, inject } from 'vitest';
import { Cluster } from './cluster.js';
import { deletePrefix, uniquePrefix } from './redis-prefix.js';

export interface ClusterFixture {
  /** The tests' Redis (global setup's REDIS_URL). */
  readonly redisUrl: string;
  /** A client on it for the whole file, closed after the file's last test. */
  readonly redis: Redis;
  /**
   * Real `scheduler serve`/`worker` processes on the tests' Redis under a prefix of their own
   * (`name` plus a random part); SIGKILLed, their keys deleted and (when the test passed) their
   * directory removed after each test.
   * @param env environment for every process; default the fixture's.
   */
  readonly cluster: (name: string, env?: Record<string, string>) => Promise<Cluster>;
}

/**
 * The setup most integration files share: call once at the top of a file. Hooks it registers
 * run after the file's own afterEach hooks (vitest runs after-hooks in reverse order).
 */
export function useClusters(defaultEnv: Record<string, string> = {}): ClusterFixture {
  const redisUrl = inject('redisUrl');
  const redis = new Redis(redisUrl);
  const clusters: Cluster[] = [];
  afterAll(async () => {
    await redis.quit();
  });
  afterEach(async (context) => {
    // A failed test's directory (exports, trial dirs, logs) stays for a look; a passed one's goes.
    const passed = context.task.result?.state !== 'fail';
    for (const c of clusters.splice(0)) {
      await c.stop();
      await deletePrefix(redis, c.prefix);
      if (passed) await rm(c.dir, { recursive: true, force: true });
    }
  });
  return {
    redisUrl,
    redis,
    cluster: async (name, env = defaultEnv) => {
      const c = await Cluster.create({ redisUrl, prefix: uniquePrefix(name), env });
      clusters.push(c);
      return c;
    },
  };
}
