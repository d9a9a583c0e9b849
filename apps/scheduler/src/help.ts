export const VERBS = ['serve', 'enqueue', 'status', 'best', 'export', 'pause', 'resume', 'cancel', 'list', 'preview'] as const;
export type Verb = (typeof VERBS)[number];

const COMMON = `Connection (every verb but preview):
  --redis-url URL     Redis to use (env REDIS_URL; default redis://127.0.0.1:6379;
                      rediss:// for TLS, redis://user:password@host:port/db)
  --redis-cluster NODES  a Redis Cluster instead: host:port,host:port,… (env
                      REDIS_CLUSTER_NODES; credentials and TLS as in --redis-url:
                      rediss://user:password@host:port)
  --prefix P          key prefix (env HYPEREVOLVE_PREFIX; default hyperevolve)
  --log-level L       fatal|error|warn|info|debug|trace|silent (default info)`;

const OVERVIEW = `scheduler — distributed YOLOv5-style hyperparameter evolution

Usage: scheduler <command> [flags]

Commands:
  serve      the long-lived process: breeds candidates late, records results,
             writes evolve.csv / hyp_evolve.yaml (run one or more)
  enqueue    create a campaign or add generations to it
  status     progress, best fitness, workers
  best       print the best hyps (hyp_evolve.yaml) of a campaign
  export     write evolve.csv and hyp_evolve.yaml of a campaign to a directory
  pause      stop issuing new trials of a campaign (running ones finish)
  resume     continue a paused campaign
  cancel     stop a campaign for good
  list       all campaigns
  preview    print the candidates the GA would breed next from an evolve.csv (no Redis)

Example:
  scheduler serve &
  worker --device 0 --allow-command "python train.py" &
  scheduler enqueue --generations 300 -- python train.py --epochs 10 --data coco128.yaml --weights yolov5s.pt --cache

Run scheduler <command> --help for the flags of one command.`;

const HELP: Record<Verb, string> = {
  serve: `Usage: scheduler serve [flags]

Keeps every running campaign topped up with about one waiting trial per idle worker
(plus --lookahead), breeding each candidate only when it is about to be needed, records
results exactly once and rewrites <out>/<campaign>/evolve.csv and hyp_evolve.yaml.
Several replicas may run against one Redis.

Flags:
  --lookahead N            extra waiting trials beyond idle workers (default 1; 0 breeds
                           strictly on demand, which makes a 1-worker run reproducible)
  --tick-ms MS             how often to look for idle workers (default 250)
  --reconcile-ms MS        how often to repair lost or failed jobs (default 3000)
  --export-interval-ms MS  least time between two rewrites of a campaign's files (default 250)
  --http HOST:PORT         serve the dashboard, e.g. 127.0.0.1:3000: campaign pages at /,
                           Bull Board at /queues, Prometheus metrics at /metrics
  --http-token T           token for pause/resume/cancel over HTTP (env HYPEREVOLVE_HTTP_TOKEN)
  --http-public-read       let anyone read the dashboard when bound beyond loopback

${COMMON}`,
  enqueue: `Usage: scheduler enqueue [flags] --generations N -- <training command…>

Creates campaign --name (default exp) or, when it exists with the same settings, adds N
generations (trials) to its budget.

Flags:
  --name C                 campaign name (default exp)
  --generations N          trials to run (required)
  --hyp FILE               base hyps, a YOLOv5 hyp yaml (default: YOLOv5's hyp.scratch-low)
  --space FILE             search space yaml, "hyp: [gain, lower, upper]" per line
                           (default: YOLOv5 v7.0's detection space)
  --fitness-weights W      4 weights over P, R, mAP@0.5, mAP@0.5:0.95 (default 0,0,0.1,0.9)
  --parent single|weighted parent selection over the top 5 (default single)
  --seed S                 campaign seed; fixes every candidate (default: random)
  --adapter yolov5|generic how trials are run and read (default yolov5)
  --timeout DURATION       kill a trial after e.g. 2h (default none)
  --attempts K             runs of a failing trial before it counts as failed (default 3)
  --max-failures K         pause the campaign after K failed trials in a row (default 10)
  --out DIR                where <name>/evolve.csv etc. are written (default runs/evolve)
  --seed-from FILE         start from an existing YOLOv5 evolve.csv (resume a YOLOv5 run)
  --full-trials            do not add --noval --nosave (validate every epoch, keep weights)
  -q, --quiet              no warnings about the hyps and the space (they are printed
                           once, when the campaign is created)

Example:
  scheduler enqueue --generations 1000 -- python train.py --epochs 10 --data coco128.yaml --weights yolov5s.pt --cache

${COMMON}`,
  status: `Usage: scheduler status [--name C] [--json] [--watch [--interval 2s]]

Progress of every campaign (or one): a progress bar, running / waiting / failed trials with
the reasons of the latest failures and their logs, best fitness, trials per hour and ETA; then
every worker: host, device and GPU, current trial, last heartbeat, and workers gone silent.

Flags:
  --name C        one campaign
  --json          one stable JSON object (with --watch: one per line)
  --watch         redraw every --interval (default 2s) until Ctrl-C

${COMMON}`,
  best: `Usage: scheduler best --name C

Prints the campaign's hyp_evolve.yaml (the best hyps, YOLOv5's format) to stdout.

${COMMON}`,
  export: `Usage: scheduler export --name C --out DIR

Writes DIR/evolve.csv and DIR/hyp_evolve.yaml from Redis.

${COMMON}`,
  pause: `Usage: scheduler pause --name C

Stops issuing trials of campaign C; waiting trials are taken off the queue, running ones finish.

${COMMON}`,
  resume: `Usage: scheduler resume --name C

Resumes a paused campaign (also one the circuit breaker paused after repeated failures).

${COMMON}`,
  cancel: `Usage: scheduler cancel --name C

Cancels campaign C for good; its recorded trials and files stay.

${COMMON}`,
  list: `Usage: scheduler list [--json]

Lists all campaigns with status and progress.

${COMMON}`,
  preview: `Usage: scheduler preview --population evolve.csv [flags]

Prints the candidates the GA would breed next from that population (no Redis needed):
a cheap way to sanity-check a search space before spending GPU hours.

Flags:
  --population FILE        a YOLOv5 evolve.csv (required)
  --hyp FILE               base hyps (default: YOLOv5's hyp.scratch-low)
  --space FILE             search space yaml (default: YOLOv5 v7.0's detection space)
  --parent single|weighted parent selection (default single)
  --count N                candidates to print (default 5)
  --seed S                 seed (default 0)
  --format csv|jsonl       csv uses evolve.csv's hyp columns (default csv)
  -q, --quiet              no warnings about --hyp and --space (printed on stderr after the
                           candidates; YOLOv5's default hyps and space are not warned about)`,
};

export function helpFor(verb: Verb | null): string {
  return verb === null ? OVERVIEW : HELP[verb];
}
