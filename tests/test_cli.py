"""`dealerdetect predict` on bad input: one line naming the file, exit code 2, nothing destroyed.

The scorer is a stand-in (no model is trained here): these tests are about arguments and files.
"""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from dealerdetect import cli
from dealerdetect.privacy.csvsafe import DANGEROUS

POSTS = [
    {"id": "n1", "caption": "xanax bars, wickr: plugdaddy #xanax"},
    {"id": '=HYPERLINK("[URL]","click me")', "caption": "30 days sober #recovery"},
    {"id": "-2+3+cmd|' /C calc'!A0", "caption": "study night #adderall"},
]


class FakeScorer:
    """Scores every caption 0.8, like a saved model would, without one."""

    def __init__(self, model_dir):
        self.meta = {"threshold": 0.5, "corpus_source": "simulated"}

    def warnings(self):
        return ["trained on the SIMULATED corpus"]

    def metadata(self, threshold=None):
        return {"corpus_source": "simulated", "threshold": threshold, "warnings": self.warnings()}

    def score(self, captions, threshold=None, jobs=1):
        assert jobs >= 1
        p = np.full(len(captions), 0.8)
        return pd.DataFrame(
            {
                "probability": p,
                "label": (p > (threshold or self.meta["threshold"])).astype(int),
                "status": "scored",
                "contacts": "",
            }
        )


@pytest.fixture
def fake_model(monkeypatch, tmp_path):
    monkeypatch.setattr("dealerdetect.predict.Scorer", FakeScorer)
    return tmp_path / "model"


@pytest.fixture
def posts(tmp_path):
    path = tmp_path / "new.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in POSTS) + "\n", encoding="utf-8")
    return path


def run(capsys, *args):
    """main() in-process: (exit code, stderr); argparse errors exit through SystemExit."""
    try:
        code = cli.main(["predict", *map(str, args)])
    except SystemExit as exit_:
        code = exit_.code
    err = capsys.readouterr().err
    return code, err


def assert_one_line_error(code, err, *words):
    assert code == 2, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1].startswith(("dealerdetect: error:", "dealerdetect predict: error:")), err
    # One error line; before it at most argparse's usage (its first line says "usage:").
    assert len(lines) == 1 or lines[0].startswith("usage:"), err
    for w in words:
        assert w in lines[-1], err


def test_scores_to_a_file_with_ids_that_run_nothing_in_a_spreadsheet(fake_model, posts, capsys):
    out = posts.parent / "scores.csv"
    code, err = run(capsys, "--model", fake_model, posts, "-o", out)
    assert code == 0, err and "scored 3 of 3" in err
    with open(out, encoding="utf-8", newline="") as fh:
        text = fh.read()
    cells = [c for line in text.splitlines() for c in line.split(",")]
    assert not [c for c in cells if c.startswith(DANGEROUS)]
    from dealerdetect.privacy.csvsafe import read_csv

    back = read_csv(out, dtype={"id": str})
    assert list(back["id"]) == [p["id"] for p in POSTS]


def test_refuses_to_overwrite_the_posts_file_even_with_force(fake_model, posts, capsys):
    before = posts.read_bytes()
    for extra in ([], ["--force"]):
        code, err = run(capsys, "--model", fake_model, posts, "-o", posts, *extra)
        assert_one_line_error(code, err, str(posts), "posts file")
    link = posts.parent / "link.jsonl"
    link.symlink_to(posts)
    code, err = run(capsys, "--model", fake_model, posts, "-o", link, "--force")
    assert_one_line_error(code, err, "posts file")
    assert posts.read_bytes() == before


def test_an_existing_output_needs_force(fake_model, posts, capsys):
    out = posts.parent / "scores.csv"
    out.write_text("keep me\n")
    code, err = run(capsys, "--model", fake_model, posts, "-o", out)
    assert_one_line_error(code, err, str(out), "--force")
    assert out.read_text() == "keep me\n"
    code, err = run(capsys, "--model", fake_model, posts, "-o", out, "--force")
    assert code == 0, err
    assert out.read_text().startswith("id,probability")


