"""Draws candidates from the INSTALLED Ultralytics Tuner's own `_mutate`, for a given history.

Usage: python ultralytics-mutate.py CASES.json   (run with the trainer venv's python)

CASES.json: {"seed": int, "space": [[name, lower, upper, gain], ...],
             "cases": [{"name": str, "draws": int,
                        "history": [{"fitness": float, "hyperparameters": {name: value}}, ...]}]}

For each case the history is written as the Tuner's own tune_results.ndjson and `_mutate()` is
called `draws` times, exactly as `Tuner.__call__` calls it each iteration (it re-reads the file
every time). `_mutate` makes a fresh `np.random.default_rng()` per call, seeded from the OS;
here each call's generator is spawned from `seed` instead, so the draws reproduce.
Prints one JSON line: {"version": ..., "keys": [...], "cases": {name: [[value per key], ...]}}.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("YOLO_OFFLINE", "1")


def seeded_default_rng(seed: int, calls: int):
    """A stand-in for np.random.default_rng(): each of `calls` unseeded calls gets its own seed drawn from `seed`."""
    import numpy as np

    original = np.random.default_rng
    children = iter(np.random.SeedSequence(seed).generate_state(calls, dtype=np.uint64))

    def default_rng(*args, **kwargs):
        if args or kwargs:
            return original(*args, **kwargs)
        return original(int(next(children)))

    return default_rng


def main() -> None:
    import numpy as np
    import ultralytics
    from ultralytics.engine.tuner import Tuner

    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    space = {name: (lower, upper, gain) for name, lower, upper, gain in spec["space"]}
    np.random.default_rng = seeded_default_rng(int(spec["seed"]), sum(int(case["draws"]) for case in spec["cases"]))
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for case in spec["cases"]:
            # A stand-in model: the Tuner keeps it only to train, which never starts here.
            tuner = Tuner(
                args={"model": "yolov8n.yaml", "data": "none.yaml", "project": tmp, "name": case["name"], "space": dict(space)},
                model=object(),
            )
            tuner.tune_file.parent.mkdir(parents=True, exist_ok=True)
            with open(tuner.tune_file, "w", encoding="utf-8") as f:
                for i, row in enumerate(case["history"]):
                    record = {"iteration": i + 1, "fitness": row["fitness"], "hyperparameters": row["hyperparameters"], "datasets": {}}
                    f.write(json.dumps(record) + "\n")
            draws = []
            for _ in range(int(case["draws"])):
                hyp = tuner._mutate()
                draws.append([float(hyp[k]) for k in space])
            out[case["name"]] = draws
    json.dump({"version": ultralytics.__version__, "keys": list(space), "cases": out}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
