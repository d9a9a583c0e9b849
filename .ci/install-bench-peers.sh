#!/usr/bin/env bash
# Installs the benchmark's peers (Optuna with its Redis journal storage) pinned in
# bench/peers/requirements.txt into one venv under $HYPEREVOLVE_CACHE, keyed by a hash of the pins
# and the Python version, and links it at .tools/bench-peers (ignored by git). A second run with
# the same pins only relinks. Without python3 or PyPI it says so and exits 0: the benchmark then
# prints hyperevolve's figures alone. Usable by hand: `bash .ci/install-bench-peers.sh`.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

cache="${HYPEREVOLVE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hyperevolve}"
python="${HYPEREVOLVE_BENCH_PYTHON:-python3}"
requirements=bench/peers/requirements.txt

python_version="$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null)" || {
  echo "install-bench-peers: no '$python'; the overhead benchmark will print hyperevolve alone (set HYPEREVOLVE_BENCH_PYTHON)"
  exit 0
}
key="$({ cat "$requirements"; echo "python $python_version"; } | sha256sum | cut -c1-16)"
venv="$cache/bench-peers-$key"
mkdir -p "$cache"
exec 9>"$venv.lock"
flock 9

if [ -f "$venv/.complete" ]; then
  how="cached"
else
  rm -rf "$venv"
  if ! { "$python" -m venv "$venv" &&
    "$venv/bin/python" -m pip install --quiet --no-cache-dir --disable-pip-version-check --no-input -r "$requirements"; }; then
    rm -rf "$venv"
    echo "install-bench-peers: could not install $requirements from PyPI; the overhead benchmark will print hyperevolve alone"
    exit 0
  fi
  touch "$venv/.complete"
  how="installed"
fi
mkdir -p .tools
ln -sfn "$venv" .tools/bench-peers
echo "bench peers $how in $((SECONDS - started))s: $("$venv/bin/python" -c 'import optuna; print("optuna", optuna.__version__)') at $venv (linked as .tools/bench-peers)"
