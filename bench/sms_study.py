"""The whole study on a real corpus the simulator did not write: the SMS Spam Collection.

    python bench/sms_study.py --workdir /tmp/sms [--overlay extra.yaml] [--cores 2]

Reads ``data/external/sms-spam-collection/SMSSpamCollection`` (CC BY 4.0, Almeida et al. 2011;
never copied into the repository), writes it as the file source's JSON Lines in a scratch copy
of the workflow, with ``labels.csv`` (spam = 1), and runs ``snakemake`` there. The corpus has no
users and no timestamps, so both are invented: one pseudonymous user per message (so the grouped
protocol equals the paper's, and accounts are single posts) and timestamps spread evenly over
the default collection window. No message has a hashtag, so ``hashtags_only`` is reported as not
run. Prints Table 1's F1 per model and variant and the wall time. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data/external/sms-spam-collection/SMSSpamCollection"  # data/external/README.md


def write_corpus(workdir: Path) -> int:
    df = pd.read_csv(CORPUS, sep="\t", header=None, names=["label", "text"], quoting=csv.QUOTE_NONE)
    start = datetime(2018, 7, 19, tzinfo=UTC)
    step = timedelta(days=91) / len(df)
    data = workdir / "data/sms"
    data.mkdir(parents=True, exist_ok=True)
    with open(data / "posts.jsonl", "w", encoding="utf-8") as fh:
        for i, text in enumerate(df["text"]):
            ts = (start + i * step).strftime("%Y-%m-%dT%H:%M:%SZ")
            fh.write(
                json.dumps(
                    {"id": f"sms{i}", "user": f"sender{i}", "timestamp": ts, "caption": text}
                )
                + "\n"
            )
    labels = pd.DataFrame(
        {"post_id": [f"sms{i}" for i in range(len(df))], "label": (df["label"] == "spam") * 1}
    )
    labels.to_csv(data / "labels.csv", index=False)
    return len(df)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--overlay", type=Path, help="an extra --configfile (e.g. protocols)")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--until", help="stop after this rule (e.g. make_folds)")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"{CORPUS} not found: nothing to run", file=sys.stderr)
        return 0
    wd = args.workdir
    wd.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "config.yaml", "environment.yml"):
        shutil.copy(ROOT / name, wd / name)
    shutil.copytree(ROOT / "workflow", wd / "workflow", dirs_exist_ok=True)
    n = write_corpus(wd)
    cfg = {
        "collection": {
            "source": "file",
            "file": {"path": "data/sms/posts.jsonl", "format": "jsonl", "apply_discovery": False},
            "annotation_dir": "data/sms",
        }
    }
    (wd / "sms.yaml").write_text(yaml.safe_dump(cfg))
    configs = ["sms.yaml"] + ([str(args.overlay.resolve())] if args.overlay else [])
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "snakemake", "--cores", str(args.cores)]
    cmd += ["--until", args.until] if args.until else []
    proc = subprocess.run([*cmd, "--configfile", *configs], cwd=wd)
    wall = time.perf_counter() - t0
    print(f"{n} messages; snakemake exit {proc.returncode}; wall {wall:.0f} s")
    if proc.returncode == 0 and not args.until:
        t1 = pd.read_csv(wd / "results/tables/table1.csv")
        print(t1.pivot(index="model", columns="variant", values="f1").round(2).to_string())
        ext = pd.read_csv(wd / "results/tables/table1_extended.csv")
        print(ext[["protocol", "variant", "model", "f1_mean", "status"]].to_string(index=False))
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
