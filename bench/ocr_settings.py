"""OCR settings on the simulated world's pictures: CPU seconds per picture, character accuracy
and pictures with a contact detail found, for the project's RapidOCR settings against the
settings it came from. (RapidOCR's default recognizer batch of six, against one box at a
time, was measured earlier: 0.187 CPU-s a picture against 0.138, docs/pictures.md.)

    python bench/ocr_settings.py [--step 5] [--repeats 3] [--seed 2019]

The pictures are those the world draws for its posts (every ``--step``-th post that has one),
rendered as the study renders them. Each setting reads every picture ``--repeats`` times,
settings taking turns, and the CPU time is the median of the rounds. Accuracy: 1 - edit
distance / length of the drawn text, both lower-cased with blanks collapsed; mean and median
over the pictures that show text. "contact pictures found": of the pictures into which the world
drew a contact line (its ``picture_contact`` truth), those whose text the contact detector
gives an app, phone, e-mail, link or handle. Prints a markdown table (docs/pictures.md quotes
it).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import cv2
from PIL import Image

from dealerdetect.collection.simulated import build_world
from dealerdetect.collection.simulated.pictures import picture_jpeg, picture_lines
from dealerdetect.pictures.ocr import DET_SCALE, build_engine, order_lines, repair
from dealerdetect.privacy.contacts import contact_kinds

# (name, RapidOCR settings over the project's, detector scale)
SETTINGS = [
    ("boxes padded to 320, detector at full size (before)", {"rec_img_shape": [3, 48, 320]}, 1.0),
    ("boxes padded to 160, detector at full size", {}, 1.0),
    (f"boxes padded to 160, detector at {DET_SCALE} (project)", {}, DET_SCALE),
    ("boxes padded to 160, detector at 0.85", {}, 0.85),
]  # fmt: skip


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


def _read(engine, image) -> str:
    result, _ = engine(image)
    return repair(order_lines([(r[0], r[1], r[2]) for r in result])) if result else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--step", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2019)
    args = ap.parse_args()
    cv2.setNumThreads(1)
    world = build_world(seed=args.seed, scale=1.0)
    posts = [p for p in world.posts if p.meta.get("picture")][:: args.step]
    data = []
    for p in posts:
        image = Image.open(io.BytesIO(picture_jpeg(args.seed, p))).convert("RGB")
        truth = " ".join(picture_lines(args.seed, p) or [])
        data.append((image, truth, bool(p.meta.get("picture_contact"))))
    engines = [(name, build_engine(extra, det_scale=scale)) for name, extra, scale in SETTINGS]
    for _name, engine in engines:
        engine(data[0][0])  # load the models outside the timing
    seconds: dict[str, list[float]] = {name: [] for name, _ in engines}
    texts: dict[str, list[str]] = {}
    for _round in range(args.repeats):
        for name, engine in engines:
            started = time.process_time()
            texts[name] = [_read(engine, image) for image, _truth, _contact in data]
            seconds[name].append((time.process_time() - started) / len(data))
    with_contact = sum(contact for _i, _t, contact in data)
    print(
        f"{len(data)} pictures, {sum(bool(t.strip()) for _i, t, _c in data)} with text, "
        f"{with_contact} with a contact line; CPU median of {args.repeats} rounds\n"
    )
    print("| setting | CPU-s per picture | char accuracy mean | median | contact pictures found |")
    print("|---|---:|---:|---:|---:|")
    for name, _engine in engines:
        accs, found = [], 0
        for (_image, truth, contact), text in zip(data, texts[name], strict=True):
            if truth.strip():
                a, b = _norm(text), _norm(truth)
                accs.append(max(0.0, 1 - edit_distance(a, b) / max(1, len(b))))
            found += contact and bool(set(contact_kinds(text)) - {"bio"})
        print(
            f"| {name} | {statistics.median(seconds[name]):.3f} | {statistics.mean(accs):.4f} "
            f"| {statistics.median(accs):.4f} | {found} of {with_contact} |"
        )


if __name__ == "__main__":
    main()
