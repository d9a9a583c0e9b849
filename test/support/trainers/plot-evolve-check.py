"""Has YOLOv5's own plot_evolve read an evolve.csv, and prints what it made of it as JSON.

Usage: python plot-evolve-check.py EVOLVE_CSV   (run with the trainer venv's python)

The file is copied into a temporary directory first (plot_evolve writes evolve.png beside the
file it reads). Printed: bestRow (the 0-based data row plot_evolve picked by YOLOv5's
fitness), hyps ({name: value as plot_evolve printed it, '%.3g'}) and pngBytes (size of the
plot it saved). Exit status 1 when plot_evolve raises or saves no plot, 2 on misuse.
"""

import contextlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("YOLO_OFFLINE", "1")  # yolov5 imports ultralytics, which probes the network
os.environ.setdefault("MPLBACKEND", "Agg")


def main() -> None:
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_file():
        print(f"usage: {Path(sys.argv[0]).name} EVOLVE_CSV (an existing file)", file=sys.stderr)
        sys.exit(2)
    from yolov5.utils.plots import plot_evolve

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "evolve.csv"
        shutil.copyfile(sys.argv[1], copy)
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                plot_evolve(copy)
        except Exception as e:  # noqa: BLE001 - any failure of theirs is the finding
            print(f"plot-evolve-check: plot_evolve({sys.argv[1]}) raised {type(e).__name__}: {e}", file=sys.stderr)
            sys.exit(1)
        png = copy.with_suffix(".png")
        if not png.is_file():
            print(f"plot-evolve-check: plot_evolve saved no {png.name}", file=sys.stderr)
            sys.exit(1)
        text = out.getvalue()
        best = re.search(r"Best results from row (\d+) of", text)
        hyps = dict(re.findall(r"^\s*(\S+): (\S+)$", text, flags=re.MULTILINE))
        print(json.dumps({"bestRow": int(best[1]) if best else None, "hyps": hyps, "pngBytes": png.stat().st_size}))


if __name__ == "__main__":
    main()
