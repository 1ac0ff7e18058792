"""Edit one setting, rerun only what it touches: dry runs after a complete tiny study."""

import re

import pytest
import yaml
from workflow_helpers import ROOT, snakemake

pytestmark = pytest.mark.slow

VARIANTS = ("with_hashtags", "hashtags_only", "no_hashtags", "with_pictures")
# The picture variant runs the LSTM only with pictures.lstm, which tiny.yaml leaves off.
LSTM_VARIANTS = ("with_hashtags", "hashtags_only", "no_hashtags")
# What reads the aggregated folds: rerun whenever any fold job or the threshold changes.
DOWNSTREAM = {
    "aggregate_cv",
    "table1",
    "table1_extended",
    "figure_roc_pr",
    "figure_confusion",
    "figure_learning_curves",
    "figure_table1_bars",
    "accounts",
    "operation_ranking",
    "figure_accounts",
    "picture_gain",
    "headline",
    # The report's home page reads the headline.
    "report_home",
    "all",
}


def planned_jobs(wd, tmp_path, overlay: dict) -> list[tuple[str, dict]]:
    """(rule, wildcards) of every job a dry run plans with ``overlay`` on top of tiny.yaml."""
    path = tmp_path / "overlay.yaml"
    path.write_text(yaml.safe_dump(overlay))
    out = snakemake(
        wd, "-n", "--configfile", str(ROOT / "tests/config/tiny.yaml"), str(path)
    ).stdout
    jobs, current = [], None
    for line in out.splitlines():
        m = re.match(r"^(?:local)?rule (\w+):$", line.strip())
        if m:
            current = (m.group(1), {})
            jobs.append(current)
        elif current and line.strip().startswith("wildcards:"):
            pairs = line.split("wildcards:", 1)[1].split(",")
            current[1].update(p.strip().split("=", 1) for p in pairs if "=" in p)
    return jobs


def model_of(rule: str, wildcards: dict) -> str | None:
    if rule == "evaluate_lstm":
        return "lstm"
    return wildcards.get("model") or wildcards.get("classic") or wildcards.get("baseline")


def params_changed(wd, tmp_path, overlay: dict) -> set[str]:
    """The rules a dry run with ``overlay`` reruns because their params changed: the first jobs
    the edit reruns. Everything downstream of them reruns too, because its inputs change (a dry
    run names those "input files updated", and cannot plan past a checkpoint that reruns)."""
    path = tmp_path / "overlay.yaml"
    path.write_text(yaml.safe_dump(overlay))
    out = snakemake(wd, "-n", "--configfile", str(ROOT / "tests/config/tiny.yaml"), str(path))
    lines = (out.stdout + out.stderr).splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "params have changed since last execution:":
            return {r.strip() for r in lines[i + 1].split(",")}
    return set()


# Each setting, edited alone, and the first jobs it reruns (the rules whose params read it and
# that nothing upstream reruns already), written beside the setting. tiny.yaml: the simulated
# source, the paper's four models, the default protocols.
RERUNS = [
    # Collection settings: everything after collection reruns.
    ({"seed": 8}, {"collect_posts"}),
    ({"collection": {"loops": 1}}, {"collect_posts"}),
    ({"collection": {"seed_hashtags": ["xanaxangel", "percocert"]}}, {"collect_posts"}),
    ({"collection": {"window": {"start": "2018-07-20"}}}, {"collect_posts"}),
    ({"collection": {"simulated": {"scale": 0.031}}}, {"collect_posts"}),
    ({"drugs": {"ketamine": {"slang": ["ketamin", "kpowder", "specialk", "ketty", "kitkat"]}}},
     {"collect_posts"}),
    # Settings of a source not in use, of how many cores a job takes, of a variant check
    # applied after preprocessing, and of the annotation loop (not part of a study) rerun
    # nothing.
    ({"collection": {"file": {"path": "elsewhere.jsonl"}}}, set()),
    ({"models": {"lstm": {"threads": 2}}}, set()),
    ({"preprocessing": {"strict": True}}, set()),
    ({"annotation": {"batch": 50}}, set()),
    # Labelling: the annotation folder and the phone regions redaction reads.
    ({"collection": {"annotation_dir": "data/annotation/x"}}, {"label_corpus"}),
    ({"privacy": {"phone_regions": ["US", "GB"]}}, {"label_corpus"}),
    ({"preprocessing": {"text_length": 40}}, {"preprocess"}),
    # One model: its folds and its final models, nothing of the other models.
    ({"models": {"random_forest": {"n_estimators": 10}}}, {"evaluate_classic", "final_model"}),
    ({"models": {"lstm": {"epochs": 1}}}, {"evaluate_lstm", "final_model"}),
    ({"cv": {"validation_split": 0.25}}, {"evaluate_lstm", "final_model"}),
    # The threshold retrains no fold; the final models save it in their meta.json.
    ({"cv": {"threshold": 0.6}}, {"aggregate_cv", "final_model"}),
    ({"operations": {"jaccard_threshold": 0.7}}, {"operations"}),
    ({"reporting": {"min_language_posts": 20}}, {"table1_extended"}),
]  # fmt: skip


@pytest.mark.parametrize("overlay, expected", RERUNS, ids=lambda x: str(x)[:60])
def test_each_setting_reruns_only_the_jobs_that_read_it(tiny_run, tmp_path, overlay, expected):
    assert params_changed(tiny_run, tmp_path, overlay) == expected


def test_the_tiny_study_is_complete(tiny_run, tmp_path):
    assert planned_jobs(tiny_run, tmp_path, {}) == []


@pytest.mark.parametrize(
    "overlay, model",
    [
        ({"models": {"random_forest": {"n_estimators": 10}}}, "random_forest"),
        ({"models": {"lstm": {"epochs": 1}}}, "lstm"),
    ],
)
def test_one_model_setting_reruns_that_model_and_what_reads_it(tiny_run, tmp_path, overlay, model):
    jobs = planned_jobs(tiny_run, tmp_path, overlay)
    folds = [(r, w) for r, w in jobs if r.startswith("evaluate_")]
    finals = [w for r, w in jobs if r == "final_model"]
    assert {model_of(r, w) for r, w in folds} == {model}
    variants = LSTM_VARIANTS if model == "lstm" else VARIANTS
    # tiny.yaml: 3 folds in 2 jobs (folds_per_job: 2); the default protocols, paper and grouped
    assert len(folds) == len(variants) * 2 * 2
    assert sorted(w["variant"] for w in finals) == sorted(variants)
    assert {w["model"] for w in finals} == {model}
    others = {r for r, _ in jobs if not r.startswith("evaluate_") and r != "final_model"}
    assert others <= DOWNSTREAM and "aggregate_cv" in others and "table1" in others


def test_the_threshold_retrains_no_fold(tiny_run, tmp_path):
    jobs = planned_jobs(tiny_run, tmp_path, {"cv": {"threshold": 0.6}})
    rules = {r for r, _ in jobs}
    assert not any(r.startswith("evaluate_") for r in rules)
    # Final models carry the threshold in their meta.json, so they are saved again.
    assert rules <= DOWNSTREAM | {"final_model"} and "aggregate_cv" in rules
