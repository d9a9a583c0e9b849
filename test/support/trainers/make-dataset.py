"""Writes a tiny synthetic object-detection data set in YOLO layout, and its data yaml.

Usage: python make-dataset.py OUT_DIR [--train 24] [--val 8] [--size 64] [--seed 0] [--easy]

Each image is a noisy background with 1-3 filled shapes: class 0 "box" (rectangle) and
class 1 "disc" (ellipse). With --easy, one class only: a single dark rectangle covering
35-70 % of each side on a plain light background, which a YOLOv8n built from its yaml learns
within about a hundred iterations (non-zero mAP after 2 epochs of 128 images at batch 2),
where the default set still scores 0. Labels are `cls cx cy w h`, normalised to [0, 1]. The
same seed always gives the same files, so runs on it are comparable. Needs numpy and Pillow
(both come with the trainer stack).

Prints the absolute path of the data yaml (the only line on stdout).
"""

import argparse
import json
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

NAMES = ["box", "disc"]


def draw_image(rng: np.random.Generator, size: int) -> tuple[Image.Image, list[str]]:
    base = rng.integers(0, 256, size=3)
    noise = rng.normal(0, 12, size=(size, size, 3))
    pixels = np.clip(base + noise, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, "RGB")
    draw = ImageDraw.Draw(image)
    labels = []
    for _ in range(int(rng.integers(1, 4))):
        cls = int(rng.integers(0, len(NAMES)))
        w = int(rng.integers(size // 6, size // 2))
        h = int(rng.integers(size // 6, size // 2))
        x0 = int(rng.integers(0, size - w))
        y0 = int(rng.integers(0, size - h))
        # A colour far from the background, so the shapes are learnable in an epoch or two.
        colour = tuple(int(c) for c in (base + 128 + rng.integers(-40, 40, size=3)) % 256)
        box = [x0, y0, x0 + w - 1, y0 + h - 1]
        if cls == 0:
            draw.rectangle(box, fill=colour)
        else:
            draw.ellipse(box, fill=colour)
        cx, cy = (x0 + w / 2) / size, (y0 + h / 2) / size
        labels.append(f"{cls} {cx:.6f} {cy:.6f} {w / size:.6f} {h / size:.6f}")
    return image, labels


def draw_easy_image(rng: np.random.Generator, size: int) -> tuple[Image.Image, list[str]]:
    pixels = np.clip(200 + rng.normal(0, 4, size=(size, size, 3)), 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, "RGB")
    w = int(rng.integers(int(size * 0.35), int(size * 0.7)))
    h = int(rng.integers(int(size * 0.35), int(size * 0.7)))
    x0 = int(rng.integers(0, size - w))
    y0 = int(rng.integers(0, size - h))
    ImageDraw.Draw(image).rectangle([x0, y0, x0 + w - 1, y0 + h - 1], fill=(20, 20, 20))
    return image, [f"0 {(x0 + w / 2) / size:.6f} {(y0 + h / 2) / size:.6f} {w / size:.6f} {h / size:.6f}"]


def write_split(root: Path, split: str, count: int, size: int, rng: np.random.Generator, draw=draw_image) -> None:
    images = root / "images" / split
    labels = root / "labels" / split
    images.mkdir(parents=True, exist_ok=True)
    labels.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        image, rows = draw(rng, size)
        image.save(images / f"{split}{i:03d}.png")
        (labels / f"{split}{i:03d}.txt").write_text("\n".join(rows) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--train", type=int, default=24)
    parser.add_argument("--val", type=int, default=8)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--easy", action="store_true", help="one large dark box per image, one class")
    args = parser.parse_args()

    root = args.out.resolve()
    rng = np.random.default_rng(args.seed)
    draw = draw_easy_image if args.easy else draw_image
    names = NAMES[:1] if args.easy else NAMES
    write_split(root, "train", args.train, args.size, rng, draw)
    write_split(root, "val", args.val, args.size, rng, draw)
    # JSON is valid YAML; both trainers read `path`, `train`, `val`, `nc` and `names`.
    data = {"path": str(root), "train": "images/train", "val": "images/val",
            "nc": len(names), "names": names}
    data_yaml = root / "data.yaml"
    data_yaml.write_text(json.dumps(data, indent=2) + "\n")
    print(data_yaml)


if __name__ == "__main__":
    main()
