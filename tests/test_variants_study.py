"""Real corpora of any shape: the study runs the variants it can and reports the others.

Through the real Snakefile, on hand-written corpora the simulator did not make:
tests/data/no_hashtags (200 messages, no hashtag at all) and tests/data/one_class_variant
(every post with a hashtag is a dealer post).
"""

import shutil

import pandas as pd
import pytest
import yaml
from workflow_helpers import ROOT, scratch_workflow, snakemake

pytestmark = pytest.mark.slow


def fixture_study(tmp_path, name: str, overlay: dict | None = None):
    """A scratch workflow with the fixture's data and its config, plus ``overlay``."""
    wd = scratch_workflow(tmp_path)
    shutil.copytree(ROOT / "tests/data" / name, wd / "tests/data" / name)
    cfg = yaml.safe_load((ROOT / "tests/config" / f"{name}.yaml").read_text())
    for key, value in (overlay or {}).items():
        cfg[key] = {**cfg.get(key, {}), **value} if isinstance(value, dict) else value
    (wd / "study.yaml").write_text(yaml.safe_dump(cfg))
    return wd


def test_a_corpus_without_hashtags_runs_the_other_variants(tmp_path):
    wd = fixture_study(
        tmp_path,
        "no_hashtags",
        {"models": {"run": ["svm", "lstm"]}, "cv": {"protocols": ["paper"]}},
    )
    proc = snakemake(wd, "--configfile", "study.yaml")

    status = pd.read_csv(wd / "results/preprocess/variants.csv").set_index("variant")
    assert status.loc["hashtags_only", "status"] == "not run"
    assert status.loc["hashtags_only", "reason"] == "empty after steps 1-5"
    assert (status.loc[["with_hashtags", "no_hashtags"], "status"] == "run").all()

    t1 = pd.read_csv(wd / "results/tables/table1.csv")
    run = t1[t1["variant"] != "hashtags_only"]
    # with_pictures (the text with hashtags here: no post has a picture) runs the SVM only.
    assert len(run) == 5 and run["f1"].between(0, 100).all() and (run["status"] == "run").all()
    skipped = t1[t1["variant"] == "hashtags_only"]
    assert len(skipped) == 2 and skipped["f1"].isna().all()
    assert skipped["status"].str.startswith("not run: empty after steps 1-5 (0 posts").all()
    md = (wd / "results/tables/table1.md").read_text()
    assert "Variants not run: Hashtags only: not run: empty" in md
    ext = (wd / "results/tables/table1_extended.md").read_text()
    assert "Variants not run: hashtags_only" in ext
    # Nothing was planned for the unusable variant, and the log says why.
    assert not (wd / "results/cv/paper/hashtags_only").exists()
    assert not (wd / "results/models/hashtags_only").exists()
    assert (wd / "results/figures/roc_pr_no_hashtags.png").exists()
    assert "variant hashtags_only is not run" in (wd / "logs/preprocess.log").read_text()
    assert proc.returncode == 0


def test_a_one_class_variant_is_reported_and_strict_makes_it_an_error(tmp_path):
    wd = fixture_study(
        tmp_path,
        "one_class_variant",
        {
            "models": {"run": ["decision_tree"]},
            "preprocessing": {"strict": True},
            "cv": {"protocols": ["paper"]},
        },
    )
    # strict is applied once preprocessing has said which variants are usable: the study stops
    # there, naming the variant and the setting, before any fold runs.
    strict = snakemake(wd, "--configfile", "study.yaml", check=False)
    assert strict.returncode != 0
    said = strict.stdout + strict.stderr
    assert "variant hashtags_only holds only dealer posts" in said and "strict: true" in said
    assert not (wd / "results/cv").exists()

    cfg = yaml.safe_load((wd / "study.yaml").read_text())
    cfg["preprocessing"]["strict"] = False
    (wd / "study.yaml").write_text(yaml.safe_dump(cfg))
    snakemake(wd, "--configfile", "study.yaml")
    t1 = pd.read_csv(wd / "results/tables/table1.csv").set_index("variant")
    assert t1.loc["hashtags_only", "status"].startswith("not run: holds only dealer posts (20)")
    assert 0 <= t1.loc["no_hashtags", "f1"] <= 100


def test_one_chosen_variant_is_the_only_one_in_the_study(tmp_path):
    wd = fixture_study(
        tmp_path,
        "one_class_variant",
        {
            "models": {"run": ["decision_tree"]},
            "preprocessing": {"variants": ["no_hashtags"]},
            "cv": {"protocols": ["paper"]},
        },
    )
    snakemake(wd, "--configfile", "study.yaml")
    assert sorted(p.name for p in (wd / "results/preprocess").glob("*.parquet")) == [
        "no_hashtags.parquet"
    ]
    t1 = pd.read_csv(wd / "results/tables/table1.csv")
    assert set(t1["variant"]) == {"no_hashtags"} and list(t1["model"]) == ["decision_tree"]
    assert sorted(p.name for p in (wd / "results/models").iterdir()) == ["no_hashtags"]
    figures = {p.name for p in (wd / "results/figures").glob("*_*.png")}
    assert "confusion_no_hashtags.png" in figures
    assert not any("with_hashtags" in f or "hashtags_only" in f for f in figures)
