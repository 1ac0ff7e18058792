"""Tests for dealerdetect.evaluation.temporal: forward-chaining folds in collection order."""

import numpy as np
import pandas as pd
import pytest

from dealerdetect.evaluation import temporal
from dealerdetect.evaluation.cv import run_fold

DEALER = [
    "#xanaxangel #2mgxanax #plugshop",
    "bars available tonight wickr [handle] #xanax #forsale",
    "percs 10 325 dm prices #percocet #oxy",
    "adderall 30mg shipping overnight kik [handle] #adderrall",
]
OTHER = [
    "sunday brunch girls #mimosas #weekend",
    "finally finished half marathon #running",
    "new puppy meet biscuit #dogsofinstagram",
    "rainy day good book #cozy",
]


def corpus(n: int = 40, seed: int = 3) -> pd.DataFrame:
    """Posts over the paper's window, several sharing a timestamp, in shuffled row order."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2018-07-19T00:00:00Z")
    # Every third post shares its timestamp with the previous one: ties are common in the feed.
    minutes = np.cumsum([0 if i % 3 == 2 else int(rng.integers(30, 4000)) for i in range(n)])
    label = np.arange(n) % 2
    df = pd.DataFrame(
        {
            "id": [f"Bq{i:03d}x" for i in rng.permutation(n)],
            "user": [f"u_{i % 7:012x}" for i in range(n)],
            "timestamp": [(start + pd.Timedelta(minutes=int(m))).isoformat() for m in minutes],
            "label": label,
            "text": [(DEALER if y else OTHER)[i % 4] for i, y in enumerate(label)],
        }
    )
    return df.sample(frac=1, random_state=seed).reset_index(drop=True)


def test_no_test_post_precedes_any_of_its_training_posts():
    df = corpus()
    folds = temporal.temporal_folds(df["timestamp"], df["id"], n_splits=4)
    key = list(zip(pd.to_datetime(df["timestamp"]), df["id"], strict=True))
    splits = temporal.temporal_splits(folds)
    assert [k for k, _, _ in splits] == [0, 1, 2, 3]
    for k, train, test in splits:
        assert len(train) and len(test)
        # Later in time, or the same time and a later id: never earlier.
        assert max(key[i] for i in train) < min(key[i] for i in test), k
        assert set(folds[train]) == {temporal.NEVER_TESTED, *range(k)}


def test_blocks_are_non_empty_equal_sized_and_the_first_is_never_tested():
    df = corpus(n=43)
    folds = temporal.temporal_folds(df["timestamp"], df["id"], n_splits=4)
    sizes = pd.Series(folds).value_counts()
    assert sorted(sizes.index) == [-1, 0, 1, 2, 3]
    assert set(sizes[[0, 1, 2, 3]]) == {43 // 5}  # TimeSeriesSplit: equal test blocks
    assert sizes[-1] == 43 - 4 * (43 // 5)  # the remainder trains only
    first = pd.to_datetime(df["timestamp"])[folds == -1].max()
    assert (pd.to_datetime(df["timestamp"])[folds >= 0] >= first).all()


def test_folds_do_not_depend_on_row_order():
    df = corpus()
    a = dict(zip(df["id"], temporal.temporal_folds(df["timestamp"], df["id"], 3), strict=True))
    rev = df.iloc[::-1]
    b = dict(zip(rev["id"], temporal.temporal_folds(rev["timestamp"], rev["id"], 3), strict=True))
    assert a == b


def test_too_few_posts_bad_splits_and_bad_timestamps_are_refused():
    df = corpus(n=4)
    with pytest.raises(ValueError, match="cannot make 4 test folds and a training block from 4"):
        temporal.temporal_folds(df["timestamp"], df["id"], 4)
    with pytest.raises(ValueError, match="at least 2"):
        temporal.temporal_folds(df["timestamp"], df["id"], 1)
    bad = df["timestamp"].tolist()
    bad[2] = "last tuesday"
    with pytest.raises(ValueError, match=f"post {df['id'][2]} \\(row 2\\) has no readable"):
        temporal.temporal_folds(bad, df["id"], 2)


def test_temporal_view_lets_run_fold_train_only_on_the_past():
    df = corpus()
    folds = pd.DataFrame(
        {"id": df["id"], "fold": temporal.temporal_folds(df["timestamp"], df["id"], 3)}
    )
    for k in range(3):
        sub, sub_folds = temporal.temporal_view(df, folds, k)
        oof, info = run_fold(sub, sub_folds, k, "logistic_regression", "with_hashtags", {}, 0)
        assert set(oof["id"]) == set(folds.loc[folds["fold"] == k, "id"])
        assert info["n_train"] == int((folds["fold"] < k).sum())  # the past only
    with pytest.raises(ValueError, match="fold -1 tests no posts"):
        temporal.temporal_view(df, folds, -1)
