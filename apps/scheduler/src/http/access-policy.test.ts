import { describe, expect, it } from 'vitest';
import { compileAccessPolicy, decideAccess, isLoopbackHost, tokenMatches } from './access-policy.js';

const TOKEN = 'correct-horse-battery';

describe('access policy', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.org', '128.0.0.1']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('opens everything on loopback, token or not', () => {
    const policy = compileAccessPolicy('127.0.0.1', null, false);
    expect(decideAccess(policy, 'write', null)).toBe('allow');
    expect(decideAccess(policy, 'read', null)).toBe('allow');
  });

  it('beyond loopback: actions need the token; reading needs it unless public', () => {
    const open = compileAccessPolicy('0.0.0.0', TOKEN, true);
    expect(decideAccess(open, 'read', null)).toBe('allow');
    expect(decideAccess(open, 'write', null)).toBe('need-token');
    expect(decideAccess(open, 'write', 'wrong-token-here')).toBe('bad-token');
    expect(decideAccess(open, 'write', TOKEN)).toBe('allow');
    const closed = compileAccessPolicy('0.0.0.0', TOKEN, false);
    expect(decideAccess(closed, 'read', null)).toBe('need-token');
    expect(decideAccess(closed, 'read', TOKEN)).toBe('allow');
    const readOnly = compileAccessPolicy('0.0.0.0', null, true);
    expect(decideAccess(readOnly, 'write', 'anything')).toBe('no-token-configured');
  });

  it('refuses a public bind nobody could use, and a short token', () => {
    expect(() => compileAccessPolicy('0.0.0.0', null, false)).toThrow(/needs --http-token T .* --http-public-read/);
    expect(() => compileAccessPolicy('127.0.0.1', 'short', false)).toThrow(/shorter than 12 characters/);
  });

  it('compares tokens exactly', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN, `${TOKEN} `)).toBe(false);
    expect(tokenMatches(TOKEN, '')).toBe(false);
  });
});
