"""The study on the user's own posts: file source, two coders, adjudication, tables."""

import csv
import json
import shutil

import pytest
import yaml
from workflow_helpers import ROOT, scratch_workflow, snakemake

from dealerdetect.annotation.sheets import cohen_kappa, read_sheet

DATA = ROOT / "tests" / "data" / "file_study"
pytestmark = pytest.mark.slow


def test_file_source_with_two_coders_and_adjudication(tmp_path):
    wd = scratch_workflow(tmp_path)
    ann = wd / "annotation"
    ann.mkdir()
    for name in ("annotator_a.csv", "annotator_b.csv"):
        shutil.copy(DATA / name, ann / name)
    cfg = {
        "collection": {
            "source": "file",
            "file": {"path": str(DATA / "posts.jsonl"), "format": "jsonl", "apply_discovery": True},
            "annotation_dir": str(ann),
        },
        "models": {"run": ["decision_tree", "svm"], "baselines": []},
        "cv": {"folds": 2},
    }
    (wd / "file.yaml").write_text(yaml.safe_dump(cfg))
    (wd / "data" / "secrets").mkdir(parents=True)
    (wd / "data" / "secrets" / "salt.txt").write_text("file-study-test\n")

    # The coders disagree on 4 posts: the study lists them, stops, and says which sheet to fill.
    first = snakemake(wd, "--configfile", "file.yaml", check=False)
    assert first.returncode != 0
    log = (wd / "logs" / "label_corpus.log").read_text()
    assert "4 posts lack a final label" in log and "adjudication_todo.csv" in log
    assert not (wd / "results" / "preprocess").exists(), "no model ran on partial labels"
    assert not (ann / "adjudication.csv").exists(), "decisions are the meeting's, never written"
    with open(ann / "adjudication_todo.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 and all(r["final"] == "" for r in rows)
    assert all(r["annotator_a"] != r["annotator_b"] for r in rows)

    # The adjudication meeting fills 'final'; the study then runs to the tables.
    truth = dict(csv.reader(open(DATA / "truth.csv")))
    with open(ann / "adjudication.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ["post_id", "caption", "annotator_a", "annotator_b", "final"])
        w.writeheader()
        w.writerows({**r, "final": truth[r["post_id"]]} for r in rows)
    snakemake(wd, "--configfile", "file.yaml")

    report = json.loads((wd / "results/corpus/annotation.json").read_text())
    a, b = read_sheet(ann / "annotator_a.csv", "a"), read_sheet(ann / "annotator_b.csv", "b")
    assert report["kappa"] == pytest.approx(cohen_kappa(a, b))
    assert report["disagreements"] == 4 and report["adjudicated"] == 4
    summary = json.loads((wd / "results/corpus/summary.json").read_text())
    assert summary["source"] == "file" and summary["dealer_posts"] == sum(
        int(v) for v in list(truth.values())[1:]
    )
    t1 = (wd / "results/tables/table1.csv").read_text().splitlines()
    assert len(t1) == 1 + 4 * 2  # the paper's three variants and with_pictures
    assert (wd / "results/tables/table2.md").exists()