@pytest.mark.parametrize("where", ["folder", "no_parent"])
def test_output_that_is_a_folder_or_has_no_parent(fake_model, posts, capsys, where):
    out = posts.parent if where == "folder" else posts.parent / "missing" / "scores.csv"
    code, err = run(capsys, "--model", fake_model, posts, "-o", out)
    assert_one_line_error(code, err, str(out))


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("empty.csv", b"", ["empty.csv", "header"]),
        ("empty.jsonl", b"\n\n", ["empty.jsonl", "no posts"]),
        ("bad.csv", b'id,caption\n1,"never closed\n', ["bad.csv", "malformed CSV"]),
        ("latin1.csv", "id,caption\n1,café\n".encode("latin-1"), ["latin1.csv", "UTF-8"]),
        ("latin1.jsonl", '{"id": "1", "caption": "café"}\n'.encode("latin-1"), ["UTF-8"]),
        ("nocol.csv", b"id,text\n1,hello\n", ["nocol.csv", "caption"]),
        ("bad.jsonl", b'{"id": "1"}\n{"caption": "no id"}\n', ["bad.jsonl: row 2: field 'id'"]),
    ],
)
def test_unreadable_posts_are_one_line_naming_the_file(
    fake_model, tmp_path, capsys, name, content, words
):
    path = tmp_path / name
    path.write_bytes(content)
    code, err = run(capsys, "--model", fake_model, path)
    assert_one_line_error(code, err, *words)


def test_posts_path_that_is_a_folder_or_missing(fake_model, tmp_path, capsys):
    code, err = run(capsys, "--model", fake_model, tmp_path)
    assert_one_line_error(code, err, str(tmp_path), "folder")
    code, err = run(capsys, "--model", fake_model, tmp_path / "nope.jsonl")
    assert_one_line_error(code, err, "nope.jsonl", "no such file")


@pytest.mark.parametrize("value", ["-5", "nan", "0", "1", "inf", "-inf", "1.5", "half"])
def test_threshold_must_be_strictly_between_0_and_1(fake_model, posts, capsys, value):
    code, err = run(capsys, "--model", fake_model, posts, "--threshold", value)
    assert_one_line_error(code, err, "--threshold")


def test_threshold_inside_the_interval_is_used(fake_model, posts, capsys):
    code, _ = run(capsys, "--model", fake_model, posts, "--threshold", "0.9")
    assert code == 0
    out = capsys.readouterr().out  # nothing more; the CSV went to stdout above
    assert out == ""


@pytest.mark.parametrize(
    "error",
    [
        ValueError("meta.json: not valid JSON"),
        FileNotFoundError("model.joblib: no such file"),
        OSError("model.keras: truncated archive"),
        EOFError("Ran out of input"),
        IndexError("pop from empty list"),  # what unpickling random bytes raised
    ],
)
def test_a_loader_error_becomes_one_line(monkeypatch, posts, capsys, error, tmp_path):
    def broken(model_dir):
        raise error

    monkeypatch.setattr("dealerdetect.predict.Scorer", broken)
    code, err = run(capsys, "--model", tmp_path, posts)
    assert_one_line_error(code, err, "cannot load the saved model", str(error))


@pytest.mark.parametrize(
    "meta",
    [b"", b'{"model": "svm", "variant": ', b"\xff\xfe{}", b'{"variant": "no_hashtags"}'],
)
def test_a_damaged_model_folder_is_one_line_and_exit_2(tmp_path, posts, meta):
    """The real loader, in a real process: no traceback reaches the user."""
    model = tmp_path / "model"
    model.mkdir()
    (model / "meta.json").write_bytes(meta)
    proc = subprocess.run(
        [sys.executable, "-m", "dealerdetect.cli", "predict", "--model", model, posts],
        capture_output=True,
        text=True,
    )
    assert_one_line_error(proc.returncode, proc.stderr, str(model))


def test_help_names_force_and_the_threshold_interval(capsys):
    with pytest.raises(SystemExit):
        cli.main(["predict", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--force" in out and "strictly between 0 and 1" in out


def test_a_simulated_model_warns_on_stderr_and_in_the_sidecar(capsys, fake_model, posts, tmp_path):
    out = tmp_path / "scores.csv"
    code, err = run(capsys, "--model", fake_model, posts, "-o", out)
    assert code == 0
    assert "warning" in err and "SIMULATED" in err
    meta = json.loads((tmp_path / "scores.csv.meta.json").read_text())
    assert meta["corpus_source"] == "simulated" and meta["warnings"]
