import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ConfigError, connectRedis } from '@hyperevolve/runtime';

export interface ConnectWithRetryOptions {
  url: string;
  log: Logger;
  /** The whole wait: a worker started together with Redis (docker compose up) gets this long. */
  timeoutMs: number;
  name: string;
  retryEveryMs?: number;
}

/**
 * connectRedis gives up on the first refused connection; a worker that starts a moment before
 * its Redis should wait for it instead. Tries again until `timeoutMs` is spent, then throws the
 * last ConfigError (exit 2). Wrong credentials are final at once.
 */
export async function connectWithRetry(options: ConnectWithRetryOptions): Promise<Redis> {
  const deadline = Date.now() + options.timeoutMs;
  const retryEveryMs = options.retryEveryMs ?? 1000;
  for (;;) {
    const remaining = deadline - Date.now();
    try {
      return await connectRedis({ url: options.url, log: options.log, connectTimeoutMs: Math.max(remaining, 100), name: options.name });
    } catch (error) {
      const final = !(error instanceof ConfigError) || /credentials/.test(error.message) || Date.now() + retryEveryMs >= deadline;
      if (final) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryEveryMs));
    }
  }
}
