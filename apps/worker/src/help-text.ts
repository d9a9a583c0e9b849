export const HELP_TEXT = `worker — runs hyperevolve trials on one or more devices of this machine

Usage:
  worker --device auto --allow-command "<prefix>" [options]
  worker --devices auto|0,1,2,3 --allow-command "<prefix>" [options]
  worker --device <i|cpu> --allow-command "<prefix>" [options]

Devices (default: --device auto):
  --device auto            one worker on a free GPU of this machine: the GPUs nvidia-smi lists (within
                           CUDA_VISIBLE_DEVICES), each claimed by a lease in Redis keyed by its UUID, so
                           workers that all see every GPU (docker compose --scale) end up on distinct ones.
                           When every GPU is taken it waits and takes the first that frees up.
  --devices auto           one worker per GPU of this machine, in this one process, with the same leases
  --device <i|cpu>         one worker on GPU index i (YOLOv5's --device i) or on the CPU
  --devices <i,j,…>        one worker per listed device, in this one process; GPUs are leased too
                           (where nvidia-smi is missing they run without leases, with a warning)
  --skip-busy-gpus <MiB>   do not claim a GPU with more than this much memory already in use (someone
                           else's job): e.g. --skip-busy-gpus 1000

Security (one is required):
  --allow-command <prefix> run only jobs whose command starts with these words, compared
                           word by word ("python train.py" allows "python train.py --epochs 3"
                           but not "python evil.py"); repeatable. Commands never go through a shell.
  --allow-any-command      run any command a job carries (only where nobody else can enqueue)

Options:
  --workdir <dir>          where trial directories go: <dir>/<campaign>/<index>-<attempt>/
                           (hyp.yaml, command.txt, train.log, the trainer's output); default ./runs/trials
  --redis-url <url>        redis://[user:password@]host:6379[/db] or rediss://… (TLS); default REDIS_URL
  --redis-cluster <nodes>  a Redis Cluster instead: host:port,host:port,… (credentials and TLS as in
                           --redis-url: rediss://user:password@host:port); default REDIS_CLUSTER_NODES
  --prefix <p>             Redis key prefix, the same as the scheduler's; default hyperevolve
  --grace <duration>       on SIGTERM/SIGINT, let a running trial go on this long (e.g. 10m) before
                           killing it and handing it back to the queue; default 0. A second signal exits at once.
  --log-level <level>      fatal, error, warn, info (default), debug, trace or silent
  -h, --help               this text

Environment:
  REDIS_URL                    default for --redis-url (redis://127.0.0.1:6379)
  REDIS_CLUSTER_NODES          default for --redis-cluster (set it or REDIS_URL, not both)
  HYPEREVOLVE_PREFIX           default for --prefix
  HYPEREVOLVE_ALLOW_COMMANDS   allow-list when no --allow-command is given, prefixes separated by ";"
  HYPEREVOLVE_HOST             host name reported in heartbeats and results (default: os.hostname())
  HYPEREVOLVE_LOG_LEVEL        default for --log-level
  HYPEREVOLVE_LOCK_MS          BullMQ job lock duration in ms (default 30000)
  HYPEREVOLVE_STALLED_MS       BullMQ stalled-job check interval in ms (default 30000)
  HYPEREVOLVE_HEARTBEAT_MS     heartbeat interval in ms (default 2000)
  HYPEREVOLVE_CONNECT_TIMEOUT_MS  how long to wait for Redis at start-up (default 10000)
  HYPEREVOLVE_GPU_LEASE_MS     GPU lease time to live in ms, renewed every third (default 30000): a dead
                               worker's GPU frees within it
  CUDA_VISIBLE_DEVICES         limits --device auto/--devices auto to these GPUs (indices or UUIDs; empty: none)

The trainer runs in the worker's working directory with the worker's environment (minus REDIS_URL and
REDIS_CLUSTER_NODES), in a process group of its own that is killed as a whole on timeout or shutdown. Its group is recorded
under <workdir>/.running/, so that if this worker is killed with SIGKILL, the next worker to take the
same device on this host kills the orphaned trainer before it starts a trial there.

Example:
  REDIS_URL=redis://:secret@redis-host:6379 \\
    worker --devices 0,1,2,3 --allow-command "python train.py" --workdir /data/runs --grace 15m
`;
