import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { CampaignState } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { CorruptStateError } from '../errors.js';
import { campaignEvent, pauseKey, webhookBody, type CampaignEvent } from './campaign-event.js';

export interface NotifierOptions {
  redis: RedisClient;
  store: CampaignStore;
  url: URL;
  log: Logger;
  /** How often campaign states are looked at. */
  intervalMs: number;
}

/** Tries per message, and the waits between them. */
const RETRY_DELAYS_MS = [1000, 4000];
const POST_TIMEOUT_MS = 10_000;
/** What a stopping serve waits for messages under way. */
const STOP_WAIT_MS = 2000;

/**
 * `serve --notify-url`: tells a webhook when a campaign is done or paused (by the user, the
 * dashboard or its circuit breaker, with the reason). It compares each campaign's state with
 * the one it saw last; whatever changed while no scheduler watched is not news. Every replica
 * watches, and the first to claim an event in the campaign's `notified` hash sends it, so a
 * message goes once however many replicas run. A message that cannot be delivered after a few
 * tries is logged and dropped: notifications never hold up the campaign.
 */
export class Notifier {
  readonly #options: NotifierOptions;
  readonly #seen = new Map<string, CampaignState>();
  readonly #id = `${hostname()}:${process.pid}`;
  readonly #sending = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #first = true;
  #polling = false;

  constructor(options: NotifierOptions) {
    this.#options = options;
  }

  start(): void {
    this.#options.log.info({ webhook: this.#options.url.host }, `telling the webhook at ${this.#options.url.host} when a campaign is done or paused`);
    void this.#poll();
    this.#timer = setInterval(() => void this.#poll(), this.#options.intervalMs);
  }

  /** Stops looking; messages under way get a moment more (a webhook that is down must not hold up the stop). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.#sending]), new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(timer);
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const { store } = this.#options;
      for (const name of await store.listNames()) {
        let state: CampaignState | null;
        try {
          state = await store.readState(name);
        } catch (error) {
          if (error instanceof CorruptStateError) continue; // status and the dashboard report it
          throw error;
        }
        if (state === null) continue;
        const previous = this.#seen.get(name);
        const event = campaignEvent(name, this.#first ? undefined : (previous ?? 'new'), state);
        this.#seen.set(name, state);
        if (previous?.status === 'paused' && (state.status !== 'paused' || pauseKey(state) !== pauseKey(previous))) {
          await this.#options.redis.hdel(this.#options.store.keys(name).notified, pauseKey(previous));
        }
        if (event !== null) await this.#claimAndSend(event);
      }
      this.#first = false;
    } catch (error) {
      this.#options.log.warn({ err: error }, 'could not read the campaigns for notifications; trying again');
    } finally {
      this.#polling = false;
    }
  }

  async #claimAndSend(event: CampaignEvent): Promise<void> {
    const claimed = await this.#options.redis.hsetnx(this.#options.store.keys(event.campaign).notified, event.key, this.#id);
    if (claimed === 0) return;
    const sending = this.#send(event).finally(() => this.#sending.delete(sending));
    this.#sending.add(sending);
  }

  async #send(event: CampaignEvent): Promise<void> {
    const { url, log } = this.#options;
    // The URL of a webhook is its secret: logs name its host only.
    const where = url.host;
    let problem = '';
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt - 1]));
      try {
        // Never followed: a redirect could send the message (and its POST) anywhere, the
        // dashboard's own cancel route included.
        const response = await fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: webhookBody(event), signal: AbortSignal.timeout(POST_TIMEOUT_MS) });
        await response.body?.cancel();
        if (response.ok) {
          log.info({ campaign: event.campaign, event: event.kind, webhook: where }, `told the webhook: ${event.text}`);
          return;
        }
        if (response.status >= 300 && response.status < 400) {
          const to = redirectHost(response.headers.get('location'), url);
          log.warn({ campaign: event.campaign, event: event.kind, webhook: where, status: response.status, redirectTo: to },
            `the webhook at ${where} answered a redirect (${response.status} to ${to}), which is never followed: campaign ${event.campaign} being ${event.state.status} was not told; ` +
              'give --notify-url the address the hook answers at itself');
          return;
        }
        problem = `it answered ${response.status} ${response.statusText}`;
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
    }
    log.warn({ campaign: event.campaign, event: event.kind, webhook: where, problem }, `could not tell the webhook at ${where} that campaign ${event.campaign} is ${event.state.status} (${problem}); check --notify-url`);
  }
}

/** Where a redirect points, by host only (its path may hold a secret as the webhook's does). */
function redirectHost(location: string | null, base: URL): string {
  if (location === null) return 'nowhere (no Location)';
  try {
    return new URL(location, base).host;
  } catch {
    return 'an address that is not a URL';
  }
}
