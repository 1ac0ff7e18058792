"""Rule next_batch on the user's own posts (file source) with a few labels already made."""

import csv
import json
import re

import pytest
import yaml
from workflow_helpers import ROOT, scratch_workflow, snakemake

from dealerdetect.annotation.sheets import SHEET_COLUMNS
from dealerdetect.privacy.csvsafe import DANGEROUS
from dealerdetect.privacy.redaction import redact

DATA = ROOT / "tests" / "data" / "file_study"
pytestmark = pytest.mark.slow

HOSTILE = [
    '=HYPERLINK("http://x.invalid","price list") #xanax',
    "+cmd|' /C calc'!A0 #xanax",
    "-cheap bars- dm #xanax",
    "@SUM(1+1)*cmd #xanax",
]


def _sheet(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _run(wd, *args, check=True):
    return snakemake(wd, *args, "--configfile", "file.yaml", check=check)


def test_next_batch_on_a_file_corpus_with_a_few_labels(tmp_path):
    wd = scratch_workflow(tmp_path)
    raw = [json.loads(line) for line in open(DATA / "posts.jsonl", encoding="utf-8")]
    for k, caption in enumerate(HOSTILE):  # captions a spreadsheet would run as formulas
        raw.append({**raw[k], "id": f"hostile{k}", "caption": caption, "user": "evil_plug"})
    posts = wd / "posts.jsonl"
    posts.write_text("".join(json.dumps(p) + "\n" for p in raw), encoding="utf-8")
    truth = dict(list(csv.reader(open(DATA / "truth.csv")))[1:])
    # A few labels, both classes, agreed by both coders; the posts with known contacts unlabelled.
    contacts = ("blue_connect", "luckyconnect01@protonbox.invalid")
    free = [p["id"] for p in raw if not any(c in p["caption"] for c in contacts)]
    pos = [i for i in free if truth.get(i) == "1"][:4]
    neg = [i for i in free if truth.get(i) == "0"][:12]
    ann = wd / "data" / "annotation" / "file"
    ann.mkdir(parents=True)
    for coder in ("a", "b"):
        rows = "".join(f"{i},{truth[i]}\n" for i in pos + neg)
        (ann / f"annotator_{coder}.csv").write_text("post_id,label\n" + rows)
    (wd / "data" / "secrets").mkdir(parents=True)
    (wd / "data" / "secrets" / "salt.txt").write_text("next-batch-test\n")

    def config(batch, strategy="diverse", unlabelled="error"):
        cfg = {
            "collection": {
                "source": "file",
                "file": {"path": str(posts), "format": "jsonl", "apply_discovery": False},
            },
            "annotation": {"batch": batch, "strategy": strategy, "unlabelled": unlabelled},
        }
        (wd / "file.yaml").write_text(yaml.safe_dump(cfg))

    target = "data/annotation/file/next_batch.csv"
    config(25)
    _run(wd, target)
    rows = _sheet(ann / "next_batch.csv")
    assert rows[0] == SHEET_COLUMNS
    ids = [r[0] for r in rows[1:]]
    assert len(ids) == 25 == len(set(ids)), "the batch size is respected"
    assert not set(ids) & set(pos + neg), "no post already labelled"
    assert all(r[SHEET_COLUMNS.index("label")] == "" for r in rows[1:]), "labels left for coders"
    manifest = json.loads((ann / "next_batch.json").read_text())
    assert manifest["labelled"] == 16 and manifest["batch"] == 25
    assert manifest["chosen_by"].startswith("diverse")

    # Every unlabelled post (batch larger than what is left): all are redacted and formula-safe.
    config(1000)
    _run(wd, target)
    rows = _sheet(ann / "next_batch.csv")
    assert len(rows) - 1 == len(raw) - 16
    text = (ann / "next_batch.csv").read_text(encoding="utf-8-sig")
    for handle in {p["user"] for p in raw} | set(contacts):
        assert not re.search(rf"(?<![\w.]){re.escape(handle)}(?![\w.])", text), handle
    by_id = {p["id"]: p for p in raw}
    assert all(re.fullmatch(r"u_[0-9a-f]{12}", r[1]) for r in rows[1:])
    for r in rows[1:]:
        assert r[2].removeprefix("'") == redact(by_id[r[0]]["caption"]), r[0]
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if c.startswith(DANGEROUS)], "a cell a spreadsheet would run"
    hostile = [r for r in rows[1:] if r[0].startswith("hostile")]
    assert len(hostile) == 4
    escaped = [r for r in hostile if redact(by_id[r[0]]["caption"]).startswith(DANGEROUS)]
    assert len(escaped) >= 3 and all(r[2].startswith("'") for r in escaped)

    # A coder starts filling next_batch.csv itself: the study refuses to write over it.
    label = SHEET_COLUMNS.index("label")

    def with_label(row, value):
        return row[:label] + [value] + row[label + 1 :]

    filled = [rows[0]] + [with_label(r, "1") if k == 0 else r for k, r in enumerate(rows[1:])]
    with open(ann / "next_batch.csv", "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(filled)
    before = (ann / "next_batch.csv").read_bytes()
    config(10)
    out = _run(wd, target, check=False)
    assert out.returncode != 0 and "1 labels were filled" in out.stderr
    assert (ann / "next_batch.csv").read_bytes() == before
    # A label that is not 0/1 is a coder's work too.
    with open(ann / "next_batch.csv", "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([filled[0]] + [with_label(r, "maybe") for r in filled[1:2]])
    out = _run(wd, target, check=False)
    assert out.returncode != 0 and "row 2" in out.stderr and "does not write over" in out.stderr

    # A next_batch.csv the study did not write (no manifest) is not replaced either.
    (ann / "next_batch.json").unlink()
    with open(ann / "next_batch.csv", "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([filled[0]] + [with_label(r, "") for r in filled[1:]])
    before = (ann / "next_batch.csv").read_bytes()
    out = _run(wd, target, check=False)
    assert out.returncode != 0 and "not the one the study wrote" in out.stderr
    assert (ann / "next_batch.csv").read_bytes() == before

    # The study on the 16 labelled posts: the others are left out and counted.
    out = _run(wd, "results/corpus/summary.json", check=False)
    assert out.returncode != 0, "by default every post needs a label"
    config(10, unlabelled="leave_out")
    _run(wd, "results/corpus/summary.json")
    summary = json.loads((wd / "results/corpus/summary.json").read_text())
    assert summary["posts"] == 16 and summary["dealer_posts"] == 4
    labelling = summary["labelling"]
    assert labelling["labelled_posts"] == 16
    assert labelling["collected_posts"] == len(raw)
    assert labelling["left_out_unlabelled"] == len(raw) - 16
    assert "'diverse'" in labelling["chosen"]
    corpus = [json.loads(line) for line in open(wd / "results/corpus/posts.jsonl")]
    assert {p["id"] for p in corpus} == set(pos + neg)
