import type { Cluster } from './cluster.js';
import type { Managed } from './processes.js';
import { freePort } from './private-redis.js';

export interface ServedDashboard {
  serve: Managed;
  /** Always a loopback URL: tests never send traffic to another address, whatever the bind. */
  base: string;
  port: number;
}

/** Starts `scheduler serve --http <host>:<free port> …` and waits until the dashboard listens. */
export async function serveDashboard(cluster: Cluster, bindHost: string, extra: readonly string[] = []): Promise<ServedDashboard> {
  const port = await freePort();
  const serve = cluster.serve(['--http', `${bindHost}:${port}`, ...extra]);
  await serve.waitForOutput(/dashboard listening/, 60_000);
  return { serve, base: `http://127.0.0.1:${port}`, port };
}

export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

export async function http(url: string, init: RequestInit = {}): Promise<HttpReply> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
}
