import { describe, expect, it } from 'vitest';
import { formatByteSize, parseByteSize } from './byte-size.js';

describe('formatByteSize', () => {
  it('spells sizes in powers of 1024 with three significant digits', () => {
    expect([0, 512, 1536, 12.3 * 2 ** 20, 421 * 2 ** 30].map(formatByteSize)).toEqual(['0 B', '512 B', '1.50 KiB', '12.3 MiB', '421 GiB']);
  });

  it('never prints 1024 of a unit, and reads back as parseByteSize reads it', () => {
    expect(formatByteSize(2 ** 20 - 1)).toBe('1.00 MiB');
    expect(parseByteSize(formatByteSize(49 * 2 ** 20).replace(/ (\w)iB$/, '$1'), 'x')).toBe(49 * 2 ** 20);
  });
});
