import { renderEnvironment, renderFlags } from '@hyperevolve/runtime';
import { DEVICE_OPTIONS, OTHER_OPTIONS, SECURITY_OPTIONS, WORKER_OPTIONS } from './worker-options.js';

/** `worker --help`: the prose here, every flag and variable from the option tables. */
export function helpText(): string {
  return `worker — runs hyperevolve trials on one or more devices of this machine

Usage:
  worker --device auto --allow-command "<prefix>" [options]
  worker --devices auto|0,1,2,3 --allow-command "<prefix>" [options]
  worker --device <i|cpu> --allow-command "<prefix>" [options]

Devices:
${renderFlags(DEVICE_OPTIONS)}

Security (one is required):
${renderFlags(SECURITY_OPTIONS)}

Options:
${renderFlags(OTHER_OPTIONS)}
  -h, --help               this text

Environment:
${renderEnvironment(WORKER_OPTIONS)}

The trainer runs in the worker's working directory with the worker's environment (minus REDIS_URL and
REDIS_CLUSTER_NODES) and HYPEREVOLVE_RUN_TOKEN, in a process group of its own (and a cgroup of its own
where the machine allows it). When the run ends (exit, timeout, shutdown) every process of it is
killed: its group, its cgroup, and whatever carries its token or descends from those, so a grandchild
that called setsid dies too. The run is recorded under <workdir>/.running/, so that if this worker is
killed with SIGKILL, the next worker to take the same device on this host kills the orphaned run
before it starts a trial.

Stopping: the first SIGTERM or SIGINT (Ctrl-C) takes no new trial and lets the running one finish
and report (for at most --grace, when given), then the worker exits 0. A second one kills the trainer
at once and hands its trial back to the queue, not counted as an attempt (exit 130). Where something
kills the worker after a deadline (docker compose's stop_grace_period, Kubernetes'
terminationGracePeriodSeconds, a Slurm time limit), give a --grace below it: docs/deployment.md.

Example:
  REDIS_URL=redis://:secret@redis-host:6379 \\
    worker --devices 0,1,2,3 --allow-command "python train.py" --workdir /data/runs --grace 15m
`;
}
