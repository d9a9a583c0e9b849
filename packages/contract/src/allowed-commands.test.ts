import { describe, expect, it } from 'vitest';
import { commandAllowed, commandProgram, commandTokens, countAllowing, decodeAllowedCommands, encodeAllowedCommands, type AllowedCommands } from './allowed-commands.js';

describe('allowed commands', () => {
  const allowed: AllowedCommands = { any: false, prefixes: [commandTokens('python train.py'), commandTokens(' node ')] };

  it('matches token by token', () => {
    expect(commandAllowed(allowed, ['python', 'train.py', '--epochs', '3'])).toBe(true);
    expect(commandAllowed(allowed, ['python', 'train.pyx'])).toBe(false);
    expect(commandAllowed(allowed, ['python3', 'train.py'])).toBe(false);
    expect(commandAllowed(allowed, ['node', 'x.js'])).toBe(true);
    expect(commandAllowed({ any: true }, ['rm', '-rf', '/'])).toBe(true);
    expect(commandAllowed({ any: false, prefixes: [] }, ['node'])).toBe(false);
  });

  it('round-trips through the heartbeat field; anything else reads as unknown', () => {
    expect(decodeAllowedCommands(encodeAllowedCommands(allowed))).toEqual(allowed);
    expect(decodeAllowedCommands(encodeAllowedCommands({ any: true }))).toEqual({ any: true });
    expect(decodeAllowedCommands(undefined)).toBeNull();
    expect(decodeAllowedCommands('{"x":1}')).toBeNull();
    expect(decodeAllowedCommands('[[1]]')).toBeNull();
    expect(decodeAllowedCommands('not json')).toBeNull();
  });

  it('names a command by the words before its first flag', () => {
    expect(commandProgram(['python3', 'train.py', '--epochs', '10', '--data', 'coco.yaml'])).toBe('python3 train.py');
    expect(commandProgram(['yolo', 'train', 'data=coco.yaml', 'epochs=3', 'imgsz=640'])).toBe('yolo train data=coco.yaml');
    expect(commandProgram(['sim-train'])).toBe('sim-train');
  });
});

describe('countAllowing', () => {
  it('counts the workers that allow a command; one that publishes no list counts as allowing', () => {
    const sim: AllowedCommands = { any: false, prefixes: [['sim-train']] };
    expect(countAllowing([sim, sim], ['python3', 'train.py'])).toBe(0);
    expect(countAllowing([sim, { any: true }, null], ['python3', 'train.py'])).toBe(2);
    expect(countAllowing([], ['x'])).toBe(0);
  });
});
