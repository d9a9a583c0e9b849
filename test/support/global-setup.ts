import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { findRedisForTests } from './find-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/**
 * Finds the Redis the integration tests share: REDIS_URL, else 127.0.0.1:6379, else a
 * Testcontainers Redis where a Docker engine runs, else a private redis-server from PATH.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const found = await findRedisForTests();
  project.provide('redisUrl', found.url);
  return found.stop;
}
