import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EpochFollower } from './epoch-follower.js';
import { progressFileEpochs, type EpochLineReader, type EpochReading } from '@hyperevolve/ga-core';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function follow(options: { failFirst?: boolean; lines?: EpochLineReader; path?: (dir: string) => string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'epoch-follower-'));
  dirs.push(dir);
  const path = options.path?.(dir) ?? join(dir, 'progress.jsonl');
  const epochs: EpochReading[] = [];
  const problems: string[] = [];
  let failures = options.failFirst === true ? 1 : 0;
  const follower = new EpochFollower({
    path,
    trialDir: dir,
    lines: options.lines ?? progressFileEpochs(),
    intervalMs: 10,
    onEpoch: (reading) => {
      if (failures-- > 0) return Promise.reject(new Error('Redis is down'));
      epochs.push(reading);
      return Promise.resolve();
    },
    onProblem: (problem) => problems.push(problem),
  });
  return { dir, path, follower, epochs, problems };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('EpochFollower', () => {
  it('reports each epoch as its line is appended, a partial line once it is complete', async () => {
    const { path, follower, epochs } = follow();
    follower.start(); // the file does not exist yet
    await new Promise((resolve) => setTimeout(resolve, 30));
    writeFileSync(path, '{"epoch": 0}\n{"epo');
    await until(() => epochs.length === 1);
    appendFileSync(path, 'ch": 1, "fitness": 0.5}\n');
    await until(() => epochs.length === 2);
    await follower.stop();
    expect(epochs).toEqual([{ epoch: 1 }, { epoch: 2, fitness: 0.5 }]);
    expect(follower.lastEpoch).toBe(2);
  });

  it('looks at the file first one interval after the start, not at once (a short run is read only by the stop)', async () => {
    const { path, follower, epochs } = follow();
    writeFileSync(path, '{"epoch": 0}\n');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      follower.start();
      vi.advanceTimersByTime(9); // the test's interval is 10 ms
      expect(vi.getTimerCount()).toBe(1); // the first look is still waiting: no read has started
      vi.advanceTimersByTime(1);
      expect(vi.getTimerCount()).toBe(0); // it started; the next is set once it is done
    } finally {
      vi.useRealTimers();
    }
    await until(() => epochs.length === 1);
    await follower.stop();
    expect(epochs).toEqual([{ epoch: 1 }]);
  });

  it("follows a log under a folder the trainer names at run time, and a newer one's from its start", async () => {
    const { dir, follower, epochs } = follow({ path: (trial) => join(trial, '*', 'progress.jsonl') });
    follower.start();
    mkdirSync(join(dir, '20261207_101010'));
    writeFileSync(join(dir, '20261207_101010', 'progress.jsonl'), '{"epoch": 0}\n{"epoch": 1}\n');
    await until(() => epochs.length === 2);
    // The trainer starts again in a new folder: its log is read from its start, old epochs not repeated.
    mkdirSync(join(dir, '20261207_111111'));
    writeFileSync(join(dir, '20261207_111111', 'progress.jsonl'), '{"epoch": 0}\n{"epoch": 1}\n{"epoch": 2}\n');
    await until(() => epochs.length === 3);
    await follower.stop();
    expect(epochs.map((reading) => reading.epoch)).toEqual([1, 2, 3]);
  });

  it('reads a rewritten file from its start without reporting its old epochs again', async () => {
    const { path, follower, epochs } = follow();
    writeFileSync(path, '{"epoch": 0}\n{"epoch": 1}\n{"epoch": 2}\n');
    follower.start();
    await until(() => epochs.length === 3);
    writeFileSync(path, '{"epoch": 0}\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    appendFileSync(path, '{"epoch": 1}\n{"epoch": 2}\n{"epoch": 3}\n');
    await until(() => epochs.length === 4);
    await follower.stop();
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
  });

  it('skips odd lines and epochs it could not record, naming why, and reads the last line on stop', async () => {
    const { path, follower, epochs, problems } = follow({ failFirst: true });
    writeFileSync(path, '{"epoch": 0}\nnan nan\n{"epoch": 1, "metrics": {"m": "nan"}}\n{"epoch": 2}');
    follower.start();
    await until(() => epochs.length === 1);
    await follower.stop();
    expect(epochs).toEqual([{ epoch: 2, metrics: { m: null } }, { epoch: 3 }]);
    expect(problems).toEqual([expect.stringMatching(/^epoch 1 was not recorded: Redis is down/), expect.stringMatching(/^not JSON/)]);
  });

  it("holds a profile's reader to its contract: a throw or an epoch that is no whole number from 1 skips the line", async () => {
    const lines: EpochLineReader = {
      reset() {},
      read(line) {
        if (line === 'boom') throw new Error('reader bug');
        return { epoch: Number(line) };
      },
    };
    const { path, follower, epochs, problems } = follow({ lines });
    writeFileSync(path, '1\nboom\n0\n2.5\nNaN\n-3\n2\n');
    follower.start();
    await until(() => epochs.length === 2);
    await follower.stop();
    expect(epochs).toEqual([{ epoch: 1 }, { epoch: 2 }]);
    expect(problems).toEqual([
      expect.stringMatching(/^the reader failed on "boom": reader bug/),
      expect.stringMatching(/^an epoch of 0, not a whole number from 1/),
      expect.stringMatching(/^an epoch of 2.5/),
      expect.stringMatching(/^an epoch of NaN/),
      expect.stringMatching(/^an epoch of -3/),
    ]);
  });
});

