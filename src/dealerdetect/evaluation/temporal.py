"""The temporal protocol: train on earlier posts, test on later ones.

A deployed model meets posts from after its training data. This protocol asks how well a
model trained on the start of the collection window scores what came after, in the order the
window gives (post timestamps; equal timestamps by post id, so the order is reproducible).

Design: forward chaining with an expanding window (scikit-learn's ``TimeSeriesSplit``). The
posts, in time order, are cut into ``n_splits + 1`` consecutive blocks; test fold ``k``
(0-based) is block ``k + 1`` and trains on every earlier block. The first block is training
data only, never tested: its fold is ``NEVER_TESTED`` (-1). So there are ``n_splits`` test
folds, numbered like the other protocols', and every post but the first block's gets one
out-of-fold score.

``run_fold`` trains on every fold but ``k``, which here would train on the future. Run it on
``temporal_view(df, folds, k)``: only the posts up to block ``k + 1``, so "every fold but k" is
exactly "every earlier block". Posts of the first block have no out-of-fold row; compare
protocols on the posts both scored (paired statistics need the same posts).

Unlike the grouped protocol this does not keep a user on one side: a dealer active across the
window is in both. It measures drift over the window, not generalisation to new accounts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit

from dealerdetect.errors import InputValueError

NEVER_TESTED = -1


def time_order(timestamps, ids) -> np.ndarray:
    """Row indexes from earliest to latest; equal timestamps by id."""
    ts = pd.to_datetime(pd.Series(timestamps), utc=True, errors="coerce")
    ids = np.asarray(ids, dtype=str)
    if len(ts) != len(ids):
        raise InputValueError(f"temporal: {len(ts)} timestamps but {len(ids)} ids")
    if ts.isna().any():
        i = int(np.flatnonzero(ts.isna())[0])
        raise InputValueError(f"temporal: post {ids[i]} (row {i}) has no readable timestamp")
    return np.lexsort((ids, ts.to_numpy(dtype="datetime64[ns]")))


def temporal_folds(timestamps, ids, n_splits: int) -> np.ndarray:
    """Fold per row: ``NEVER_TESTED`` for the earliest block, else 0..n_splits-1 in time order.

    Blocks are equal in posts (``TimeSeriesSplit``: the first, training-only block takes the
    remainder), not in days, so each test fold has the same size however posting rates vary.
    """
    if n_splits < 2:
        raise InputValueError(f"temporal: n_splits must be at least 2, got {n_splits}")
    n = len(ids)
    if n < n_splits + 1:
        raise InputValueError(
            f"temporal: cannot make {n_splits} test folds and a training block from {n} posts"
        )
    order = time_order(timestamps, ids)
    folds = np.full(n, NEVER_TESTED, dtype=int)
    for k, (_, test) in enumerate(TimeSeriesSplit(n_splits=n_splits).split(order)):
        folds[order[test]] = k
    return folds


def temporal_splits(folds) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """``(k, train_rows, test_rows)`` per test fold: train on every earlier block."""
    folds = np.asarray(folds, dtype=int)
    tested = sorted(set(folds.tolist()) - {NEVER_TESTED})
    return [(k, np.flatnonzero(folds < k), np.flatnonzero(folds == k)) for k in tested]


def temporal_view(df: pd.DataFrame, folds: pd.DataFrame, k: int):
    """``(df, folds)`` cut to the posts up to test fold ``k``, for ``run_fold(..., fold=k)``.

    ``folds`` has columns id, fold as from ``temporal_folds``.
    """
    fold_of = df["id"].map(dict(zip(folds["id"], folds["fold"], strict=True)))
    if fold_of.isna().any():
        raise InputValueError(f"temporal: {int(fold_of.isna().sum())} posts have no fold")
    if k == NEVER_TESTED or not (fold_of == k).any():
        raise InputValueError(f"temporal: fold {k} tests no posts")
    keep = (fold_of <= k).to_numpy()
    ids = set(df.loc[keep, "id"])
    return df[keep], folds[folds["id"].isin(ids)]
