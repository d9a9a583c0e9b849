#!/usr/bin/env bash
# Installs the real-trainer stack pinned in .ci/trainers-requirements.txt (PyTorch, Ultralytics,
# YOLOv5 7.0.14) into one venv under $HYPEREVOLVE_CACHE, keyed by a hash of the pins and the
# Python version, and links it at .tools/trainers (ignored by git). A second run with the same
# pins only relinks. Also prepares .tools/trainers/offline-config (see docs/trainers.md).
# Usable by hand: `bash .ci/install-trainers.sh`. Needs python3 >= 3.11 and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

cache="${HYPEREVOLVE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hyperevolve}"
python="${HYPEREVOLVE_TRAINER_PYTHON:-python3}"
requirements=.ci/trainers-requirements.txt
# Bump when this script changes what it leaves in the venv, so old caches are not reused.
layout=1

python_version="$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')" || {
  echo "install-trainers: cannot run '$python'; set HYPEREVOLVE_TRAINER_PYTHON to a Python >= 3.11" >&2
  exit 1
}
key="$({ cat "$requirements"; echo "python $python_version"; echo "layout $layout"; } | sha256sum | cut -c1-16)"
venv="$cache/trainers-$key"
mkdir -p "$cache"

# One installer at a time per venv (CI and a developer on the same machine).
exec 9>"$venv.lock"
flock 9

if [ -f "$venv/.complete" ]; then
  how="cached"
else
  # A venv cannot be moved after creation (its scripts name their interpreter by absolute
  # path), so it is built in place and marked complete last; a half-built one is rebuilt.
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --no-cache-dir --disable-pip-version-check \
    --no-input -r "$requirements"
  "$venv/bin/python" -m pip check --disable-pip-version-check
  "$venv/bin/python" test/support/trainers/offline-config.py "$venv/offline-config" >/dev/null
  du -sh "$venv" | cut -f1 >"$venv/.complete"
  how="installed"
fi

mkdir -p .tools
ln -sfn "$venv" .tools/trainers

versions="$(YOLO_OFFLINE=1 YOLO_CONFIG_DIR="$venv/offline-config" "$venv/bin/python" - <<'PY'
from importlib.metadata import version
print(", ".join(f"{p} {version(p)}" for p in ("torch", "torchvision", "ultralytics", "yolov5", "numpy")))
PY
)"
echo "trainer stack $how in $((SECONDS - started))s: $versions; python $python_version;" \
  "$(cat "$venv/.complete") at $venv (linked as .tools/trainers)"
