import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { useClusters } from './support/cluster-fixture.js';
import { freePort } from './support/private-redis.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters();

interface Message {
  path: string;
  contentType: string | undefined;
  body: { text: string; hyperevolve: { event: string; campaign: string; status: string; reason: string | null; recorded: number; bestFitness: number | null } };
}

/** A local webhook that records what it is sent and answers 200. */
async function webhook(): Promise<{ url: string; messages: Message[]; server: Server }> {
  const messages: Message[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      messages.push({ path: request.url ?? '', contentType: request.headers['content-type'], body: JSON.parse(text) as Message['body'] });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/secret`, messages, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('serve --notify-url', () => {
  it('tells a webhook, once across two replicas, when a campaign is done, paused by the user, and paused by its circuit breaker', { timeout: 300_000 }, async () => {
    const hook = await webhook();
    const c = await cluster('notify');
    const serves = [c.serve(['--notify-url', hook.url]), c.serve(['--notify-url', hook.url])];
    for (const serve of serves) await serve.waitForOutput(/telling the webhook at 127\.0\.0\.1:\d+ when a campaign is done or paused/);
    c.worker();
    const about = (campaign: string, event: string): Message[] => hook.messages.filter((m) => m.body.hyperevolve.campaign === campaign && m.body.hyperevolve.event === event);

    await c.enqueue(['--name', 'quick', '--generations', '2', '--seed', '1']);
    await waitFor(() => about('quick', 'done').length > 0, { timeoutMs: 120_000, intervalMs: 200, what: 'the done message' });
    const [done] = about('quick', 'done');
    const best = Number(await redis.hget(`${c.prefix}:c:{quick}:state`, 'bestFitness'));
    expect(done?.path).toBe('/services/T000/B000/secret');
    expect(done?.contentType).toBe('application/json');
    expect(done?.body.text).toMatch(/^hyperevolve: campaign quick is done: 2 trials recorded; best fitness 0\.\d+ \(trial \d\); scheduler best --name quick prints its hyps\.$/);
    expect(done?.body.hyperevolve).toMatchObject({ status: 'done', recorded: 2, bestFitness: best, reason: null });

    // Each run fails with exit 3 in its own words (--fail-rate below 1: a flaky failure), so the
    // breaker, not the pause for identical failures, pauses it, whenever the notifier looks.
    await c.enqueue(['--name', 'broken', '--generations', '5', '--attempts', '1', '--max-failures', '2'], ['--fail', 'exit:3', '--fail-rate', '0.999999']);
    await waitFor(() => about('broken', 'circuit-breaker').length > 0, { timeoutMs: 120_000, intervalMs: 200, what: 'the circuit breaker message' });
    expect(about('broken', 'circuit-breaker')[0]?.body.text).toMatch(/^hyperevolve: campaign broken was paused by its circuit breaker: 2 trials failed in a row; read their logs/);

    await c.enqueue(['--name', 'slow', '--generations', '2'], ['--epochs', '2', '--duration-ms', '600000']);
    await waitFor(async () => (await redis.hget(`${c.prefix}:c:{slow}:trial:0`, 'status')) === 'running', { timeoutMs: 60_000, what: 'a trial of slow to run' });
    expect((await c.cli(['pause', '--name', 'slow'])).code).toBe(0);
    await waitFor(() => about('slow', 'paused').length > 0, { timeoutMs: 60_000, intervalMs: 200, what: 'the pause message' });
    expect(about('slow', 'paused')[0]?.body.text).toBe('hyperevolve: campaign slow is paused: paused by the user (scheduler pause); scheduler resume --name slow continues it');
    expect(about('slow', 'paused')[0]?.body.hyperevolve.reason).toBe('paused by the user (scheduler pause)');

    // One message per event, whichever replica claimed it; the webhook's secret path is in no log.
    // A trial of broken already started when the breaker paused it may fail the same way as the
    // two before it: that pause reason (the repeated failure) replaces the breaker's and is news once.
    const brokenReason = async (): Promise<string> => (await redis.hget(`${c.prefix}:c:{broken}:state`, 'pausedReason')) ?? '';
    await waitFor(async () => {
      const claims = Object.keys(await redis.hgetall(`${c.prefix}:c:{broken}:notified`));
      return claims.length === 1 && claims[0] === `paused:${await brokenReason()}` && about('broken', 'circuit-breaker').some((m) => m.body.hyperevolve.reason === claims[0]?.slice('paused:'.length));
    }, { timeoutMs: 60_000, intervalMs: 200, what: 'broken\'s last pause reason claimed and sent once' });
    const reasons = about('broken', 'circuit-breaker').map((m) => m.body.hyperevolve.reason);
    expect(new Set(reasons).size).toBe(reasons.length);
    expect(reasons.slice(1).every((reason) => /^circuit breaker: 3 trials in a row failed the same way/.test(reason ?? ''))).toBe(true);
    expect([...new Set(hook.messages.map((m) => `${m.body.hyperevolve.campaign}:${m.body.hyperevolve.event}`))].sort()).toEqual(['broken:circuit-breaker', 'quick:done', 'slow:paused']);
    expect(hook.messages.length).toBe(2 + reasons.length);
    for (const name of ['quick', 'broken', 'slow']) expect(Object.keys(await redis.hgetall(`${c.prefix}:c:{${name}}:notified`))).toHaveLength(1);
    for (const serve of serves) expect(serve.output()).not.toContain('secret');
    expect(serves.map((serve) => serve.output()).join('')).toMatch(/told the webhook: hyperevolve: campaign quick is done/);
  });

  it('a redirect from the webhook is never followed (here to the dashboard\'s own cancel route): logged, and nothing else is sent', { timeout: 240_000 }, async () => {
    const c = await cluster('notify-redirect');
    const port = await freePort();
    const asked: string[] = [];
    const server = createServer((request, response) => {
      asked.push(`${request.method ?? ''} ${request.url ?? ''}`);
      request.resume();
      response.writeHead(307, { location: `http://127.0.0.1:${port}/api/campaigns/victim/cancel` }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/secret`;
    const serve = c.serve(['--http', `127.0.0.1:${port}`, '--notify-url', hook]);
    await serve.waitForOutput(/dashboard listening/, 60_000);
    c.worker();
    c.worker();
    // One long trial: the other worker runs quick's.
    await c.enqueue(['--name', 'victim', '--generations', '1'], ['--epochs', '2', '--duration-ms', '600000']);
    await c.enqueue(['--name', 'quick', '--generations', '1', '--seed', '1']);
    await serve.waitForOutput(new RegExp(`the webhook at 127\\.0\\.0\\.1:\\d+ answered a redirect \\(307 to 127\\.0\\.0\\.1:${port}\\), which is never followed: campaign quick being done was not told`), 120_000);
    expect(asked).toEqual(['POST /hook/secret']);
    expect(await redis.hget(`${c.prefix}:c:{victim}:state`, 'status')).toBe('running');
    expect(serve.output()).not.toMatch(/cancelled|victim.*cancel/);
    expect(serve.output()).not.toContain('secret');
  });

  it('a stop held past --grace by a webhook that does not answer names that step, not Redis (which answers)', { timeout: 240_000 }, async () => {
    const c = await cluster('notify-slow-stop');
    const asked: string[] = [];
    const server = createServer((request) => {
      asked.push(request.url ?? '');
      request.resume(); // and never answered
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const serve = c.serve(['--grace', '500ms', '--notify-url', `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`]);
    c.worker();
    await c.enqueue(['--name', 'exp', '--generations', '1', '--seed', '1']);
    await waitFor(() => asked.length > 0, { timeoutMs: 120_000, intervalMs: 100, what: 'the done message to reach the hook' });
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toEqual({ code: 1, signal: null });
    expect(serve.output()).toMatch(/stopped after --grace 500 ms while sending the webhook messages under way \(--notify-url\) \(Redis answers: it is not the cause; that step was too slow for the grace, give serve a longer --grace\)/);
    expect(serve.output()).not.toContain('without Redis');
  });

  it('a webhook that fails is logged by its host and does not hold up the campaign', { timeout: 240_000 }, async () => {
    const hook = await webhook();
    await new Promise((resolve) => hook.server.close(resolve));
    const c = await cluster('notify-down');
    const serve = c.serve(['--notify-url', hook.url]);
    c.worker();
    await c.enqueue(['--name', 'exp', '--generations', '1']);
    await waitFor(async () => (await redis.hget(`${c.prefix}:c:{exp}:state`, 'status')) === 'done', { timeoutMs: 120_000, intervalMs: 200, what: 'the campaign to finish' });
    await serve.waitForOutput(/could not tell the webhook at 127\.0\.0\.1:\d+ that campaign exp is done \(.*\); check --notify-url/, 60_000);
    expect(serve.output()).not.toContain('secret');
  });
});
