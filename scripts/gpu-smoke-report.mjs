// Prints what a GPU smoke run left in Redis: the GPU leases (holder, time left) and the
// device-workers' heartbeats. Usage: node gpu-smoke-report.mjs <redis-url> <prefix> [--clean]
// (--clean: then delete every key under the prefix)
//        node gpu-smoke-report.mjs --ping <redis-url>   (exit 0 when Redis answers)
import { Redis } from 'ioredis';

const [first, second, third] = process.argv.slice(2);
if (first === '--ping') {
  const client = new Redis(second, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    process.exit((await client.ping()) === 'PONG' ? 0 : 1);
  } catch {
    process.exit(1);
  }
}

const [url, prefix, clean] = [first, second, third === '--clean'];
const redis = new Redis(url);
async function scan(pattern) {
  const keys = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys.sort();
}
const leases = await scan(`${prefix}:gpu:*`);
console.log(`GPU leases (${leases.length}):`);
for (const key of leases) console.log(`  ${key} = ${await redis.get(key)} (expires in ${await redis.pttl(key)} ms)`);
const workers = await scan(`${prefix}:worker:*`);
console.log(`device-worker heartbeats (${workers.length}):`);
for (const key of workers) console.log(`  ${key} ${JSON.stringify(await redis.hgetall(key))}`);
if (clean) {
  const keys = await scan(`${prefix}:*`);
  if (keys.length > 0) await redis.unlink(...keys);
}
redis.disconnect();
