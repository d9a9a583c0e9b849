import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { redactRedisUrl, validateRedisUrl } from './redis-url.js';

describe('redactRedisUrl', () => {
  it('hides the password of redis:// and rediss:// URLs, encoded or not', () => {
    expect(redactRedisUrl('redis://:hunter2@127.0.0.1:6379')).toBe('redis://:***@127.0.0.1:6379');
    expect(redactRedisUrl('rediss://user:p%40ss%2Fw@host:6380/2')).toBe('rediss://user:***@host:6380/2');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('hides the credentials of text that is not a URL, even with / and @ in the password', () => {
    expect(redactRedisUrl('redis//:pa/ss@word@nowhere')).toBe('redis//***@nowhere');
    expect(redactRedisUrl('user:hunter2@host')).toBe('***@host');
    expect(redactRedisUrl('not a url')).toBe('not a url');
  });

  it('never puts the password into a validation error', () => {
    for (const url of ['redis//:hunter2@x', 'http://:hunter2@x:1', 'redis://:hunter2@x/abc']) {
      expect(() => validateRedisUrl(url, 'REDIS_URL')).toThrow(ConfigError);
      try {
        validateRedisUrl(url, 'REDIS_URL');
      } catch (error) {
        expect((error as Error).message).not.toContain('hunter2');
      }
    }
  });
});
