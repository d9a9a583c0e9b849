import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { campaignKeys, globalKeys } from '@hyperevolve/contract';
import { CampaignStore } from '../apps/scheduler/src/campaign/campaign-store.js';
import { CampaignLossWatch } from '../apps/scheduler/src/serve/campaign-loss-watch.js';
import { useClusters } from './support/cluster-fixture.js';

const { redis, cluster } = useClusters();

describe("serve's watch for campaigns Redis lost", () => {
  it('says nothing of a campaign scheduler delete removed, and still reports one whose keys vanished', async () => {
    const c = await cluster('loss-watch');
    await c.enqueue(['--name', 'gone', '--generations', '2', '--seed', '1']);
    await c.enqueue(['--name', 'lost', '--generations', '2', '--seed', '1']);
    const lines: string[] = [];
    const watch = new CampaignLossWatch(new CampaignStore(redis, c.prefix), pino({ level: 'info' }, { write: (line: string) => lines.push(line) }));
    await watch.check();
    expect(lines).toEqual([]);

    expect((await c.cli(['cancel', '--name', 'gone'])).code).toBe(0);
    const deleted = await c.cli(['delete', '--name', 'gone', '--yes']);
    expect(deleted.code, deleted.stderr).toBe(0);
    // As when Redis loses it: the keys go, no delete noted.
    await redis.srem(globalKeys(c.prefix).campaigns, 'lost');
    await redis.del(campaignKeys(c.prefix, 'lost').config, campaignKeys(c.prefix, 'lost').state);
    await watch.check();
    await watch.check();
    const said = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(said).toEqual([expect.stringMatching(/^campaign lost is no longer in Redis and has no rows in .*: Redis lost it/)]);

    // Its name used again: deleted no more.
    await c.enqueue(['--name', 'gone', '--generations', '1', '--seed', '2']);
    expect(await redis.hexists(globalKeys(c.prefix).deleted, 'gone')).toBe(0);
  });

  it('does not take a campaign it learns of while a check lists Redis (its files just written) for one Redis lost', async () => {
    let list: (names: string[]) => void = () => undefined;
    const store = {
      listNames: () => new Promise<string[]>((resolve) => {
        list = resolve;
      }),
      readConfig: () => Promise.resolve(null),
      deletedNames: () => Promise.resolve(new Set<string>()),
    } as unknown as CampaignStore;
    const lines: string[] = [];
    const watch = new CampaignLossWatch(store, pino({ level: 'info' }, { write: (line: string) => lines.push(line) }));
    watch.saw('old', '/nonexistent/old');
    const checking = watch.check();
    // Made after the listing below was taken, and exported meanwhile.
    watch.saw('new', '/nonexistent/new');
    list(['old']);
    await checking;
    expect(lines).toEqual([]);
  });
});

