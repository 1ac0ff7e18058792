"""Interruption and determinism: a killed run, rerun, ends with the same tables; one seed, one result."""

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
import yaml
from workflow_helpers import ROOT, scratch_workflow, snakemake

from dealerdetect.collection import make_source
from dealerdetect.collection.collect import collect

pytestmark = pytest.mark.slow
TINY = ROOT / "tests/config/tiny.yaml"


DRUGS = yaml.safe_load((ROOT / "config.yaml").read_text())["drugs"]


def tiny_collection_cfg(seed=7):
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())["collection"]
    cfg["simulated"] = {"scale": 0.03}
    return cfg


class Interrupted(Exception):
    pass


def test_collection_interrupted_then_rerun_gives_the_same_raw_data(tmp_path, monkeypatch):
    cfg = tiny_collection_cfg()
    collect(cfg, seed=7, salt="s", out_dir=tmp_path / "clean", drugs=DRUGS)

    # Kill the collection in the middle of loop 2 (the source raises, as a refused feed or ^C would).
    real = make_source(cfg, 7)
    calls = {"n": 0}

    def flaky_posts(hashtag, window):
        for post in type(real).posts(real, hashtag, window):
            calls["n"] += 1
            if calls["n"] == 150:
                raise Interrupted("killed during loop 2")
            yield post

    monkeypatch.setattr(real, "posts", flaky_posts)
    monkeypatch.setattr("dealerdetect.collection.collect.make_source", lambda *_: real)
    with pytest.raises(Interrupted):
        collect(cfg, seed=7, salt="s", out_dir=tmp_path / "killed", drugs=DRUGS)
    partial = (tmp_path / "killed" / "posts.jsonl").read_text().splitlines()
    assert 0 < len(partial) < len((tmp_path / "clean" / "posts.jsonl").read_text().splitlines())

    monkeypatch.undo()
    collect(cfg, seed=7, salt="s", out_dir=tmp_path / "killed", drugs=DRUGS)
    for name in ("posts.jsonl", "hashtags.csv", "skipped.csv"):
        assert (tmp_path / "killed" / name).read_bytes() == (
            tmp_path / "clean" / name
        ).read_bytes(), name
    # The same id is never collected twice under one hashtag.
    hits = pd.read_json(tmp_path / "killed" / "posts.jsonl", lines=True, dtype={"id": str})
    assert not hits.duplicated(["id", "found_via"]).any()


def test_another_seed_changes_the_simulated_corpus(tmp_path):
    cfg = tiny_collection_cfg()
    collect(cfg, seed=7, salt="s", out_dir=tmp_path / "a", drugs=DRUGS)
    collect(cfg, seed=8, salt="s", out_dir=tmp_path / "b", drugs=DRUGS)
    assert (tmp_path / "a/posts.jsonl").read_bytes() != (tmp_path / "b/posts.jsonl").read_bytes()


def test_killed_during_cv_then_rerun_gives_the_same_table1(tiny_run, tmp_path):
    """A second run of the tiny config, SIGKILLed once the first evaluation jobs finished, then
    rerun."""
    wd = scratch_workflow(tmp_path)
    cmd = [
        sys.executable,
        "-m",
        "snakemake",
        "--cores",
        "2",
        # The target goes before --configfile, which takes several values and would swallow it.
        "results/tables/table1.csv",
        "--configfile",
        str(TINY),
    ]
    log = tmp_path / "first_run.log"
    with log.open("w") as err:
        proc = subprocess.Popen(
            cmd, cwd=wd, stdout=err, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.time() + 600
        while time.time() < deadline and proc.poll() is None:
            if len(list((wd / "results" / "cv").rglob("part*.json"))) >= 4:
                break
            time.sleep(0.2)
        still_running = proc.poll() is None
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert still_running, f"the first run ended before it was killed:\n{log.read_text()[-3000:]}"
    assert not (wd / "results/tables/table1.csv").exists(), "killed before the end"
    done_when_killed = len(list((wd / "results" / "cv").rglob("part*.json")))
    # What a researcher does after a killed run: release the lock, rerun the unfinished jobs.
    snakemake(wd, "--unlock", "--configfile", str(TINY))
    snakemake(wd, "--configfile", str(TINY), "--rerun-incomplete", "results/tables/table1.csv")
    assert done_when_killed < len(list((wd / "results" / "cv").rglob("part*.json")))

    first = pd.read_csv(tiny_run / "results/tables/table1.csv")
    second = pd.read_csv(wd / "results/tables/table1.csv")
    classic = first["model"] != "lstm"
    assert first[classic].to_csv(index=False) == second[classic].to_csv(index=False)
    lstm_gap = first.loc[~classic, "f1"].to_numpy() - second.loc[~classic, "f1"].to_numpy()
    assert abs(lstm_gap).max() <= 0.5, f"LSTM F1 differs by {lstm_gap} points"
