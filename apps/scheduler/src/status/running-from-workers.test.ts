import { describe, expect, it } from 'vitest';
import { runningFromWorkers, waitingForWorker } from './running-from-workers.js';
import type { CampaignView, WorkerView } from './status-view.js';

const campaign: CampaignView = {
  name: 'exp', status: 'paused', pausedReason: 'paused by the user (scheduler pause)', budget: 10, recorded: 3, progress: 0.3, imported: 0, failed: 0,
  inflight: 2, running: 2, queued: 0, best: null, trialsPerHour: null, etaSeconds: null, startedAt: 0, finishedAt: null, waitingFor: null, recentFailures: [],
};
const worker = (currentTrial: string | null, id = 'box:1:cpu'): WorkerView => ({
  id, host: 'box', device: 'cpu', gpuUuid: null, pid: 1, currentTrial, trialStartedAt: null, trialElapsedMs: null, lastBeatAt: 0, lastBeatAgoMs: 0, silent: false, allowed: null,
});

describe('runningFromWorkers', () => {
  it('a paused campaign whose two handed-back trials no worker runs: running 0, held 2', () => {
    expect(runningFromWorkers(campaign, [worker(null)])).toMatchObject({ running: 0, queued: 2 });
  });

  it('counts the workers running one of its trials, not those of other campaigns', () => {
    expect(runningFromWorkers({ ...campaign, status: 'running' }, [worker('exp/4'), worker('exp2/4', 'b:2:0'), worker(null, 'c:3:1')])).toMatchObject({ running: 1, queued: 1 });
  });

  it('never more running than in flight (a heartbeat that still names a recorded trial)', () => {
    expect(runningFromWorkers({ ...campaign, inflight: 1 }, [worker('exp/4'), worker('exp/5', 'b:2:0')])).toMatchObject({ running: 1, queued: 0 });
  });
});

describe('waitingForWorker', () => {
  const running = { ...campaign, status: 'running' };
  const command = ['python3', 'train.py', '--epochs', '10'];
  const sim = { ...worker(null), allowed: { any: false, prefixes: [['sim-train']] } } as const;

  it('names the command no live worker allows, what they allow, and the fix', () => {
    expect(waitingForWorker(running, command, [sim, { ...sim, id: 'b:2:cpu' }])).toBe(
      'no live worker allows `python3 train.py` (the live workers allow "sim-train"); start one with --allow-command "python3 train.py"');
  });

  it('says nothing when a live worker allows it (or might: one that publishes no list), nor for a paused or finished campaign', () => {
    expect(waitingForWorker(running, command, [sim, { ...sim, id: 'b', allowed: { any: true } }])).toBeNull();
    expect(waitingForWorker(running, command, [sim, worker(null, 'old')])).toBeNull();
    expect(waitingForWorker(campaign, command, [sim])).toBeNull();
    expect(waitingForWorker({ ...running, recorded: 10 }, command, [sim])).toBeNull();
  });

  it('with no live worker (silent ones do not count): says to start one', () => {
    expect(waitingForWorker(running, command, [{ ...sim, silent: true }])).toBe('no live worker; start one, e.g. worker --device 0 --allow-command "python3 train.py"');
  });
});
