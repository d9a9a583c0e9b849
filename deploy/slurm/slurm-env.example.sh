# hyperevolve on Slurm: copy to ~/.config/hyperevolve/slurm-env.sh (chmod 600: it holds the
# Redis password) or point HYPEREVOLVE_ENV at it. worker.sbatch and scheduler.sbatch source it
# on the compute node (bash, every variable exported), so it may also load modules or a venv.
# Kept out of sbatch's command line and environment on purpose: those show in scontrol.

# Redis, the state of record, on a service node every compute node reaches (docs/deployment.md).
REDIS_URL='redis://:CHANGE-ME-openssl-rand-hex-32@redis-host.cluster.example:6379'
# TLS: REDIS_URL='rediss://…' and, for your own CA, REDIS_CA_CERT=$HOME/.config/hyperevolve/ca.crt
HYPEREVOLVE_PREFIX=hyperevolve

# The commands workers may run (prefixes, ";" between them).
HYPEREVOLVE_ALLOW_COMMANDS='python train.py'

# Node.js 24 and hyperevolve (a clone with `npm ci` done, on a shared file system).
PATH="$HOME/node-24/bin:$PATH"
HYPEREVOLVE_WORKER="$HOME/hyperevolve/apps/worker/bin/worker.js"
HYPEREVOLVE_SCHEDULER="$HOME/hyperevolve/apps/scheduler/bin/scheduler.js"

# Where trials run (default: the directory you submitted from) and where their files go.
# HYPEREVOLVE_TRAIN_DIR="$HOME/yolov5"
# HYPEREVOLVE_WORKDIR="$HOME/yolov5/runs/trials"
# Told to stop on its own (scancel --batch --signal=TERM, or worker.sbatch's --signal 120 s before the
# time limit), a worker lets its running trial finish: however long it takes (up to the time limit), or
# at most this long, after which the trial is handed back to the queue (0: at once).
# HYPEREVOLVE_GRACE=30m

# The trainer's environment: whatever `python train.py` needs on a compute node.
# module load cuda/12.4
# . "$HOME/venvs/yolov5/bin/activate"
YOLOv5_AUTOINSTALL=false
