"""One end-to-end run of the real Snakefile on tests/config/tiny.yaml."""

import json

import pandas as pd
import pytest
from workflow_helpers import ROOT, scratch_workflow, snakemake

pytestmark = pytest.mark.slow


def test_dry_run_of_default_config_plans_every_evaluation_job(tmp_path):
    """Which variants run is known after the preprocess checkpoint; from then on the dry run
    plans every job. A small corpus keeps the test short; the models and folds are the default:
    one job per model x variant x protocol runs all 10 folds, and folds_per_job 1 gives one job
    per fold (a cluster with more cores than jobs)."""
    wd = scratch_workflow(tmp_path)
    (wd / "small.yaml").write_text("collection:\n  simulated:\n    scale: 0.05\n")
    (wd / "per_fold.yaml").write_text("cv:\n  folds_per_job: 1\n")
    before = snakemake(wd, "-n", "--configfile", "small.yaml").stdout
    assert "checkpoint" in before and "evaluate_classic" not in before
    snakemake(wd, "--until", "preprocess", "--configfile", "small.yaml")

    def planned(*configs):
        out = snakemake(wd, "-n", "--quiet", "rules", "--configfile", *configs).stdout
        return dict(
            (line.split()[0], int(line.split()[1]))
            for line in out.splitlines()
            if len(line.split()) == 2 and line.split()[1].isdigit()
        )

    # The paper's four models x 3 variants and the three classical models on with_pictures
    # (the LSTM reads it only with pictures.lstm), under the paper and grouped protocols.
    counts = planned("small.yaml")
    assert counts["evaluate_classic"] + counts["evaluate_lstm"] == (4 * 3 + 3) * 2
    assert counts["evaluate_baseline"] == 2 * 4 * 2  # word and character n-gram LR
    counts = planned("small.yaml", "per_fold.yaml")
    assert counts["evaluate_classic"] + counts["evaluate_lstm"] == (4 * 3 + 3) * 10 * 2
    assert counts["evaluate_baseline"] == 2 * 4 * 10 * 2


def test_table1_has_every_model_and_variant_with_numbers_in_range(tiny_run):
    t1 = pd.read_csv(tiny_run / "results/tables/table1.csv")
    assert list(t1.columns) == [
        "variant",
        "model",
        "precision",
        "recall",
        "f1",
        "auc",
        "status",
        "paper_precision",
        "paper_recall",
        "paper_f1",
        "paper_auc",
    ]
    assert len(t1) == 12 + 3 and (t1["status"] == "run").all()
    assert set(t1["variant"]) == {"with_hashtags", "hashtags_only", "no_hashtags", "with_pictures"}
    assert set(t1.loc[t1["variant"] == "with_pictures", "model"]) == {
        "decision_tree", "random_forest", "svm"
    }  # fmt: skip
    assert set(t1["model"]) == {"decision_tree", "random_forest", "svm", "lstm"}
    for col in ("precision", "recall", "f1", "auc"):
        assert t1[col].between(0, 100).all(), col
    paper = t1["variant"] != "with_pictures"  # the paper has no variant with pictures
    assert t1.loc[paper, "paper_f1"].between(0, 100).all()
    assert t1.loc[~paper, "paper_f1"].isna().all()
    md = (tiny_run / "results/tables/table1.md").read_text()
    assert "Text with hashtags" in md and "Study model" in md and "simulated" in md


def test_table2_and_summary_and_flow(tiny_run):
    t2 = pd.read_csv(tiny_run / "results/tables/table2.csv")
    assert list(t2.columns)[:7] == [
        "family",
        "drug",
        "hashtag",
        "posts",
        "percent",
        "paper_posts",
        "paper_percent",
    ]
    assert t2["percent"].between(0, 100).all()
    # The paper's seeds: the paper's four families are listed beside the paper's numbers.
    totals = t2[t2["hashtag"] == "Total"]
    assert {"xanax", "oxycodone", "lsd", "mdma"} <= set(totals["family"])
    assert totals.loc[totals["family"] == "xanax", "paper_posts"].iloc[0] == 1078
    assert (t2["loops"] == 2).all() and "#xanaxangel" in t2["seeds"].iloc[0]
    summary = json.loads((tiny_run / "results/corpus/summary.json").read_text())
    assert summary["source"] == "simulated" and 0 < summary["dealer_posts"] < summary["posts"]
    flow = pd.read_csv(tiny_run / "results/preprocess/flow.csv")
    assert flow["step"].iloc[0] == "0_collected"
    assert (flow["posts_in"] - flow["dropped"] == flow["posts_out"]).all()
    assert summary["posts"] == flow.set_index("step").loc["1_dedupe_posts", "posts_out"]


