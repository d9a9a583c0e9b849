import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { ConfigError, quoteInput } from '@hyperevolve/runtime';
import { isLoopbackHost } from './access-policy.js';

/**
 * Which Host headers the dashboard answers. A web page can make a browser send requests to
 * 127.0.0.1 under a name its owner controls (DNS rebinding: attacker.example first resolves
 * to the attacker, then to 127.0.0.1), and the browser then lets that page read the answers:
 * only the Host header tells such a request apart. Allowed: the bound address, `localhost`
 * and the loopback addresses when bound to loopback, this machine's name and any IP address
 * when bound to every interface (an address in the Host header names no attacker's site),
 * and the names given with `--http-allowed-hosts`. Ports are not compared: a tunnel or a
 * proxy may forward another port.
 */
export interface HostPolicy {
  readonly names: ReadonlySet<string>;
  readonly anyAddress: boolean;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** `Name.Example.:3000` → `name.example`; `[::1]:3000` → `::1`. */
export function hostName(header: string): string {
  const trimmed = header.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(trimmed);
  if (bracketed !== null) return bracketed[1] ?? '';
  // A bare IPv6 address has several colons and no port.
  const name = (trimmed.match(/:/g) ?? []).length > 1 ? trimmed : trimmed.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

/** The Host names a dashboard bound to `bindHost` answers, plus `allowedHosts` (checked again: callers other than the CLI). */
export function compileHostPolicy(bindHost: string, allowedHosts: readonly string[]): HostPolicy {
  const names = new Set<string>(['localhost']);
  const bind = hostName(bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost);
  const anyAddress = WILDCARD.has(bind);
  if (!anyAddress) names.add(bind);
  if (isLoopbackHost(bind)) for (const name of LOOPBACK_NAMES) names.add(name);
  if (anyAddress) names.add(hostName(hostname()));
  for (const entry of allowedHosts) names.add(allowedHostName(entry, '--http-allowed-hosts'));
  return { names, anyAddress };
}

/** One entry of `--http-allowed-hosts`, as the Host header would name it; throws a ConfigError naming `from`. */
export function allowedHostName(entry: string, from: string): string {
  const name = hostName(entry);
  if (name === '' || !/^[a-z0-9.:_-]+$/.test(name)) {
    throw new ConfigError(`${from}: ${quoteInput(entry)} is not a host name; give names as the browser's address bar shows them, comma-separated, e.g. --http-allowed-hosts gpu-box.lan,scheduler.example.org`);
  }
  return name;
}

export function hostAllowed(policy: HostPolicy, header: string | undefined): boolean {
  if (header === undefined || header === '') return false;
  const name = hostName(header);
  if (policy.names.has(name)) return true;
  return policy.anyAddress && isIP(name) !== 0;
}
