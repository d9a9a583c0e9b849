import { describe, expect, it } from 'vitest';
import { risksFromInfo } from './redis-risks.js';

const info = (fields: Record<string, string | number>): string =>
  `# Persistence\r\n${Object.entries(fields).map(([key, value]) => `${key}:${value}`).join('\r\n')}\r\n`;

describe('risksFromInfo', () => {
  it('says nothing of a server with its append-only file, noeviction and room left', () => {
    expect(risksFromInfo(info({ aof_enabled: 1, maxmemory_policy: 'noeviction', used_memory: 900, maxmemory: 1000 }))).toEqual([]);
    expect(risksFromInfo(info({ aof_enabled: 1, maxmemory_policy: 'noeviction', used_memory: 5000, maxmemory: 0 }))).toEqual([]);
  });

  it('names a missing append-only file and an evicting policy, each with the command that fixes it', () => {
    const risks = risksFromInfo(info({ aof_enabled: 0, maxmemory_policy: 'allkeys-lru', used_memory: 10, maxmemory: 0 }));
    expect(risks.map((risk) => risk.kind)).toEqual(['no-append-only-file', 'evicting']);
    expect(risks[0]?.message).toMatch(/without its append-only file .*redis-cli CONFIG SET appendonly yes/);
    expect(risks[1]?.message).toMatch(/maxmemory-policy is allkeys-lru, not noeviction: .*deletes keys.*CONFIG SET maxmemory-policy noeviction/);
  });

  it('says Redis refuses writes when it is full and will not evict, and what to do', () => {
    const risks = risksFromInfo(info({ aof_enabled: 1, maxmemory_policy: 'noeviction', used_memory: 2_000_000, maxmemory: 1_000_000 }));
    expect(risks.map((risk) => risk.kind)).toEqual(['out-of-memory']);
    expect(risks[0]?.message).toMatch(/out of memory \(2000000 of maxmemory 1000000 bytes used\) and refuses writes.*SILENT.*CONFIG SET maxmemory/);
    // volatile-* policies with nothing to expire refuse writes too; allkeys-* make room instead.
    expect(risksFromInfo(info({ aof_enabled: 1, maxmemory_policy: 'volatile-lru', used_memory: 2, maxmemory: 1 })).map((risk) => risk.kind)).toEqual(['evicting', 'out-of-memory']);
    expect(risksFromInfo(info({ aof_enabled: 1, maxmemory_policy: 'allkeys-lru', used_memory: 2, maxmemory: 1 })).map((risk) => risk.kind)).toEqual(['evicting']);
  });
});
