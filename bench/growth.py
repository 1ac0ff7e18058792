"""Cost growth with corpus size: the study's stages at 1x, 2x, 4x the simulated corpus.

    python bench/growth.py --scales 1 2 4 --workdir /tmp/growth

For each scale it runs the real workflow in a scratch copy, one job at a time (``--cores 1``, so
job times are not inflated by sharing the cores), up to one fold of every model on
``with_hashtags``: collection, labelling, preprocessing, folds, and fold 0 of each model with the
config's settings (the LSTM with its preset and the paper's stopping rule). It prints each job's
wall seconds from Snakemake's ``benchmark:`` files, the ratio to the smallest scale, and the
corpus size. A full study is about 10 folds x 3 variants of each fold job plus the stages.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dealerdetect.study.benchmarks import read_benchmarks  # noqa: E402


def run_scale(scale: float, workdir: Path) -> pd.DataFrame:
    wd = workdir / f"x{scale:g}"
    if wd.exists():
        shutil.rmtree(wd)
    wd.mkdir(parents=True)
    for name in ("Snakefile", "config.yaml", "environment.yml"):
        shutil.copy(ROOT / name, wd / name)
    shutil.copytree(ROOT / "workflow", wd / "workflow")
    (wd / "growth.yaml").write_text(
        yaml.safe_dump(
            # One fold per job, so that part0 is fold 0 alone.
            {"collection": {"simulated": {"scale": scale}}, "cv": {"folds_per_job": 1}}
        )
    )
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    models = cfg["models"]["run"] + cfg["models"].get("baselines", [])
    targets = [f"results/cv/paper/with_hashtags/{m}/part0.json" for m in models]
    cmd = [sys.executable, "-m", "snakemake", "--cores", "1", *targets]
    cmd += ["--configfile", "config.yaml", "growth.yaml"]
    subprocess.run(cmd, cwd=wd, check=True, capture_output=True)
    jobs = read_benchmarks(wd / "benchmarks")
    summary = json.loads((wd / "results/corpus/summary.json").read_text())
    jobs["scale"] = scale
    jobs["posts"] = summary.get("posts")
    return jobs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", nargs="+", type=float, default=[1, 2, 4])
    ap.add_argument("--workdir", type=Path, default=Path("growth"))
    args = ap.parse_args()
    runs = pd.concat([run_scale(s, args.workdir) for s in args.scales], ignore_index=True)
    runs.to_csv(args.workdir / "growth.csv", index=False)
    table = runs.pivot_table(index="job", columns="scale", values="seconds")
    base = table.columns[0]
    for col in table.columns[1:]:
        table[f"x{col:g}/x{base:g}"] = (table[col] / table[base]).round(2)
    posts = runs.groupby("scale")["posts"].first()
    print("posts per scale:", ", ".join(f"{s:g}x: {p}" for s, p in posts.items()))
    print(table.round(1).to_string())


if __name__ == "__main__":
    main()
