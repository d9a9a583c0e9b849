import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readUntrusted } from '@hyperevolve/runtime';
import { TrialFailure } from '../trial-failure.js';

/** What is read of the blocked-attempts log: its first lines name the attempts. */
const NETWORK_LOG_MAX_BYTES = 1024 * 1024;

/** The Python audit hook that blocks and logs network attempts (sitecustomize.py; copied beside the bundle). */
const GUARD_DIR = fileURLToPath(new URL('./no-network/', import.meta.url));

/** Where a trial's blocked attempts are logged, inside its trial directory. */
const NETWORK_LOG = 'network.log';

/** Lines of the log quoted in the failure. */
const QUOTED = 5;

/**
 * What `worker --offline` adds to a trainer's environment: both trainers' offline switches
 * (Ultralytics' connectivity checks and telemetry, Hugging Face, package installs) and the
 * guard, first on PYTHONPATH, that turns any attempt that remains into an OSError logged to
 * `<trialDir>/network.log`. Files the trainers would fetch (fonts, weights) must be on the
 * machine beforehand: see docs/trainers.md.
 */
export function offlineTrainerEnv(base: Readonly<Record<string, string>>, trialDir: string): Record<string, string> {
  const pythonPath = base.PYTHONPATH;
  return {
    YOLO_OFFLINE: '1',
    HF_HUB_OFFLINE: '1',
    YOLO_AUTOINSTALL: 'false',
    YOLOv5_AUTOINSTALL: 'false',
    PYTHONPATH: pythonPath === undefined || pythonPath === '' ? GUARD_DIR : `${GUARD_DIR}${delimiter}${pythonPath}`,
    HYPEREVOLVE_NET_LOG: join(trialDir, NETWORK_LOG),
  };
}

/**
 * The run's failure when its trainer tried to reach the network (whatever it exited with: a
 * run that went on without what it fetched is not the run the campaign asked for), naming
 * what it tried; undefined when it tried nothing.
 */
export async function networkAttemptFailure(trialDir: string): Promise<TrialFailure | undefined> {
  let text: string;
  try {
    // The trainer can write there: read a bounded start of a regular file, never a FIFO or a link.
    const read = await readUntrusted(join(trialDir, NETWORK_LOG), NETWORK_LOG_MAX_BYTES);
    if (read.kind !== 'text') return undefined;
    text = read.text;
  } catch {
    return undefined;
  }
  // `<pid> <event> <what> from <where>`: the pid says nothing to a reader.
  const attempts = [...new Set(text.split('\n').filter((line) => line.trim() !== '').map((line) => line.replace(/^\d+ /, '')))];
  if (attempts.length === 0) return undefined;
  const shown = attempts.slice(0, QUOTED).join('; ') + (attempts.length > QUOTED ? `; and ${attempts.length - QUOTED} more in ${join(trialDir, NETWORK_LOG)}` : '');
  return new TrialFailure(
    'network-blocked',
    `the trainer tried to reach the network, which worker --offline blocks: ${shown}. ` +
      'Put what it fetches on this machine first (the weights its command names; Arial.ttf in $YOLO_CONFIG_DIR/Ultralytics and $YOLOV5_CONFIG_DIR, see docs/trainers.md), or start the worker without --offline',
  );
}
