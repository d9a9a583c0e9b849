import { ConfigError } from './config-error.js';

/** Replaces the password of a redis:// or rediss:// URL so it can be logged or printed. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^@/]*)@/, '//***@');
  }
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
