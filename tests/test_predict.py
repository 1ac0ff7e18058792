"""`dealerdetect predict` scores new posts with the final models the study saved."""

import json
import subprocess
import sys

import pandas as pd
import pytest

pytestmark = pytest.mark.slow

NEW_POSTS = [
    {
        "id": "n1",
        "caption": "Order now for quick delivery, no prescription needed! wickr: plugdaddy #xanax #2mgxanax",
    },
    {"id": "n2", "caption": "30 days sober today, grateful for my sponsor #recovery #sobriety"},
    {"id": "n3", "caption": "😍😍😍"},  # nothing left after cleaning: reported, not scored
    {
        "id": "n4",
        "caption": "zzqxv blorptastic wibblewobble #neverseenbefore",
    },  # unknown words only
]


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "dealerdetect.cli", *args], capture_output=True, text=True
    )


def test_help_explains_every_option():
    out = run_cli("predict", "--help").stdout
    for option in ("--model", "posts", "--output", "--threshold"):
        assert option in out
    assert "contact" in out and "not scored" in out


@pytest.mark.parametrize("model", ["svm", "lstm"])
def test_predict_with_a_saved_model_of_the_study(tiny_run, tmp_path, model):
    posts = tmp_path / "new.jsonl"
    posts.write_text("\n".join(json.dumps(p) for p in NEW_POSTS) + "\n")
    out = tmp_path / "scores.csv"
    proc = run_cli(
        "predict",
        "--model",
        str(tiny_run / f"results/models/with_hashtags/{model}"),
        str(posts),
        "-o",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    df = pd.read_csv(out, dtype={"id": str}).set_index("id")
    assert list(df.columns) == ["probability", "label", "status", "contacts"]
    assert df.loc["n3", "status"].startswith("not scored") and pd.isna(df.loc["n3", "probability"])
    scored = df.drop(index="n3")
    assert (scored["status"] == "scored").all() and scored["probability"].between(0, 1).all()
    assert set(scored["label"]) <= {0, 1}
    assert "wickr" in df.loc["n1", "contacts"]
    assert "plugdaddy" not in out.read_text()  # the handle is never echoed


def test_bad_posts_file_names_file_row_and_field(tiny_run, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "caption": "ok"}\n{"caption": "no id"}\n')
    proc = run_cli(
        "predict", "--model", str(tiny_run / "results/models/with_hashtags/svm"), str(bad)
    )
    assert proc.returncode == 2 and "bad.jsonl: row 2: field 'id'" in proc.stderr
