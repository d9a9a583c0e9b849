import { redisAnswers as answers } from '@hyperevolve/runtime';
import { startPrivateRedis } from './private-redis.js';

export interface FoundRedis {
  url: string;
  stop: () => Promise<void>;
}

async function dockerEngineRuns(): Promise<boolean> {
  const { execFileSync } = await import('node:child_process');
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export async function findRedisForTests(): Promise<FoundRedis> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!(await answers(fromEnv))) throw new Error(`REDIS_URL=${fromEnv} does not answer PING; start Redis there or unset REDIS_URL.`);
    return { url: fromEnv, stop: () => Promise.resolve() };
  }
  const local = 'redis://127.0.0.1:6379';
  if (await answers(local)) return { url: local, stop: () => Promise.resolve() };
  if (await dockerEngineRuns()) {
    const { GenericContainer } = await import('testcontainers');
    const container = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
    return {
      url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
      stop: async () => {
        await container.stop();
      },
    };
  }
  const own = await startPrivateRedis();
  return { url: own.url, stop: () => own.stop() };
}
