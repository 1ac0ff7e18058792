"""A file-source study whose posts carry every written contact form of the test table, in
captions, comments and the hashtags field: none of them may reach results/ (corpus, vocabulary,
model bundles, tables) or the coder sheet, read after the detectors' own normalization."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from contact_cases import folded, load_forms
from test_privacy_scan import texts_under
from workflow_helpers import ROOT, scratch_workflow, snakemake

from dealerdetect.annotation.corpus import annotation_template

DATA = ROOT / "tests" / "data" / "file_study"
pytestmark = pytest.mark.slow


def secret_patterns(forms, fixture_text: str) -> dict[str, re.Pattern]:
    """What must not be found, folded: a handle or address as written in the table; for a
    number, all its digits as one run (a part of it could be any figure)."""
    out = {}
    for _family, _kind, secret, text in forms:
        if secret.isdigit():
            runs = re.findall(r"\d{7,}", folded(text))
            if not runs:
                continue
            pat = re.compile(re.escape(max(runs, key=len)))
        else:
            f = folded(secret)
            if len(f) < 5 or f in fixture_text:
                continue  # too short to grep, or already a word of the fixture's posts
            pat = re.compile(re.escape(f))
        out[secret] = pat
    return out


def inject(posts: list[dict], forms) -> list[dict]:
    """Every form into one post, in turn its caption, a comment of its own and one of a
    buyer; hashtag forms also into the hashtags field, as Instagram lists them."""
    posts = [dict(p, comments=list(p.get("comments", []))) for p in posts]
    for i, (family, _kind, _secret, text) in enumerate(forms):
        p = posts[i % len(posts)]
        where = i % 3
        if family == "hashtag" or where == 0:
            p["caption"] = f"{p['caption']}\n{text}"
        else:
            user = p["user"] if where == 1 else "some.buyer"
            p["comments"].append({"user": user, "timestamp": p["timestamp"], "text": text})
        if family == "hashtag":
            tags = [t[1:] for t in text.split() if t.startswith("#")]
            p["hashtags"] = [*p.get("hashtags", []), *(t.lower() for t in tags)]
    return posts


def test_written_contact_forms_leave_no_trace(tmp_path):
    forms = load_forms()
    fixture = (DATA / "posts.jsonl").read_text(encoding="utf-8")
    posts = [json.loads(line) for line in fixture.splitlines() if line.strip()]
    secrets = secret_patterns(forms, folded(fixture))
    # The scan has something to find: most forms carry a secret it can grep (many share one).
    assert sum(1 for _f, _k, s, _t in forms if s in secrets) >= 150

    wd = scratch_workflow(tmp_path)
    src = wd / "input" / "posts.jsonl"
    src.parent.mkdir()
    src.write_text(
        "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in inject(posts, forms)),
        encoding="utf-8",
    )
    ann = wd / "annotation"
    ann.mkdir()
    for name in ("annotator_a.csv", "annotator_b.csv"):
        shutil.copy(DATA / "truth.csv", ann / name)  # the coders agree: no adjudication
    cfg = {
        "collection": {
            "source": "file",
            "file": {"path": str(src), "format": "jsonl", "apply_discovery": True},
            "annotation_dir": str(ann),
        },
        "models": {"run": ["decision_tree"], "baselines": []},
        "cv": {"folds": 2},
    }
    (wd / "file.yaml").write_text(yaml.safe_dump(cfg))
    (wd / "data" / "secrets").mkdir(parents=True)
    (wd / "data" / "secrets" / "salt.txt").write_text("contact-study-test\n")
    snakemake(wd, "--configfile", "file.yaml")

    # The coder sheet of every collected post, as coders would get it before any label.
    sheet = wd / "data" / "sheet" / "to_annotate.csv"
    raw = wd / "data" / "raw" / "file" / "posts.jsonl"
    (tmp_path / "no_labels").mkdir()
    assert annotation_template(raw, tmp_path / "no_labels", sheet) > 200

    scanned, leaks = [], []
    for root in (wd / "results", sheet.parent):
        for path, text in texts_under(root):
            scanned.append(path)
            f = folded(text)
            leaks += [(path.name, s) for s, pat in secrets.items() if pat.search(f)]
    names = {p.name for p in scanned}
    assert {"posts.jsonl", "vocabulary.json", "to_annotate.csv"} <= names, names
    assert any(p.suffix in (".joblib", ".skops", ".keras") for p in scanned)
    assert not leaks, f"{len(leaks)} written contact forms in the study's files: {leaks[:10]}"
    # The forms were counted too: the corpus carries their kinds.
    corpus = [json.loads(x) for x in (wd / "results/corpus/posts.jsonl").read_text().splitlines()]
    kinds = set().union(*(set(r["contacts"]) for r in corpus))
    assert {"wechat", "signal", "line", "link", "kakaotalk", "qq", "discord"} <= kinds, kinds
