import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { networkAttemptFailure, offlineTrainerEnv } from './offline-guard.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offline-guard-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs Python code as a trainer under worker --offline would run (python3 from PATH). */
function python(code: string, base: Record<string, string> = {}): { status: number | null; stderr: string } {
  const env = { ...process.env, ...base, ...offlineTrainerEnv(base, dir) };
  const done = spawnSync('python3', ['-c', code], { env, encoding: 'utf8' });
  if (done.error !== undefined) throw done.error;
  return { status: done.status, stderr: done.stderr };
}

describe('worker --offline', () => {
  it('sets both trainers\' offline switches and puts the guard first on PYTHONPATH, keeping the user\'s', () => {
    const env = offlineTrainerEnv({ PYTHONPATH: '/mine' }, '/w/exp/3-1');
    expect(env).toMatchObject({ YOLO_OFFLINE: '1', HF_HUB_OFFLINE: '1', YOLO_AUTOINSTALL: 'false', YOLOv5_AUTOINSTALL: 'false', HYPEREVOLVE_NET_LOG: '/w/exp/3-1/network.log' });
    expect(env.PYTHONPATH).toMatch(/\/offline\/no-network\/?:\/mine$/);
  });

  it('blocks a lookup and a URL fetch with the OSError an offline machine gives, and the run fails naming them', async () => {
    const run = python([
      'import socket, urllib.request',
      'for attempt in (lambda: socket.getaddrinfo("example.com", 443), lambda: urllib.request.urlopen("https://example.com/Arial.ttf", timeout=5)):',
      '    try: attempt()',
      '    except OSError as e: print("blocked:", e)',
      'socket.getaddrinfo("localhost", 80)',
    ].join('\n'));
    expect(run.status, run.stderr).toBe(0);
    const failure = await networkAttemptFailure(dir);
    expect(failure?.kind).toBe('network-blocked');
    expect(failure?.message).toMatch(/^the trainer tried to reach the network, which worker --offline blocks: socket\.getaddrinfo example\.com:443 from .*; urllib\.Request https:\/\/example\.com\/Arial\.ttf from .*\. Put what it fetches/);
    expect(failure?.message).not.toContain('localhost');
  });

  it('finds nothing when the trainer tried nothing', async () => {
    expect(python('import socket; socket.getaddrinfo("127.0.0.1", 80)').status).toBe(0);
    expect(await networkAttemptFailure(dir)).toBeUndefined();
  });
});
