#!/usr/bin/env bash
# `worker --device auto` once against this machine's real nvidia-smi: discovery, the GPU lease it
# takes, a second worker that finds every GPU taken and waits, and the leases given back on stop.
# Prints the worker's log lines about all that, and the lease keys and heartbeats in Redis.
#
#   scripts/gpu-smoke.sh            run it (Redis: $REDIS_URL if it answers, else a private
#                                   redis-server on a free port, stopped at the end)
#   scripts/gpu-smoke.sh --pack     on a machine with `npm ci` done: put Node, the worker bundle, its
#                                   runtime packages and redis-server (with its libraries) under
#                                   .gpu-smoke/ (git-excluded), for a GPU machine that has none of them
#
# On a bare GPU machine: run --pack here, carry .gpu-smoke, then run scripts/gpu-smoke.sh there.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PACK=$REPO/.gpu-smoke
SECONDS_UP=${GPU_SMOKE_SECONDS:-6}

pack() {
  [ -d node_modules ] || { echo "gpu-smoke --pack: run npm ci first" >&2; exit 2; }
  node scripts/build.mjs
  local root=$PACK/root
  rm -rf "$PACK" && mkdir -p "$root/bin" "$root/lib" "$root/apps/worker" "$root/scripts"
  grep -qx '/.gpu-smoke/' .git/info/exclude 2>/dev/null || echo '/.gpu-smoke/' >> .git/info/exclude
  cp "$(readlink -f "$(command -v node)")" "$root/bin/node"
  cp -a apps/worker/dist "$root/apps/worker/dist"
  cp scripts/gpu-smoke-report.mjs "$root/scripts/"
  # The worker's npm packages and theirs (the bundle inlines the workspace packages).
  node -e '
    const { readFileSync, existsSync } = require("node:fs");
    const deps = (file) => { const j = JSON.parse(readFileSync(file, "utf8")); return Object.keys({ ...j.dependencies, ...j.optionalDependencies }); };
    const todo = ["apps/worker", "packages/runtime", "packages/contract"].flatMap((dir) => deps(dir + "/package.json")).filter((n) => !n.startsWith("@hyperevolve/") && n !== "tsx");
    const seen = new Set();
    while (todo.length > 0) {
      const name = todo.pop();
      if (seen.has(name) || !existsSync("node_modules/" + name + "/package.json")) continue;
      seen.add(name);
      todo.push(...deps("node_modules/" + name + "/package.json"));
    }
    console.log([...seen].map((name) => "node_modules/" + name).join("\n"));
  ' | while read -r dir; do mkdir -p "$root/$(dirname "$dir")"; cp -a "$dir" "$root/$dir"; done
  local redis
  redis=$(readlink -f "$(command -v redis-server)")
  cp "$redis" "$root/bin/redis-server"
  # Its libraries but not the C runtime's own (those must be the target machine's).
  ldd "$redis" | awk '/=> \// { print $3 }' | grep -Ev '/(libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|ld-linux[^/]*)\.so' | while read -r lib; do cp -L "$lib" "$root/lib/"; done
  tar -C "$root" -cJf "$PACK/pack.tar.xz" .
  rm -rf "$root"
  echo "gpu-smoke: packed $(du -h "$PACK/pack.tar.xz" | cut -f1) into .gpu-smoke/pack.tar.xz; carry .gpu-smoke and run scripts/gpu-smoke.sh"
}

[ "${1:-}" = "--pack" ] && { pack; exit 0; }

echo "== nvidia-smi"
command -v nvidia-smi >/dev/null || { echo "gpu-smoke: no nvidia-smi on PATH; this is a check for a GPU machine" >&2; exit 2; }
nvidia-smi -L || true
nvidia-smi --query-gpu=index,uuid,memory.used,memory.total --format=csv,noheader,nounits
echo "CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES-<unset>}"

WORK=$(mktemp -d /tmp/gpu-smoke.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -f "$PACK/pack.tar.xz" ] && { [ -n "${GPU_SMOKE_USE_PACK:-}" ] || ! command -v node >/dev/null || [ ! -d node_modules ]; }; then
  ROOT=$WORK/root
  mkdir -p "$ROOT"
  if command -v xz >/dev/null; then tar -C "$ROOT" -xJf "$PACK/pack.tar.xz"; else python3 -m tarfile -e "$PACK/pack.tar.xz" "$ROOT"; fi
  export PATH=$ROOT/bin:$PATH LD_LIBRARY_PATH=$ROOT/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
else
  ROOT=$REPO
  [ -d node_modules ] || { echo "gpu-smoke: no node_modules; run npm ci, or --pack on a machine that has them and carry .gpu-smoke" >&2; exit 2; }
  [ -f apps/worker/dist/main.mjs ] || node scripts/build.mjs
fi
echo "== node $(node --version)"
REPORT=$ROOT/scripts/gpu-smoke-report.mjs
[ -f "$REPORT" ] || REPORT=$REPO/scripts/gpu-smoke-report.mjs

if [ -n "${REDIS_URL:-}" ] && node "$REPORT" --ping "$REDIS_URL"; then
  echo "== Redis: REDIS_URL"
else
  port=$(( 20000 + RANDOM % 20000 ))
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" > "$WORK/redis.log" 2>&1 &
  PIDS+=($!)
  export REDIS_URL=redis://127.0.0.1:$port
  for _ in $(seq 1 50); do node "$REPORT" --ping "$REDIS_URL" && break; sleep 0.2; done
  node "$REPORT" --ping "$REDIS_URL" || { echo "gpu-smoke: redis-server did not start:" >&2; cat "$WORK/redis.log" >&2; exit 1; }
  echo "== Redis: private redis-server on port $port"
fi

PREFIX=gpu-smoke-$$
export HYPEREVOLVE_PREFIX=$PREFIX HYPEREVOLVE_GPU_LEASE_MS=6000 HYPEREVOLVE_HEARTBEAT_MS=1000
WORKER=$ROOT/apps/worker/dist/main.mjs
worker() {
  local name=$1; shift
  node "$WORKER" --allow-command true --workdir "$WORK/trials" "$@" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  echo $! > "$WORK/$name.pid"
}
wait_for() {
  local file=$1 pattern=$2
  for _ in $(seq 1 150); do grep -qE "$pattern" "$file" && return 0; sleep 0.2; done
  echo "gpu-smoke: $file never said /$pattern/:" >&2; cat "$file" >&2; return 1
}
lines() {
  grep -E 'nvidia-smi|GPU|lease|worker started|waiting|CUDA_VISIBLE|error|stopped' "$1" || true
}

echo "== worker --device auto"
worker first --device auto
wait_for "$WORK/first.log" 'waiting for trials|"level":(50|60)'
echo "== a second worker --device auto (every GPU taken: it should wait and say why)"
worker second --device auto
wait_for "$WORK/second.log" 'waiting for a free GPU|waiting for trials|"level":(50|60)'
sleep "$SECONDS_UP"
node "$REPORT" "$REDIS_URL" "$PREFIX"

echo "== SIGTERM both"
kill -TERM "$(cat "$WORK/first.pid")" "$(cat "$WORK/second.pid")"
for name in first second; do
  pid=$(cat "$WORK/$name.pid")
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
done
echo "-- first worker's log:"; lines "$WORK/first.log"
echo "-- second worker's log:"; lines "$WORK/second.log"
echo "== after the stop (the leases should be gone)"
node "$REPORT" "$REDIS_URL" "$PREFIX" --clean
