// The dashboard's log route reads a file a trainer controls (issue 20, items 7 and 8): a train.log
// replaced by a FIFO must not hold requests, the exports or serve's exit; one replaced by a link
// must not serve the file it points at.
import { execFileSync } from 'node:child_process';
import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { useClusters } from './support/cluster-fixture.js';
import { http, serveDashboard } from './support/dashboard-client.js';

const { redis, cluster } = useClusters();

describe('the log route and a train.log that is not a file', () => {
  it('answers 404 at once for a FIFO or a link, serves the other routes meanwhile, and serve still stops on SIGTERM', { timeout: 120_000 }, async () => {
    const c = await cluster('untrusted-log');
    const fifo = join(c.dir, 'fifo', 'train.log');
    execFileSync('mkdir', ['-p', join(c.dir, 'fifo')]);
    execFileSync('mkfifo', [fifo]);
    const secret = join(c.dir, 'secret.txt');
    await writeFile(secret, 'SECRET of another file\n');
    const link = join(c.dir, 'train.log');
    await symlink(secret, link);
    const keys = campaignKeys(c.prefix, 'odd');
    await redis.hset(keys.trial(0), { index: 0, status: 'failed', logPath: fifo, host: 'here' });
    await redis.hset(keys.trial(1), { index: 1, status: 'failed', logPath: link, host: 'here' });
    const { base, serve } = await serveDashboard(c, '127.0.0.1');

    // More requests than libuv has threads: on a blocking open each would hold one for good.
    const timeout = { signal: AbortSignal.timeout(15_000) };
    const fifoLogs = await Promise.all(Array.from({ length: 6 }, () => http(`${base}/campaigns/odd/trials/0/log`, timeout)));
    for (const reply of fifoLogs) {
      expect(reply.status).toBe(404);
      expect(reply.text).toContain('is a FIFO, not a regular file');
    }
    const linked = await http(`${base}/campaigns/odd/trials/1/log`, timeout);
    expect(linked.status).toBe(404);
    expect(linked.text).toContain('is a symbolic link, not a regular file');
    expect(linked.text).not.toContain('SECRET');
    expect((await http(`${base}/api/status`, timeout)).status).toBe(200);

    serve.child.kill('SIGTERM');
    expect((await serve.exited).code).toBe(0);
  });
});
