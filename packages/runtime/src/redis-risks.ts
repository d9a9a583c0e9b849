import type { Logger } from 'pino';
import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-connection.js';

/** A setting or state of Redis that puts campaigns at risk, in words a user can act on. */
export interface RedisRisk {
  kind: 'no-append-only-file' | 'evicting' | 'out-of-memory';
  message: string;
}

function infoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/** What INFO of one server says. */
export function risksFromInfo(info: string): RedisRisk[] {
  const risks: RedisRisk[] = [];
  if (infoField(info, 'aof_enabled') === '0') {
    risks.push({
      kind: 'no-append-only-file',
      message: 'Redis runs without its append-only file (appendonly no): a restart of Redis loses every campaign, and "exactly N" through a Redis restart needs it. ' +
        'Turn it on: redis-cli CONFIG SET appendonly yes, and appendonly yes in redis.conf (docker-compose.yml\'s redis has it)',
    });
  }
  const policy = infoField(info, 'maxmemory_policy');
  if (policy !== undefined && policy !== 'noeviction') {
    risks.push({
      kind: 'evicting',
      message: `Redis's maxmemory-policy is ${policy}, not noeviction: when its memory fills up it deletes keys, campaigns' included. ` +
        'Set it: redis-cli CONFIG SET maxmemory-policy noeviction, and in redis.conf',
    });
  }
  const used = Number(infoField(info, 'used_memory'));
  const max = Number(infoField(info, 'maxmemory'));
  // allkeys-* policies make room by deleting keys (reported above); the others refuse writes.
  if (max > 0 && used >= max && !(policy ?? '').startsWith('allkeys')) {
    risks.push({
      kind: 'out-of-memory',
      message: `Redis is out of memory (${used} of maxmemory ${max} bytes used) and refuses writes: no result is recorded, no trial issued, and heartbeats stop, ` +
        'so live schedulers and workers look absent or SILENT. Free memory or raise the limit: redis-cli CONFIG SET maxmemory <bytes> (0: no limit)',
    });
  }
  return risks;
}

/**
 * The risks on every server behind the client (each master of a Cluster). A server that
 * refuses INFO (a managed Redis, an ACL) is left out: nothing is known about it; when none
 * answers, this throws.
 */
export async function readRedisRisks(redis: RedisClient): Promise<RedisRisk[]> {
  const servers = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const infos = (await Promise.all(servers.map((server) => server.info().catch(() => '')))).filter((info) => info !== '');
  if (infos.length === 0) throw new Error('no Redis server answered INFO');
  const risks = new Map<string, RedisRisk>();
  for (const info of infos) for (const risk of risksFromInfo(info)) if (!risks.has(risk.kind)) risks.set(risk.kind, risk);
  return [...risks.values()];
}

/** Checks Redis now and every `intervalMs`; logs each risk when it appears and when it is gone. */
export function watchRedisRisks(redis: RedisClient, log: Logger, intervalMs: number): () => void {
  let known = new Map<RedisRisk['kind'], RedisRisk>();
  const check = async (): Promise<void> => {
    // Unknown (Redis away, INFO refused) is not "gone".
    const read = await readRedisRisks(redis).catch(() => undefined);
    if (read === undefined) return;
    const now = new Map(read.map((risk) => [risk.kind, risk]));
    for (const [kind, risk] of now) if (!known.has(kind)) log.warn({ redisRisk: kind }, risk.message);
    for (const kind of known.keys()) if (!now.has(kind)) log.info({ redisRisk: kind }, `no longer so: ${kind}`);
    known = now;
  };
  void check();
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
