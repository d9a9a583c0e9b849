import { describe, expect, it } from 'vitest';
import { FAILURE_VIEW } from '@hyperevolve/contract';
import { failureView } from '@hyperevolve/trial-store';
import { formatDuration } from './format-duration.js';
import { failureLines, renderStatus } from './render-status.js';
import type { StatusView } from './status-view.js';
import { ttyFrame } from './tty-frame.js';

const view: StatusView = {
  v: 1,
  at: 1_000_000,
  schedulers: ['box1:100'],
  campaigns: [
    {
      name: 'exp', status: 'running', pausedReason: null, budget: 40, recorded: 10, progress: 0.25, imported: 0, failed: 1,
      inflight: 3, running: 2, queued: 1, best: { trial: 7, fitness: 0.07193260000000001 }, trialsPerHour: 12.34, etaSeconds: 9000,
      startedAt: 0, finishedAt: null, waitingFor: null,
      recentFailures: [failureView(4, { error: 'exit-code: train.py exited with 1', errorKind: 'exit-code', logPath: '/runs/4-1/train.log', command: ['python', 'train.py'], host: 'box2', worker: 'box2:1:0', finishedAt: 5 }, FAILURE_VIEW)],
    },
  ],
  workers: [
    { id: 'box1:1:0', host: 'box1', device: '0', gpuUuid: 'GPU-aaaa', pid: 1, currentTrial: 'exp/12', trialStartedAt: 937_000, trialElapsedMs: 63_000, lastBeatAt: 999_000, lastBeatAgoMs: 1000, silent: false, allowed: null },
    { id: 'box2:2:cpu', host: 'box2', device: 'cpu', gpuUuid: null, pid: 2, currentTrial: null, trialStartedAt: null, trialElapsedMs: null, lastBeatAt: 880_000, lastBeatAgoMs: 120_000, silent: true, allowed: { any: false, prefixes: [['python', 'train.py'], ['sim-train']] } },
  ],
};

describe('renderStatus', () => {
  it('shows progress, counts, best, pace, failures and a worker table', () => {
    const text = renderStatus(view);
    expect(text).toContain('exp  running  [########......................] 10/40 25%');
    expect(text).toContain('running 2  waiting 1  failed 1  best 0.071933 (trial 7)  12.3 trials/h  eta 2h30m');
    expect(text).toContain('failed trial 4 on box2: exit-code: train.py exited with 1\n    log /runs/4-1/train.log');
    expect(text).toContain('workers: 1 alive, 1 silent');
    // Each worker's device and what it may run (? when it publishes no list).
    expect(text).toMatch(/HOST +DEVICE +GPU +TRIAL +ELAPSED +HEARTBEAT +ALLOWS\n/);
    expect(text).toMatch(/box1 +0 +GPU-aaaa +exp\/12 +1m03s +1s ago +\?\n/);
    expect(text).toMatch(/box2 +cpu +- +\? +- +2m00s ago +"python train\.py", "sim-train" +SILENT\n/);
    expect(text).not.toContain('\u001b');
  });

  it("shows a running trial's latest epoch of how many, and its fitness once validated", () => {
    const [running, silent] = view.workers;
    const withEpoch = (epoch: { done: number; of: number | null; fitness: number | null }) => renderStatus({ ...view, workers: [{ ...running!, epoch }, silent!] });
    expect(withEpoch({ done: 3, of: 10, fitness: 0.412346 })).toMatch(/box1 +0 +GPU-aaaa +exp\/12 epoch 3\/10 fitness 0\.41235 +1m03s +1s ago +\?\n/);
    expect(withEpoch({ done: 1, of: null, fitness: null })).toMatch(/exp\/12 epoch 1\/\? +1m03s/);
  });

  it('says held (until resume) for a paused campaign\'s bred trials, and nothing of them once it is cancelled or done', () => {
    const campaign = view.campaigns[0]!;
    expect(renderStatus({ ...view, campaigns: [{ ...campaign, status: 'paused', running: 0 }] })).toContain('running 0  held 1 (until resume)  failed 1');
    for (const status of ['cancelled', 'done'] as const) {
      const text = renderStatus({ ...view, campaigns: [{ ...campaign, status, running: 0 }] });
      expect(text).toContain('running 0  failed 1');
      expect(text).not.toMatch(/waiting|held/);
    }
  });

  it('says how many trials pruning stopped and the GPU time that saved, only for a pruning campaign', () => {
    const campaign = view.campaigns[0]!;
    expect(renderStatus(view)).not.toMatch(/pruning/);
    const recent = [{ index: 17, rung: 3, fitness: 0.3124, cut: 0.35104 }];
    const text = renderStatus({ ...view, campaigns: [{ ...campaign, pruning: { mode: 'asha', rungs: [1, 3], window: 16, pruned: 12, savedGpuMs: 7_500_000, recent } }] });
    expect(text).toContain('  pruning asha at epochs 1,3 against the last 16 runs there: 12 pruned, ~2h05m GPU time saved\n  pruned trial 17 after epoch 3: fitness 0.3124 below the cut 0.35104\n');
    const unwindowed = renderStatus({ ...view, campaigns: [{ ...campaign, pruning: { mode: 'median', rungs: [1], window: null, pruned: 0, savedGpuMs: 0, recent: [] } }] });
    expect(unwindowed).toContain('  pruning median at epochs 1 against every run there: 0 pruned');
  });

  it("prints each warning of the latest warned trials, escaped, and how many more trials have some", () => {
    const campaign = view.campaigns[0]!;
    const recent = [{ index: 7, warnings: ['7-1: a line longer than 8192 bytes was skipped', '7-2: /t/\x1b[2Jprogress.jsonl is a FIFO'] }];
    const text = renderStatus({ ...view, campaigns: [{ ...campaign, warnings: { trials: 3, recent } }] });
    expect(text).toContain('  warning: trial 7, run 7-1: a line longer than 8192 bytes was skipped\n  warning: trial 7, run 7-2: /t/\\x1b[2Jprogress.jsonl is a FIFO\n');
    expect(text).toContain("  warning: 2 more trials with warnings (each trial's record in the dashboard shows them)\n");
    expect(renderStatus({ ...view, campaigns: [{ ...campaign, warnings: { trials: 0, recent: [] } }] })).not.toMatch(/warning/);
  });

  it('says what a running campaign waits for when the workers are the reason', () => {
    const text = renderStatus({ ...view, campaigns: [{ ...view.campaigns[0]!, waitingFor: 'no live worker allows `python3 train.py` (the live worker allows "sim-train")' }] });
    expect(text).toContain('\n  waiting: no live worker allows `python3 train.py` (the live worker allows "sim-train")\n');
  });

  it('leaves out the log line of a failure that has no log (the command was never run)', () => {
    const failure = { ...view.campaigns[0]!.recentFailures[0]!, error: 'command-not-allowed: not on the allow-list', errorKind: 'command-not-allowed' as const, logPath: '' };
    const text = renderStatus({ ...view, campaigns: [{ ...view.campaigns[0]!, recentFailures: [failure] }] });
    expect(text).toContain('failed trial 4 on box2: command-not-allowed: not on the allow-list\n');
    expect(text).not.toMatch(/^\s+log\s*$/m);
  });

  it("prints a line under a failure for each field the failure view labels, and only those", () => {
    const failure = view.campaigns[0]!.recentFailures[0]!;
    expect(failureLines(failure)).toEqual(['    log /runs/4-1/train.log']);
    // A field the view gives a line label shows without another change; one without a label does not.
    const withDir = { ...failure, trialDir: '/runs/4-1', runName: '4-1' };
    expect(failureLines(withDir, { ...FAILURE_VIEW, trialDir: { line: 'dir' }, runName: {} })).toEqual(['    log /runs/4-1/train.log', '    dir /runs/4-1']);
    expect(failureLines({ ...failure, command: ['a\u001b[2Jb'] }, { command: { line: 'command' } })).toEqual(['    command ["a\\u001b[2Jb"]']);
  });

  it('says when no scheduler runs and when there is nothing yet', () => {
    const text = renderStatus({ v: 1, at: 0, schedulers: [], campaigns: [], workers: [] });
    expect(text).toContain('no scheduler serve is running');
    expect(text).toContain('no campaigns yet');
    expect(text).toContain('workers: 0 alive');
  });
});

