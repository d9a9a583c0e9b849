import { describe, expect, it } from 'vitest';
import { RedisScript } from './redis-script.js';
import { ScriptCode } from './script-code.js';

// Files are read only when a script is defined on a client, so these need none on disk.
const url = (path: string) => new URL(`file:///scripts/${path}`);

describe('RedisScript', () => {
  it('decodes a reply into the name of its code and the values after it', () => {
    const script = new RedisScript({ name: 'decodeOk', file: url('a/decode-ok-1.lua'), keys: 1, codes: ['Done', 'WrongStatus'] });
    expect(script.decode([ScriptCode.Done, 7, 'running'])).toEqual({ code: 'Done', values: [7, 'running'] });
    expect(script.decode([ScriptCode.WrongStatus, 'paused'])).toEqual({ code: 'WrongStatus', values: ['paused'] });
  });

  it('refuses a code the script does not declare, a number that is no code and a reply that is no table, naming the script and its file', () => {
    const script = new RedisScript({ name: 'decodeBad', file: url('a/decode-bad-1.lua'), keys: 1, codes: ['Done'] });
    expect(() => script.decode([ScriptCode.Missing])).toThrow(/decodeBad \(\/scripts\/a\/decode-bad-1\.lua\) answered \[-1\]; it declares the codes Done/);
    expect(() => script.decode([99])).toThrow(/answered \[99\]/);
    expect(() => script.decode(1)).toThrow(/answered 1;/);
  });

  it('refuses two scripts with one name (they would define one client command)', () => {
    new RedisScript({ name: 'twice', file: url('a/twice-1.lua'), keys: 1, codes: ['Done'] });
    expect(() => new RedisScript({ name: 'twice', file: url('b/twice-1.lua'), keys: 1, codes: ['Done'] })).toThrow(/two Redis scripts are named twice \(\/scripts\/a\/twice-1\.lua and \/scripts\/b\/twice-1\.lua\)/);
  });

  it('refuses a key count that differs from the one in the file name', () => {
    expect(() => new RedisScript({ name: 'keys', file: url('a/keys-2.lua'), keys: 1, codes: ['Done'] })).toThrow(/declared with 1 keys; its file name must end in -1\.lua/);
  });

  it('gives each code one number', () => {
    const numbers = Object.values(ScriptCode);
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});
