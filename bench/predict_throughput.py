"""Throughput of ``dealerdetect predict``: posts per second for a saved model on N new posts.

Captions are the collected posts of a study (``--corpus``, default the simulated source's raw
posts), each made unique by a seeded suffix so no cache of the redactor sees one twice, written
as JSON Lines; the CLI is then run as a user runs it, ``--repeats`` times. Prints wall seconds,
posts/s (median) and the sha256 of the scores file, to check that a faster version writes the
same output. Run from the repository root:

    python3 bench/predict_throughput.py --model results/models/with_hashtags/svm --posts 100000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_posts(corpus: Path, n: int, seed: int, out: Path) -> None:
    captions = [
        json.loads(line).get("caption") or ""
        for line in corpus.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rng = random.Random(seed)
    words = ["today", "fresh", "new", "lit", "vibes", "weekend", "drop", "batch", "mood", "sale"]
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            caption = f"{rng.choice(captions)} {rng.choice(words)}{i}"
            fh.write(json.dumps({"id": f"p{i}", "caption": caption}) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--model", required=True, help="a saved model folder (results/models/...)")
    ap.add_argument("--corpus", default="data/raw/simulated/posts.jsonl")
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2019)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        posts, scores = Path(tmp) / "posts.jsonl", Path(tmp) / "scores.csv"
        write_posts(Path(args.corpus), args.posts, args.seed, posts)
        walls, digests = [], set()
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            cmd = [sys.executable, "-m", "dealerdetect.cli", "predict", "--model", args.model]
            subprocess.run([*cmd, str(posts), "--output", str(scores), "--force"], check=True)
            walls.append(time.perf_counter() - t0)
            digests.add(hashlib.sha256(scores.read_bytes()).hexdigest())
        wall = statistics.median(walls)
        print(f"posts {args.posts}  wall_s {wall:.1f}  posts_per_s {args.posts / wall:.0f}")
        print(f"runs {[round(w, 1) for w in walls]}  sha256 {' '.join(sorted(digests))}")


if __name__ == "__main__":
    main()