describe('renderStatus: Redis at risk and campaigns it lost', () => {
  const risk = (kind: string, message: string): { kind: string; message: string } => ({ kind, message });

  it('puts each risk first, and with Redis out of memory blames it for missing heartbeats instead of calling serve gone', () => {
    const text = renderStatus({ ...view, schedulers: [], redisRisks: [risk('no-append-only-file', 'Redis runs without its append-only file'), risk('out-of-memory', 'Redis is out of memory')] });
    expect(text.split('\n').slice(0, 3)).toEqual([
      'warning: Redis runs without its append-only file',
      'warning: Redis is out of memory',
      'no scheduler serve has written a heartbeat lately: Redis refuses writes (out of memory, above), so a running serve cannot say it is alive',
    ]);
    expect(text).toContain('workers: 1 alive, 1 silent (no heartbeat: Redis refuses writes, so they may well be alive)');
  });

  it('names a campaign whose files survive Redis, with the command that restores it, instead of "no campaigns yet"', () => {
    const text = renderStatus({ v: 1, at: 0, schedulers: ['a'], campaigns: [], workers: [], orphanedExports: [{ name: 'exp', path: '/data/evolve/exp/evolve.csv', rows: 6 }] });
    expect(text).toContain('warning: campaign exp is not in Redis, but /data/evolve/exp/evolve.csv holds 6 rows of it');
    expect(text).toContain('scheduler enqueue --name exp --out /data/evolve --seed-from /data/evolve/exp/evolve.csv --generations N -- <training command>');
    expect(text).toContain('no campaigns in Redis\n');
    expect(text).not.toContain('no campaigns yet');
  });
});

describe('formatDuration and ttyFrame', () => {
  it('formats durations for columns', () => {
    expect([formatDuration(null), formatDuration(999), formatDuration(187_000), formatDuration(7_500_000), formatDuration(3 * 86_400_000 + 4 * 3_600_000)]).toEqual(['-', '1s', '3m07s', '2h05m', '3d04h']);
  });

  it('redraws in place: home, each line cleared to its end, the rest cleared', () => {
    expect(ttyFrame('a\nb\n', false)).toBe('\u001b[Ha\u001b[K\nb\u001b[J\n');
    expect(ttyFrame('a\n', true).startsWith('\u001b[?25l\u001b[2J\u001b[H')).toBe(true);
  });
});
