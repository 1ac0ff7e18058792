"""Folds, per-fold runs, and the leakage the paper's protocol lets in."""

import numpy as np
import pandas as pd
import pytest

from dealerdetect.evaluation.cv import fold_metrics, make_folds, run_fold, summarize_folds
from dealerdetect.reporting.extended import extended_table


def leaky_corpus(seed=0, users=60, posts_per_user=8):
    """Each user reposts near-identical ads with a signature of its own; the label is the user's.

    Shared words carry only a weak signal, so a model that has seen a user's other posts (the
    paper's post-level folds) scores far better than on users it has never seen.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(users):
        label = int(u % 3 == 0)
        signature = [f"sig{u}_{k}" for k in range(3)]
        for p in range(posts_per_user):
            common = rng.choice(
                ["order", "pills", "love", "today", "ship", "sober", "party", "deal"], 3
            )
            weak = ["fast"] if rng.random() < (0.6 if label else 0.4) else []
            words = signature + list(common) + weak + [f"n{rng.integers(10**6)}"]
            noisy = label if rng.random() > 0.1 else 1 - label  # coders are not perfect either
            rows.append(
                {"id": f"{u}-{p}", "user": f"u{u}", "label": noisy, "text": " ".join(words)}
            )
    return pd.DataFrame(rows)


def run_cv(df, protocol, model, folds=5, seed=1):
    f = make_folds(df, folds, seed, protocol)
    oofs, infos = [], []
    for k in range(folds):
        oof, info = run_fold(
            df, f, k, model, "with_hashtags", {}, seed, whole_dataset_auc=k == folds - 1
        )
        oofs.append(oof.assign(variant="with_hashtags", model=model))
        infos.append(info)
    return pd.concat(oofs, ignore_index=True), pd.DataFrame(infos)


def test_paper_folds_partition_posts_and_are_shared_across_models():
    df = leaky_corpus()
    a, b = make_folds(df, 5, 3, "paper"), make_folds(df, 5, 3, "paper")
    assert a.equals(b) and sorted(a["fold"].unique()) == [0, 1, 2, 3, 4]
    assert not a.equals(make_folds(df, 5, 4, "paper"))


def test_grouped_folds_never_share_a_user():
    df = leaky_corpus()
    f = make_folds(df, 5, 3, "grouped").merge(df[["id", "user"]], on="id")
    assert (f.groupby("user")["fold"].nunique() == 1).all()


def test_too_few_posts_for_the_folds_is_a_clear_error():
    with pytest.raises(ValueError, match="paper protocol, 3 posts"):
        make_folds(leaky_corpus().head(3), 5, 0, "paper")


def test_a_training_fold_with_one_class_names_the_fold():
    df = leaky_corpus().assign(label=0)
    with pytest.raises(ValueError, match="svm/with_hashtags/fold 0.*only label"):
        run_fold(df, make_folds(df, 3, 0, "paper"), 0, "svm", "with_hashtags", {}, 0)


def test_fold_metrics_by_hand():
    m = fold_metrics([1, 1, 0, 0, 1], [0.9, 0.4, 0.6, 0.1, 0.51])
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (2, 1, 1, 1)
    assert m["precision"] == pytest.approx(2 / 3) and m["recall"] == pytest.approx(2 / 3)
    assert fold_metrics([1, 0], [0.5, 0.2])["tp"] == 0  # "larger than 0.5"


@pytest.mark.parametrize("model", ["svm", "decision_tree"])
def test_leaky_case_paper_protocol_and_whole_dataset_auc_are_optimistic(model):
    df = leaky_corpus()
    paper_oof, paper_info = run_cv(df, "paper", model)
    grouped_oof, grouped_info = run_cv(df, "grouped", model)
    paper = summarize_folds(paper_info.to_dict("records")).iloc[0]
    grouped = summarize_folds(grouped_info.to_dict("records")).iloc[0]
    assert paper["f1"] > grouped["f1"] + 10  # percent
    ext = extended_table(paper_oof, paper_info, "paper", seed=0, n_boot=200).iloc[0]
    assert ext["auc_paper_style"] > ext["roc_auc_oof"]
    assert ext["f1_ci_low"] <= ext["f1_pooled"] <= ext["f1_ci_high"]


def test_paired_tests_against_the_best_model():
    df = leaky_corpus()
    oofs, infos = zip(
        *(run_cv(df, "paper", m) for m in ("svm", "decision_tree", "logistic_regression")),
        strict=True,
    )
    ext = extended_table(pd.concat(oofs), pd.concat(infos), "paper", seed=0, n_boot=100)
    best = ext.loc[ext["f1_mean"].idxmax()]
    assert (ext["best_model"] == best["model"]).all()
    assert np.isnan(best["nb_p"]) and np.isnan(best["mcnemar_p"])
    others = ext[ext["model"] != best["model"]]
    assert others["nb_p"].between(0, 1).all() and others["mcnemar_p"].between(0, 1).all()
    assert set(ext.loc[ext["model"] == "logistic_regression", "in_paper"]) == {False}
