"""Prepares a trainer config directory that lets Ultralytics and YOLOv5 run with no network.

Usage: python offline-config.py DIR   (run with the trainer venv's python)

Then start trainers with YOLO_CONFIG_DIR=DIR and YOLOV5_CONFIG_DIR=DIR (plus the environment
listed in docs/trainers.md). Both trainers check for a font named Arial.ttf (Arial.Unicode.ttf
for non-ASCII class names) before training and download it when it is missing: YOLOv5 7.0.14
crashes when that download fails, Ultralytics asks the network each run. Any TrueType font
under those names satisfies them (they only draw labels on plots), so this copies matplotlib's
DejaVu Sans, which ships with the trainer stack. It also writes Ultralytics' settings file
with sync (telemetry, crash reports) off, once, so that concurrent trainers never race to
create it.
"""

import os
import shutil
import sys
from pathlib import Path

FONT_NAMES = ("Arial.ttf", "Arial.Unicode.ttf")


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(f"usage: {Path(sys.argv[0]).name} DIR")
    root = Path(sys.argv[1]).resolve()
    ultralytics_dir = root / "Ultralytics"  # Ultralytics appends this to YOLO_CONFIG_DIR
    ultralytics_dir.mkdir(parents=True, exist_ok=True)

    import matplotlib

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    for folder in (root, ultralytics_dir):  # YOLOv5 reads YOLOV5_CONFIG_DIR itself
        for name in FONT_NAMES:
            shutil.copyfile(font, folder / name)

    os.environ["YOLO_CONFIG_DIR"] = str(root)
    os.environ["YOLO_OFFLINE"] = "1"
    from ultralytics.utils import SETTINGS

    SETTINGS.update(sync=False)
    print(root)


if __name__ == "__main__":
    main()