describe('EpochFollower bounds', () => {
  const limits = { lineBytes: 64, epochsPerRun: 5, metricsPerEpoch: 2, readBytesPerPoll: 40 };

  function bounded() {
    const dir = mkdtempSync(join(tmpdir(), 'epoch-follower-'));
    dirs.push(dir);
    const path = join(dir, 'progress.jsonl');
    const epochs: number[] = [];
    const problems: [string, string][] = [];
    const follower = new EpochFollower({
      path,
      lines: progressFileEpochs(),
      intervalMs: 5,
      limits,
      onEpoch: (reading) => {
        epochs.push(reading.epoch);
        return Promise.resolve();
      },
      onProblem: (problem, kind) => problems.push([kind, problem]),
    });
    return { dir, path, follower, epochs, problems };
  }

  it('drops a line past lineBytes as it streams in, across reads of readBytesPerPoll, and reads the next line', async () => {
    const { path, follower, epochs, problems } = bounded();
    writeFileSync(path, `{"epoch": 0}\n{"epoch": 1, "x": "${'y'.repeat(500)}"}\n{"epoch": 2}\n`);
    follower.start();
    await until(() => epochs.length === 2);
    await follower.stop();
    expect(epochs).toEqual([1, 3]);
    expect(problems).toEqual([['limit', 'a line longer than 64 bytes was skipped (no trainer writes such an epoch line)']]);
  });

  it('at the stop, reads to the end what was written past readBytesPerPoll since the last look, without cutting a line', async () => {
    const { path, follower, epochs, problems } = bounded();
    // 4 lines of 13 bytes, more than one read of 40: the trainer wrote them all just before it exited.
    writeFileSync(path, '{"epoch": 0}\n{"epoch": 1}\n{"epoch": 2}\n{"epoch": 3}');
    await follower.stop();
    expect(epochs).toEqual([1, 2, 3, 4]);
    expect(problems).toEqual([]);
  });

  it('skips an epoch of too many metrics and stops following at an epoch past epochsPerRun', async () => {
    const { path, follower, epochs, problems } = bounded();
    writeFileSync(path, '{"epoch": 0}\n{"epoch": 1, "metrics": {"a": 1, "b": 2, "c": 3}}\n{"epoch": 2}\n{"epoch": 9007199254740991}\n{"epoch": 3}\n');
    follower.start();
    await until(() => problems.length === 2);
    await follower.stop();
    expect(epochs).toEqual([1, 3]);
    expect(problems.map(([kind]) => kind)).toEqual(['limit', 'stopped']);
    expect(problems[1]?.[1]).toMatch(/^epoch 9007199254740992 is past the 5 epochs a run may report: the worker no longer follows/);
  });

  it('refuses a FIFO at once, without waiting for a writer, and a symbolic link', async () => {
    for (const make of [(path: string) => execFileSync('mkfifo', [path]), (path: string) => symlinkSync('/etc/hostname', path)]) {
      const { path, follower, epochs, problems } = bounded();
      make(path);
      follower.start();
      await until(() => problems.length === 1);
      await follower.stop();
      expect(epochs).toEqual([]);
      expect(problems[0]?.[0]).toBe('stopped');
      expect(problems[0]?.[1]).toMatch(/ is (a FIFO|a symbolic link), not a regular file/);
    }
  });
});
