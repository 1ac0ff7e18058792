"""Which perceptual hash tells one picture from another: pairs of distinct pictures of a study
judged the same, and transformed copies (JPEG quality 40, half size, 4% cropped off each side)
still judged the same, for imagehash's pHash at 64 bits (distance 8) and at 256 bits
(distances 24 and 32), and 64-bit pHash with dHash.

    python bench/picture_hashes.py data/raw/simulated/images [--copies 200]

Run it on the pictures of a finished study. Prints a markdown table (docs/pictures.md).
"""

from __future__ import annotations

import argparse
import io
import random
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image

RULES = {
    "pHash 64 bits, <= 8": lambda d: d["p64"] <= 8,
    "pHash 64 <= 8 and dHash 64 <= 8": lambda d: (d["p64"] <= 8) & (d["d64"] <= 8),
    "pHash 256 bits, <= 24 (project)": lambda d: d["p256"] <= 24,
    "pHash 256 bits, <= 32": lambda d: d["p256"] <= 32,
}


def hashes(im: Image.Image) -> dict[str, np.ndarray]:
    return {
        "p64": imagehash.phash(im).hash.flatten(),
        "d64": imagehash.dhash(im).hash.flatten(),
        "p256": imagehash.phash(im, hash_size=16).hash.flatten(),
    }


def distances(a: dict, b: dict) -> dict[str, int]:
    return {k: int(np.count_nonzero(a[k] != b[k])) for k in a}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--copies", type=int, default=200)
    args = ap.parse_args()
    files = sorted(p for p in args.folder.iterdir() if p.suffix.lower() in (".jpg", ".png"))
    ims = [Image.open(f).convert("RGB") for f in files]
    hs = [hashes(im) for im in ims]
    stacked = {k: np.array([h[k] for h in hs]) for k in hs[0]}
    same = dict.fromkeys(RULES, 0)
    for i in range(len(hs) - 1):
        d = {k: np.count_nonzero(v[i + 1 :] != v[i], axis=1) for k, v in stacked.items()}
        for name, rule in RULES.items():
            same[name] += int(np.count_nonzero(rule(d)))
    rng = random.Random(1)
    kept = {(t, r): 0 for t in ("JPEG 40", "half size", "crop 4%") for r in RULES}
    for _ in range(args.copies):
        im = ims[rng.randrange(len(ims))]
        w, h = im.size
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=40)
        copies = {
            "JPEG 40": Image.open(io.BytesIO(buf.getvalue())).convert("RGB"),
            "half size": im.resize((w // 2, h // 2)),
            "crop 4%": im.crop((int(w * 0.04), int(h * 0.04), int(w * 0.96), int(h * 0.96))),
        }
        base = hashes(im)
        for t, c in copies.items():
            d = distances(base, hashes(c))
            for name, rule in RULES.items():
                kept[(t, name)] += bool(rule(d))
    print(f"{len(ims)} distinct pictures, {args.copies} transformed copies of each kind\n")
    print("| rule | distinct pairs judged the same | JPEG 40 | half size | crop 4% |")
    print("|---|---:|---:|---:|---:|")
    for name in RULES:
        cells = " | ".join(
            f"{100 * kept[(t, name)] / args.copies:.1f}%"
            for t in ("JPEG 40", "half size", "crop 4%")
        )
        print(f"| {name} | {same[name]} | {cells} |")


if __name__ == "__main__":
    main()
