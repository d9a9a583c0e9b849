import { ConfigError } from './config-error.js';

/** Replaces the password of a redis:// or rediss:// URL so it can be logged or printed. */
export function redactRedisUrl(url: string): string {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL at all (a typo in REDIS_URL, say): fall through to the text rule.
  }
  if (parsed !== null && (parsed.protocol === 'redis:' || parsed.protocol === 'rediss:')) {
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  }
  // Anything else ("user:pw@host" parses as a URL of scheme "user:"): hide everything between
  // "//" (or the start) and the last "@", which may hold a password with "/" or "@" in it.
  const at = url.lastIndexOf('@');
  if (at < 0) return url;
  const slashes = url.indexOf('//');
  const from = slashes >= 0 && slashes < at ? slashes + 2 : 0;
  return `${url.slice(0, from)}***${url.slice(at)}`;
}

/** Checks a REDIS_URL before anything connects; the message names where it came from. */
export function validateRedisUrl(url: string, from: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${from}: "${redactRedisUrl(url)}" is not a URL; expected redis://[user:password@]host:port[/db] or rediss://… for TLS`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError(`${from}: scheme "${parsed.protocol}" is not supported; expected redis:// or rediss:// (TLS)`);
  }
  if (parsed.hostname === '') throw new ConfigError(`${from}: "${redactRedisUrl(url)}" has no host; expected redis://host:6379`);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new ConfigError(`${from}: database "${db}" must be a number, as in redis://host:6379/0`);
  return url;
}
