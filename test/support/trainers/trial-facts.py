"""Reads one finished trainer run directory the way the trainer itself would, and prints JSON.

Usage: python trial-facts.py RUN_DIR   (run with the trainer venv's python)

The run directory is `<project>/<name>` of an Ultralytics run (it holds args.yaml) or of a
YOLOv5 run (hyp.yaml and opt.yaml). Printed (one JSON object):
  trainer  "ultralytics" | "yolov5", version  the installed package's version,
  epoch    the epoch of the row used, row  that results.csv row as {column: number},
  fitness  the trainer's OWN fitness function applied to that row (Ultralytics: the task's
           metrics class, e.g. DetMetrics.fitness; YOLOv5: utils.metrics.fitness),
  hyps     the hyperparameters the run saved as the ones it trained with
           (Ultralytics: the hyperparameter keys of args.yaml; YOLOv5: hyp.yaml),
  args     everything else the run saved (args.yaml, or opt.yaml without its hyp copy).
The row used is the first row with the highest epoch (a run may repeat its final epoch).
Exit status 2 with a message on stderr when the directory is not a finished run.
"""

import csv
import json
import math
import os
import sys
from pathlib import Path

os.environ.setdefault("YOLO_OFFLINE", "1")  # importing ultralytics must not probe the network

import yaml


def fail(message: str) -> None:
    print(f"trial-facts: {message}", file=sys.stderr)
    sys.exit(2)


def last_row(results_csv: Path) -> dict[str, float]:
    if not results_csv.is_file():
        fail(f"{results_csv} not found: the run wrote no results.csv (did it finish an epoch?)")
    with open(results_csv, newline="") as f:
        rows = [{k.strip(): float(v) for k, v in row.items()} for row in csv.DictReader(f, skipinitialspace=True)]
    if not rows:
        fail(f"{results_csv} has a header but no rows")
    top = max(row["epoch"] for row in rows)
    return next(row for row in rows if row["epoch"] == top)


def ultralytics_hyp_keys() -> list[str]:
    """The keys under the '# Hyperparameters' heading of Ultralytics' own default.yaml."""
    from ultralytics.cfg import DEFAULT_CFG_PATH

    keys, inside = [], False
    for line in Path(DEFAULT_CFG_PATH).read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") and "---" in line:
            inside = line.startswith("# Hyperparameters")
        elif inside and line and not line.startswith((" ", "#")):
            keys.append(line.split(":", 1)[0])
    return keys


def ultralytics_facts(run: Path) -> dict:
    import ultralytics
    from ultralytics.utils import metrics as um

    args = yaml.safe_load((run / "args.yaml").read_text(encoding="utf-8"))
    row = last_row(run / "results.csv")
    classes = {"detect": um.DetMetrics, "segment": um.SegmentMetrics, "pose": um.PoseMetrics, "obb": um.OBBMetrics}
    task = args.get("task", "detect")
    if task not in classes:
        fail(f"task '{task}' in {run / 'args.yaml'} is not one of {sorted(classes)}")
    metrics = classes[task]()
    # Each Metric part answers mean_results() from this row instead of from validation stats,
    # so the task's own fitness property combines exactly the logged numbers.
    parts = [(metrics.box, "B")] + [(getattr(metrics, a), s) for a, s in (("seg", "M"), ("pose", "P")) if hasattr(metrics, a)]
    names = ("precision", "recall", "mAP50", "mAP50-95")
    for part, suffix in parts:
        columns = [f"metrics/{n}({suffix})" for n in names]
        missing = [c for c in columns if c not in row]
        if missing:
            fail(f"{run / 'results.csv'} lacks {missing} needed by {type(metrics).__name__}")
        values = [row[c] for c in columns]
        part.mean_results = lambda values=values: list(values)
    if sorted(metrics.keys) != sorted(c for part, s in parts for c in (f"metrics/{n}({s})" for n in names)):
        fail(f"{type(metrics).__name__}.keys changed ({metrics.keys}); update trial-facts.py")
    hyp_keys = set(ultralytics_hyp_keys())
    return {
        "trainer": "ultralytics",
        "version": ultralytics.__version__,
        "epoch": row["epoch"],
        "row": row,
        "fitness": float(metrics.fitness),
        "hyps": {k: v for k, v in args.items() if k in hyp_keys},
        "args": {k: v for k, v in args.items() if k not in hyp_keys},
    }


def yolov5_facts(run: Path) -> dict:
    import numpy as np
    from importlib.metadata import version
    from yolov5.utils.metrics import fitness

    hyps = yaml.safe_load((run / "hyp.yaml").read_text(encoding="utf-8"))
    args = yaml.safe_load((run / "opt.yaml").read_text(encoding="utf-8"))
    args.pop("hyp", None)
    row = last_row(run / "results.csv")
    columns = ["metrics/precision", "metrics/recall", "metrics/mAP_0.5", "metrics/mAP_0.5:0.95"]
    missing = [c for c in columns if c not in row]
    if missing:
        fail(f"{run / 'results.csv'} lacks {missing}")
    return {
        "trainer": "yolov5",
        "version": version("yolov5"),
        "epoch": row["epoch"],
        "row": row,
        "fitness": float(fitness(np.array([[row[c] for c in columns]]))[0]),
        "hyps": hyps,
        "args": args,
    }


def main() -> None:
    if len(sys.argv) != 2:
        fail(f"usage: {Path(sys.argv[0]).name} RUN_DIR")
    run = Path(sys.argv[1])
    if (run / "args.yaml").is_file():
        facts = ultralytics_facts(run)
    elif (run / "hyp.yaml").is_file() and (run / "opt.yaml").is_file():
        facts = yolov5_facts(run)
    else:
        fail(f"{run} is neither an Ultralytics run (args.yaml) nor a YOLOv5 run (hyp.yaml + opt.yaml)")
    if not math.isfinite(facts["fitness"]):
        fail(f"fitness of {run} is {facts['fitness']}")
    json.dump(facts, sys.stdout, default=str)
    print()


if __name__ == "__main__":
    main()
