"""Prints, as JSON, the facts our Ultralytics profile copies, read from the INSTALLED package.

Usage: python ultralytics-facts.py   (run with the trainer venv's python)

A test compares these with packages/ga-core/src/trainers/ultralytics-defaults.ts, so a new
pin that changes a default fails loudly instead of drifting. Printed:
  version        ultralytics.__version__
  defaultHyp     {key: value} for every number under default.yaml's "Hyperparameters" heading
  tunerSpace     [[name, lower, upper, gain], ...] in the Tuner's own order (gain 1 when absent)
  fitnessWeights {task: {column: weight}}, found by feeding each metric alone to the task's
                 metrics class and reading back its fitness
  metricColumns  {task: [the metric columns its metrics class logs]}
"""

import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("YOLO_OFFLINE", "1")


def default_hyp() -> dict[str, float]:
    import yaml
    from ultralytics.cfg import DEFAULT_CFG_PATH

    text = Path(DEFAULT_CFG_PATH).read_text(encoding="utf-8")
    keys, inside = [], False
    for line in text.splitlines():
        if line.startswith("# ") and "---" in line:
            inside = line.startswith("# Hyperparameters")
        elif inside and line and not line.startswith((" ", "#")):
            keys.append(line.split(":", 1)[0])
    values = yaml.safe_load(text)
    return {k: values[k] for k in keys if isinstance(values[k], (int, float)) and not isinstance(values[k], bool)}


def tuner_space() -> list[list]:
    from ultralytics.engine.tuner import Tuner

    with tempfile.TemporaryDirectory() as tmp:
        # A stand-in model: the Tuner only keeps it for training, which never starts here.
        tuner = Tuner(args={"model": "yolov8n.yaml", "data": "none.yaml", "project": tmp, "name": "facts"}, model=object())
    return [[k, float(v[0]), float(v[1]), float(v[2]) if len(v) == 3 else 1.0] for k, v in tuner.space.items()]


def fitness_weights() -> tuple[dict, dict]:
    from ultralytics.utils import metrics as um

    weights, columns = {}, {}
    for task, cls in (("detect", um.DetMetrics), ("segment", um.SegmentMetrics), ("pose", um.PoseMetrics)):
        probe = cls()
        parts = [probe.box] + [getattr(probe, a) for a in ("seg", "pose") if hasattr(probe, a)]
        keys = list(probe.keys)
        assert len(keys) == 4 * len(parts), f"{cls.__name__}.keys has {len(keys)} names for {len(parts)} parts"
        found = {}
        for i, key in enumerate(keys):
            for j, part in enumerate(parts):
                unit = [1.0 if 4 * j + m == i else 0.0 for m in range(4)]
                part.mean_results = lambda unit=unit: unit
            found[key] = float(probe.fitness)
        weights[task], columns[task] = found, keys
    return weights, columns


def main() -> None:
    import ultralytics

    weights, columns = fitness_weights()
    json.dump(
        {
            "version": ultralytics.__version__,
            "defaultHyp": default_hyp(),
            "tunerSpace": tuner_space(),
            "fitnessWeights": weights,
            "metricColumns": columns,
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
