"""Tests for dealerdetect.evaluation.stats, with expected values worked out by hand."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from dealerdetect.evaluation import stats

# Scripted 3-fold example.
# fold 0: labels 1 1 1 0 0, preds 1 1 0 0 1 -> tp 2 fp 1 fn 1 tn 1 -> P 2/3 R 2/3 F1 2/3
# fold 1: labels 1 1 0 0,   preds 1 0 0 0   -> tp 1 fp 0 fn 1 tn 2 -> P 1   R 1/2 F1 2/3
# fold 2: labels 1 0 0,     preds 0 1 0     -> tp 0 fp 1 fn 1 tn 1 -> P 0   R 0   F1 0
FOLDS = pd.DataFrame(
    {
        "fold": [0] * 5 + [1] * 4 + [2] * 3,
        "label": [1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0],
        "pred": [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0],
    }
)


def test_confusion_and_prf():
    assert stats.confusion([1, 1, 0, 0, 1], [1, 0, 1, 0, 1]) == {"tp": 2, "fp": 1, "fn": 1, "tn": 1}
    assert stats.prf(3, 1, 1) == pytest.approx((0.75, 0.75, 0.75))
    assert stats.prf(0, 0, 0) == (0.0, 0.0, 0.0)  # zero denominators -> 0, not NaN
    assert stats.prf(0, 0, 4) == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        stats.confusion([0, 1, 2], [0, 1, 1])


def test_pooled_metrics_by_hand():
    # Summed: tp 3, fp 2, fn 3, tn 4 -> P 3/5, R 3/6, F1 2*3/(6+2+3) = 6/11.
    m = stats.pooled_metrics(FOLDS)
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (3, 2, 3, 4)
    assert m["precision"] == pytest.approx(0.6)
    assert m["recall"] == pytest.approx(0.5)
    assert m["f1"] == pytest.approx(6 / 11)
    assert m["n_folds"] == 3


def test_mean_sd_metrics_by_hand():
    m = stats.mean_sd_metrics(FOLDS)
    # Means: P (2/3 + 1 + 0)/3 = 5/9, R (2/3 + 1/2 + 0)/3 = 7/18, F1 (2/3 + 2/3 + 0)/3 = 4/9.
    assert m["precision"] == pytest.approx(5 / 9)
    assert m["recall"] == pytest.approx(7 / 18)
    assert m["f1"] == pytest.approx(4 / 9)
    # Sample SDs: P sum sq dev (1+16+25)/81 / 2 = 7/27; R (25+4+49)/324 / 2 = 13/108;
    # F1 (4+4+16)/81 / 2 = 4/27.
    assert m["precision_sd"] == pytest.approx(math.sqrt(7 / 27))
    assert m["recall_sd"] == pytest.approx(math.sqrt(13 / 108))
    assert m["f1_sd"] == pytest.approx(math.sqrt(4 / 27))
    assert m["n_folds"] == 3
    one = stats.mean_sd_metrics(FOLDS[FOLDS["fold"] == 0])
    assert math.isnan(one["f1_sd"])


def test_auc_values_and_one_class_nan():
    label = [0, 0, 1, 1]
    score = [0.1, 0.4, 0.35, 0.8]
    # Pairs (pos, neg): (.35,.1) ok, (.35,.4) wrong, (.8,.1) ok, (.8,.4) ok -> 3/4.
    assert stats.oof_auc(label, score) == pytest.approx(0.75)
    # Ranked: .8(+) .4(-) .35(+) .1(-): AP = 1/2 * (1/1 + 2/3) = 5/6.
    assert stats.oof_pr_auc(label, score) == pytest.approx(5 / 6)
    assert math.isnan(stats.oof_auc([1, 1, 1], [0.2, 0.5, 0.9]))
    assert math.isnan(stats.oof_pr_auc([0, 0], [0.2, 0.5]))


def test_nadeau_bengio_by_hand():
    a = [0.90, 0.80, 0.85, 0.95, 0.90]
    b = [0.85, 0.80, 0.80, 0.90, 0.80]
    # d = .05 0 .05 .05 .10; mean .05; var(ddof=1) = (0 + .0025 + 0 + 0 + .0025)/4 = .00125
    # corrected var = .00125 * (1/5 + 10/90) = .00125 * 14/45
    t_hand = 0.05 / math.sqrt(0.00125 * 14 / 45)
    assert t_hand == pytest.approx(2.5355, abs=1e-4)
    t, p = stats.nadeau_bengio_ttest(a, b, n_train=90, n_test=10)
    assert t == pytest.approx(t_hand)
    assert p == pytest.approx(2 * st.t.sf(t_hand, df=4))
    assert 0.05 < p < 0.1
    t_rev, p_rev = stats.nadeau_bengio_ttest(b, a, n_train=90, n_test=10)
    assert t_rev == pytest.approx(-t_hand) and p_rev == pytest.approx(p)
    # The correction makes the test more conservative than the naive paired t-test.
    assert p > st.ttest_rel(a, b).pvalue
    assert stats.nadeau_bengio_ttest(a, a, 90, 10) == (0.0, 1.0)
    with pytest.raises(ValueError):
        stats.nadeau_bengio_ttest([0.5], [0.4], 90, 10)


def _mcnemar_arrays(both_right, a_only, b_only, both_wrong):
    """Label all 1; A right where pred_a == 1, B right where pred_b == 1."""
    pa = [1] * both_right + [1] * a_only + [0] * b_only + [0] * both_wrong
    pb = [1] * both_right + [0] * a_only + [1] * b_only + [0] * both_wrong
    return [1] * len(pa), pa, pb


def test_mcnemar_exact():
    # b = 1, c = 5: exact two-sided p = 2 * P(X <= 1 | n=6, 1/2) = 2 * (1 + 6)/64 = 14/64.
    y, pa, pb = _mcnemar_arrays(10, 1, 5, 3)
    stat, p = stats.mcnemar(y, pa, pb)
    assert stat == 1.0
    assert p == pytest.approx(14 / 64)
    # Symmetric table -> p = 1.
    y, pa, pb = _mcnemar_arrays(4, 3, 3, 0)
    assert stats.mcnemar(y, pa, pb)[1] == pytest.approx(1.0)


def test_mcnemar_chi2_and_no_discordance():
    # b = 30, c = 10 (40 >= 25): (|30 - 10| - 1)^2 / 40 = 361/40 = 9.025.
    y, pa, pb = _mcnemar_arrays(50, 30, 10, 7)
    stat, p = stats.mcnemar(y, pa, pb)
    assert stat == pytest.approx(9.025)
    assert p == pytest.approx(st.chi2.sf(9.025, 1))
    assert p == pytest.approx(0.00266, abs=2e-5)
    y, pa, pb = _mcnemar_arrays(5, 0, 0, 5)
    assert stats.mcnemar(y, pa, pb) == (0.0, 1.0)


def _scored_sample(n=300, seed=1):
    rng = np.random.default_rng(seed)
    label = rng.integers(0, 2, n)
    score = np.clip(0.3 * label + rng.normal(0.35, 0.2, n), 0, 1)
    pred = (score >= 0.5).astype(int)
    return label, score, pred


@pytest.mark.parametrize("metric", ["f1", "auc"])
def test_bootstrap_ci_contains_estimate_and_is_deterministic(metric):
    label, score, pred = _scored_sample()
    c = stats.confusion(label, pred)
    point = (
        stats.prf(c["tp"], c["fp"], c["fn"])[2] if metric == "f1" else stats.oof_auc(label, score)
    )
    lo, hi = stats.bootstrap_ci(label, score, pred, metric, n_boot=400, seed=3)
    assert 0 <= lo < point < hi <= 1
    assert stats.bootstrap_ci(label, score, pred, metric, n_boot=400, seed=3) == (lo, hi)
    assert stats.bootstrap_ci(label, score, pred, metric, n_boot=400, seed=4) != (lo, hi)
    lo90, hi90 = stats.bootstrap_ci(label, score, pred, metric, n_boot=400, seed=3, alpha=0.1)
    assert lo <= lo90 and hi90 <= hi


def test_bootstrap_auc_skips_one_class_resamples():
    # One positive in 30: many resamples miss it and are skipped rather than failing.
    label = np.zeros(30, dtype=int)
    label[0] = 1
    score = np.linspace(0, 1, 30)[::-1]
    lo, hi = stats.bootstrap_ci(label, score, None, "auc", n_boot=200, seed=0)
    assert lo == pytest.approx(1.0) and hi == pytest.approx(1.0)
    assert all(math.isnan(v) for v in stats.bootstrap_ci([1, 1], [0.1, 0.2], None, "auc", 50))
    with pytest.raises(ValueError):
        stats.bootstrap_ci(label, score, None, "accuracy")


def test_grouped_folds_keep_groups_together_and_stratify():
    rng = np.random.default_rng(0)
    n_users = 40
    users = np.repeat(np.arange(n_users), rng.integers(1, 6, n_users))
    user_label = (np.arange(n_users) % 4 == 0).astype(int)  # a quarter of users are dealers
    labels = user_label[users]
    ids = [f"post{i}" for i in range(len(users))]
    folds = stats.grouped_folds(ids, labels, users, n_splits=5, seed=7)
    assert folds.shape == (len(ids),) and set(folds) == set(range(5))
    frame = pd.DataFrame({"user": users, "fold": folds, "label": labels})
    assert (frame.groupby("user")["fold"].nunique() == 1).all()
    shares = frame.groupby("fold")["label"].mean()
    assert (shares > 0).all()  # every fold sees dealers
    assert shares.max() - shares.min() < 0.35
    np.testing.assert_array_equal(folds, stats.grouped_folds(ids, labels, users, 5, seed=7))
    with pytest.raises(ValueError, match="groups"):
        stats.grouped_folds(ids[:6], labels[:6], [0, 0, 1, 1, 2, 2], n_splits=5, seed=0)


def test_grouped_folds_do_not_depend_on_the_pseudonym_salt():
    """User ids are salted hashes, and each checkout draws its own salt: the same seed must give
    the same grouped folds whatever the pseudonyms are."""
    import hashlib

    rng = np.random.default_rng(3)
    owners = np.repeat(np.arange(60), rng.integers(1, 8, 60))
    labels = (owners % 5 == 0).astype(int)
    ids = [f"post{i}" for i in range(len(owners))]

    def pseudonyms(salt):
        return [f"u_{hashlib.sha256(f'{salt}{o}'.encode()).hexdigest()[:12]}" for o in owners]

    one = stats.grouped_folds(ids, labels, pseudonyms("salt-a"), n_splits=5, seed=11)
    other = stats.grouped_folds(ids, labels, pseudonyms("salt-b"), n_splits=5, seed=11)
    np.testing.assert_array_equal(one, other)


def test_paper_folds_partition_rows():
    ids = np.arange(23)
    folds = stats.paper_folds(ids, n_splits=10, seed=0)
    assert folds.shape == (23,)
    counts = np.bincount(folds, minlength=10)
    assert counts.sum() == 23 and counts.min() >= 2 and counts.max() <= 3
    np.testing.assert_array_equal(folds, stats.paper_folds(ids, 10, seed=0))
    assert not np.array_equal(folds, stats.paper_folds(ids, 10, seed=1))
    with pytest.raises(ValueError, match="rows"):
        stats.paper_folds(np.arange(4), n_splits=5, seed=0)


def test_resample_auc_equals_sklearn_on_the_drawn_posts_with_ties():
    from scipy.stats import rankdata
    from sklearn.metrics import roc_auc_score

    from dealerdetect.evaluation.stats import _drawn_auc

    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 500)
    s = np.round(rng.random(500), 1)  # many ties
    group = rankdata(s, method="dense").astype(np.int64) - 1
    for _ in range(5):
        idx = rng.integers(0, 500, 500)
        drawn = np.bincount(idx, minlength=500)
        assert _drawn_auc(group, y == 1, drawn) == pytest.approx(roc_auc_score(y[idx], s[idx]))
    # A resample of one class has no AUC.
    assert _drawn_auc(group, y == 1, np.where(y == 1, 1, 0)) is None


def test_paired_f1_gap_by_hand_and_ci_covers_it():
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0] * 10)
    a = np.array([1, 1, 1, 1, 0, 0, 0, 1] * 10)  # F1 = 8/9 (tp 4, fp 1, fn 0)
    b = np.array([1, 1, 0, 0, 0, 0, 0, 0] * 10)  # F1 = 2/3 (tp 2, fp 0, fn 2)
    gap, lo, hi = stats.paired_f1_gap(y, a, b, n_boot=300, seed=1)
    assert gap == pytest.approx(8 / 9 - 2 / 3)
    assert lo < gap < hi and lo > 0  # A is better on every resample of this design
    assert stats.paired_f1_gap(y, a, a, n_boot=50)[0:3] == (0.0, 0.0, 0.0)


def test_protocol_gap_pairs_posts_across_protocols():
    from dealerdetect.reporting.extended import protocol_gap

    ids = [f"p{i}" for i in range(40)]
    label = [1, 0] * 20
    paper = pd.DataFrame(
        {"variant": "v", "model": "m", "id": ids, "label": label, "pred": label}
    )  # perfect under the paper protocol
    grouped = paper.sample(frac=1, random_state=0).copy()  # same posts, other order
    grouped["pred"] = [1 - p if i % 4 == 0 else p for i, p in enumerate(grouped["label"])]
    gap = protocol_gap(paper, grouped, seed=0, n_boot=200)
    row = gap.iloc[0]
    g, y = grouped["pred"].to_numpy(), grouped["label"].to_numpy()
    tp, fp, fn = (
        np.sum((g == 1) & (y == 1)),
        np.sum((g == 1) & (y == 0)),
        np.sum((g == 0) & (y == 1)),
    )
    assert row["posts"] == 40 and row["f1_paper"] == 100.0
    assert row["protocol"] == "grouped"
    assert row["f1_protocol"] == pytest.approx(100 * 2 * tp / (2 * tp + fp + fn), abs=0.01)
    assert row["gap"] == pytest.approx(row["f1_paper"] - row["f1_protocol"], abs=0.02)
    assert row["gap_ci_low"] > 0 and row["mcnemar_p"] < 0.05