def test_fold_outputs_and_saved_lstm_models(tiny_run):
    oof = pd.read_parquet(tiny_run / "results/cv/paper/oof.parquet")
    for variant in ("with_hashtags", "hashtags_only", "no_hashtags"):
        n = len(pd.read_parquet(tiny_run / f"results/preprocess/{variant}.parquet"))
        per_model = oof[oof["variant"] == variant].groupby("model")["id"].nunique()
        assert (per_model == n).all(), "every post predicted exactly once per model"
    assert len(list((tiny_run / "results/cv/paper").rglob("fold*.keras"))) == 9
    hist = pd.read_csv(tiny_run / "results/cv/paper/lstm_history.csv")
    assert set(hist["epoch"]) <= {1, 2} and len(hist) > 0


def test_both_protocols_by_default_give_the_gap_the_headline_and_accounts(tiny_run):
    from dealerdetect.reporting.extended import GAP_COLUMNS

    gap = pd.read_csv(tiny_run / "results/tables/protocol_gap.csv")
    assert list(gap.columns) == GAP_COLUMNS and len(gap) == 3 * 4 + 3  # variants x models
    assert (gap["f1_paper"] - gap["f1_protocol"] - gap["gap"]).abs().max() < 0.02
    headline = (tiny_run / "results/tables/headline.md").read_text()
    assert "F1 drops by" in headline and "SVM" in headline
    ext = pd.read_csv(tiny_run / "results/tables/table1_extended.csv")
    assert set(ext["protocol"]) == {"paper", "grouped"}
    accounts = pd.read_csv(tiny_run / "results/tables/accounts.csv")
    assert set(accounts["rule"]) == {"max", "mean", "noisy_or"}
    assert accounts["precision_at_10"].between(0, 1).all()
    ranked = pd.read_csv(tiny_run / "results/accounts/ranked.csv")
    assert ranked["user"].str.fullmatch(r"u_[0-9a-f]{12}").all()
    assert (ranked["score"].diff().dropna() <= 0).all()


def test_benchmark_summary_of_a_run(tiny_run):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, str(ROOT / "bench/benchmark_summary.py"), "--cores", "2"],
        cwd=tiny_run,  # run from the study's folder, as the README says
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "evaluate" in out and "Critical path" in out
    floor = float(out.split("no schedule finishes in under ")[1].split(" s")[0])
    cpu = float(out.split("CPU time of all jobs: ")[1].split(" s")[0])
    assert cpu > 0 and floor == pytest.approx(cpu / 2, abs=1)


def test_operations_leakage_and_operation_ranking_are_written(tiny_run):
    from dealerdetect.evaluation.operations import LEAKAGE_COLUMNS, OPERATION_COLUMNS

    ops = pd.read_csv(tiny_run / "results/accounts/operations.csv")
    assert list(ops.columns) == list(OPERATION_COLUMNS)
    members = pd.read_csv(tiny_run / "results/accounts/members.csv")
    assert ops["accounts"].sum() == len(members) == members["user"].nunique()
    leak = pd.read_csv(tiny_run / "results/tables/leakage.csv")
    assert list(leak.columns) == list(LEAKAGE_COLUMNS) and len(leak) == 2 * 4
    grouped = leak[leak["protocol"] == "grouped"]
    assert (grouped["account_in_training"] == 0).all()
    assert "near-identical" in (tiny_run / "results/tables/leakage.md").read_text()
    ranking = pd.read_csv(tiny_run / "results/tables/operation_ranking.csv")
    assert (
        set(ranking["protocol"]) == {"grouped"} and ranking["precision_at_10"].between(0, 1).all()
    )
    assert (tiny_run / "results/figures/operations.png").stat().st_size > 1000
