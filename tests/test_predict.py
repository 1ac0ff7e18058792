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


def test_posts_scored_in_chunks_equal_one_batch(tiny_run, tmp_path, monkeypatch):
    from dealerdetect import cli

    posts = tmp_path / "posts.jsonl"
    posts.write_text("".join(json.dumps(p) + "\n" for p in NEW_POSTS * 3))
    model = str(tiny_run / "results/models/with_hashtags/svm")
    whole, chunked = tmp_path / "whole.csv", tmp_path / "chunked.csv"
    assert cli.main(["predict", "--model", model, str(posts), "-o", str(whole)]) == 0
    original = cli.iter_new_posts
    monkeypatch.setattr(cli, "iter_new_posts", lambda path: original(path, chunk=2))
    assert (
        cli.main(["predict", "--model", model, str(posts), "-o", str(chunked), "--jobs", "2"]) == 0
    )
    assert chunked.read_bytes() == whole.read_bytes()


@pytest.mark.parametrize("model", ["svm", "lstm"])
def test_posts_scored_on_a_pool_equal_one_process(tiny_run, tmp_path, monkeypatch, model):
    """The pool that scores batches for the whole run (a scikit-learn model in the workers, an
    LSTM's posts prepared there) writes what one process writes, batches across chunks."""
    from dealerdetect import cli, predict
    from dealerdetect.preprocessing import steps

    rng = __import__("random").Random(7)
    captions = [p["caption"] for p in NEW_POSTS] + [
        "DM me 555 201 3344 kik: plug_99 #xanax",
        "hola amigos, la mejor calidad #bars",
        "",
    ]
    posts = tmp_path / "posts.jsonl"
    rows = [{"id": f"p{i}", "caption": f"{rng.choice(captions)} {i}"} for i in range(230)]
    posts.write_text("".join(json.dumps(r) + "\n" for r in rows))
    path = str(tiny_run / f"results/models/with_hashtags/{model}")
    one, pooled = tmp_path / "one.csv", tmp_path / "pooled.csv"
    assert cli.main(["predict", "--model", path, str(posts), "-o", str(one), "--jobs", "1"]) == 0
    for module in (predict, steps):
        monkeypatch.setattr(module, "PARALLEL_MIN_POSTS", 10)
    monkeypatch.setattr(predict, "BATCH_POSTS", 17)
    original = cli.iter_new_posts
    monkeypatch.setattr(cli, "iter_new_posts", lambda path: original(path, chunk=50))
    import multiprocessing.pool

    used = []
    real = multiprocessing.pool.Pool.apply_async
    monkeypatch.setattr(
        multiprocessing.pool.Pool,
        "apply_async",
        lambda pool, fn, args=(), *a, **k: (
            used.append(len(args[0][0])) or real(pool, fn, args, *a, **k)
        ),
    )
    argv = ["predict", "--model", path, str(posts), "-o", str(pooled), "--jobs", "2"]
    assert cli.main(argv) == 0
    assert pooled.read_bytes() == one.read_bytes()
    assert len(pd.read_csv(pooled)) == len(rows)
    if model == "svm":  # a batch never spans two chunks: 50 posts in batches of 17, 17, 16
        assert sum(used) == len(rows) and max(used) == 17
    else:  # TensorFlow stays in this process
        assert not used


def test_a_bad_row_late_in_the_file_writes_no_scores(tiny_run, tmp_path):
    posts = tmp_path / "posts.jsonl"
    lines = [json.dumps({"id": f"p{i}", "caption": "hello #xanax"}) for i in range(50)]
    posts.write_text("\n".join([*lines, '{"id": null, "caption": "x"}']) + "\n")
    out = tmp_path / "scores.csv"
    out.write_text("an earlier run's scores\n")
    model = str(tiny_run / "results/models/with_hashtags/svm")
    proc = run_cli("predict", "--model", model, str(posts), "-o", str(out), "--force")
    assert proc.returncode == 2 and "row 51: field 'id'" in proc.stderr, proc.stderr
    assert out.read_text() == "an earlier run's scores\n"  # untouched: the run stopped first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["posts.jsonl", "scores.csv"]


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_whole_number_of_at_least_one(jobs):
    proc = run_cli("predict", "--model", "m", "p.jsonl", "--jobs", jobs)
    assert proc.returncode == 2 and "--jobs" in proc.stderr and "Traceback" not in proc.stderr
