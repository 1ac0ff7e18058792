"""OCR settings on the simulated world's pictures: CPU seconds per picture and character
accuracy of the project's RapidOCR settings with the recognizer run on one text box at a time
(the project's choice) against RapidOCR's default batch of six.

    python bench/ocr_settings.py [--pictures 144] [--seed 2019]

Prints a markdown table (docs/pictures.md quotes it). Accuracy: 1 - edit distance / length of
the drawn text, both lower-cased with blanks collapsed; the mean and median over pictures that
show text.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import cv2
import numpy as np
from PIL import Image
from rapidocr_onnxruntime import RapidOCR

from dealerdetect.collection.simulated import build_world
from dealerdetect.collection.simulated.pictures import picture_jpeg, picture_lines
from dealerdetect.pictures.ocr import ENGINE_SETTINGS, order_lines, repair


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pictures", type=int, default=144)
    ap.add_argument("--seed", type=int, default=2019)
    args = ap.parse_args()
    cv2.setNumThreads(1)
    world = build_world(seed=args.seed, scale=1.0)
    posts = [p for p in world.posts if p.meta.get("picture")][::2]
    data = []
    for p in posts:
        truth = " ".join(picture_lines(args.seed, p))
        if truth.strip():
            im = Image.open(io.BytesIO(picture_jpeg(args.seed, p))).convert("RGB")
            data.append((np.array(im), truth))
        if len(data) == args.pictures:
            break
    print("| recognizer batch | pictures | CPU-s per picture | char accuracy mean | median |")
    print("|---|---:|---:|---:|---:|")
    for name, extra in (("1 (project)", {}), ("6 (RapidOCR default)", {"rec_batch_num": 6})):
        engine = RapidOCR(**{**ENGINE_SETTINGS, **extra})
        engine(data[0][0])  # load the models outside the timing
        started, accs = time.process_time(), []
        for im, truth in data:
            result, _ = engine(im)
            text = repair(order_lines([(r[0], r[1], r[2]) for r in result])) if result else ""
            a, b = _norm(text), _norm(truth)
            accs.append(max(0.0, 1 - edit_distance(a, b) / max(1, len(b))))
        per = (time.process_time() - started) / len(data)
        print(
            f"| {name} | {len(data)} | {per:.3f} | {statistics.mean(accs):.3f} "
            f"| {statistics.median(accs):.3f} |"
        )


if __name__ == "__main__":
    main()
