import { describe, expect, it } from 'vitest';
import { AllowList } from './allow-list.js';

describe('AllowList', () => {
  const list = AllowList.of(['python train.py', '  /usr/bin/python3   segment/train.py ', 'node']);

  it.each([
    [['python', 'train.py'], true],
    [['python', 'train.py', '--epochs', '3'], true],
    [['/usr/bin/python3', 'segment/train.py', '--data', 'x.yaml'], true],
    [['node', 'anything.js'], true],
    [['node'], true],
    [['python', 'train.pyx'], false],
    [['python', 'evil.py'], false],
    [['python'], false],
    [['python', 'train.py;rm', '-rf', '/'], false],
    [['python train.py'], false],
    [['nodejs', 'x.js'], false],
    [['/usr/bin/python3', 'train.py'], false],
    [['sh', '-c', 'python train.py'], false],
  ])('%j → %s', (argv, allowed) => {
    expect(list.allows(argv)).toBe(allowed);
  });

  it('allows nothing when empty and everything with any()', () => {
    expect(AllowList.of([]).allows(['python', 'train.py'])).toBe(false);
    expect(AllowList.any().allows(['rm', '-rf', '/'])).toBe(true);
  });

  it('describes itself for error messages', () => {
    expect(list.describe()).toBe('"python train.py", "/usr/bin/python3 segment/train.py", "node"');
    expect(AllowList.any().describe()).toContain('--allow-any-command');
  });
});
