import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { ConfigError } from '@hyperevolve/runtime';

/**
 * Who may do what on the dashboard. Bound to loopback, everything is open (only this machine
 * can connect). Bound elsewhere, actions (pause, resume, cancel, Bull Board's job buttons)
 * need the token, and reading needs the token unless `--http-public-read` was given.
 */
export interface AccessPolicy {
  loopback: boolean;
  token: string | null;
  publicRead: boolean;
}

export type AccessDecision = 'allow' | 'need-token' | 'bad-token' | 'no-token-configured';

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare.startsWith('::ffff:127.');
}

/** Checks `--http` against the token flags once, at start; a dashboard nobody may read is refused. */
export function compileAccessPolicy(host: string, token: string | null, publicRead: boolean): AccessPolicy {
  const loopback = isLoopbackHost(host);
  if (token !== null && token.length < 12) {
    throw new ConfigError('--http-token (or HYPEREVOLVE_HTTP_TOKEN): the token is shorter than 12 characters; use a long random one, e.g. openssl rand -hex 16');
  }
  if (!loopback && token === null && !publicRead) {
    throw new ConfigError(
      `--http ${host}: the dashboard is reachable beyond this machine, so it needs --http-token T (or HYPEREVOLVE_HTTP_TOKEN) ` +
        'for pause/resume/cancel and reading, and/or --http-public-read to let anyone read it; or bind 127.0.0.1 and tunnel (ssh -L 3000:127.0.0.1:3000 host)',
    );
  }
  return { loopback, token, publicRead };
}

export function decideAccess(policy: AccessPolicy, kind: 'read' | 'write', presented: string | null): AccessDecision {
  if (policy.loopback) return 'allow';
  if (kind === 'read' && policy.publicRead) return 'allow';
  if (policy.token === null) return 'no-token-configured';
  if (presented === null || presented === '') return 'need-token';
  return tokenMatches(policy.token, presented) ? 'allow' : 'bad-token';
}

/** Constant-time comparison (of digests, so lengths do not leak either). */
export function tokenMatches(expected: string, presented: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}
