// The lease watchdog: a process of its own beside a worker that holds a GPU lease, so that the
// trainer never outlives the lease even when the worker's event loop cannot act (the worker
// stopped with SIGSTOP, swapped out, stuck). Plain JavaScript, node:* only.
//
// stdin, one JSON object per line, from the worker:
//   {"kind":"lease","untilMs":T}     the lease is the worker's until T on monotonic-ms.mjs's clock
//                                    (sent after each renewal; absolute, so a late read shortens
//                                    nothing)
//   {"kind":"run","run":{pgid,token,cgroup}}   a trainer run started on the GPU
//   {"kind":"run-ended"}             it ended
// When the time runs out with no newer "lease" line, every process of the run is killed
// (reap-run.mjs) and it says so on stdout ({"kind":"reaped","pids":[…]}). When stdin closes
// (the worker exited or let go), it exits, after the deadline if a run is still registered.
// Started detached (a group of its own): signals meant for the worker's group miss it.
import { createInterface } from 'node:readline';
import { monotonicMs } from './monotonic-ms.mjs';
import { reapRun } from './reap-run.mjs';

let deadline = null;
let run = null;
let timer;
let inputClosed = false;

process.stdout.on('error', () => {
  // The worker is gone: nobody to tell.
});

function say(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function expired() {
  return deadline !== null && monotonicMs() >= deadline;
}

function fire() {
  if (run !== null) {
    const pids = reapRun(run);
    say({ kind: 'reaped', pgid: run.pgid, pids });
    run = null;
  }
  if (inputClosed) process.exit(0);
}

function arm() {
  clearTimeout(timer);
  if (deadline === null) return;
  timer = setTimeout(() => (expired() ? fire() : arm()), Math.max(0, deadline - monotonicMs()));
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  if (message.kind === 'lease' && typeof message.untilMs === 'number') {
    deadline = message.untilMs;
    if (expired()) fire();
    else arm();
  } else if (message.kind === 'run' && message.run !== null && typeof message.run === 'object') {
    run = message.run;
    if (expired()) fire();
  } else if (message.kind === 'run-ended') {
    run = null;
  }
});
lines.on('close', () => {
  inputClosed = true;
  if (run === null || expired()) fire();
});

say({ kind: 'ready' });
