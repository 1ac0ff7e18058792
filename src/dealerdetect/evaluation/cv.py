"""Model Evaluation: folds, one fold's fit and prediction, per-fold metrics, aggregation.

"We shuffled each dataset [...] randomly and separated them into 10 folders—9 of them are the
training set (in the deep learning model we used 70% as the training set and 30% as the
validation set) and the rest are the test set [...]. After we finished all iterations, we could
calculate the average score for each model."
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from dealerdetect.errors import InputValueError
from dealerdetect.evaluation import stats
from dealerdetect.evaluation.stats import grouped_folds, paper_folds
from dealerdetect.evaluation.temporal import temporal_folds, temporal_view
from dealerdetect.models.interface import make_model
from dealerdetect.privacy.csvsafe import read_csv as read_safe_csv
from dealerdetect.study import registry
from dealerdetect.study.registry import PROTOCOLS


def make_folds(df: pd.DataFrame, n_splits: int, seed: int, protocol: str = "paper") -> pd.DataFrame:
    """Assign each row of a variant to a test fold (0-based). Same folds for every model.

    ``paper``: shuffled K-fold over posts, as the paper. ``grouped``: stratified K-fold grouped by
    user, so no user's posts sit on both sides of a split. ``operation``: the same, grouped by
    the ``operation`` column (accounts linked by a contact detail or pasted text). ``temporal``: K+1 time blocks, fold k
    trained on the blocks before it (the earliest block, fold -1, is never tested); needs a
    ``timestamp`` column.
    """
    try:
        if protocol == "paper":
            fold = paper_folds(df["id"], n_splits, seed)
        elif protocol == "grouped":
            fold = grouped_folds(df["id"], df["label"], df["user"], n_splits, seed)
        elif protocol == "operation":
            if "operation" not in df or df["operation"].isna().any():
                raise InputValueError(
                    "every post needs its operation (results/accounts/members.csv)"
                )
            fold = grouped_folds(df["id"], df["label"], df["operation"], n_splits, seed)
        elif protocol == "temporal":
            fold = temporal_folds(df["timestamp"], df["id"], n_splits)
        else:
            raise InputValueError(f"unknown protocol '{protocol}' (one of {PROTOCOLS})")
    except ValueError as err:
        raise InputValueError(f"cv ({protocol} protocol, {len(df)} posts): {err}") from err
    return pd.DataFrame({"id": df["id"].values, "fold": fold})


def fold_metrics(label, score, threshold: float = 0.5) -> dict:
    """Precision, recall, F1 at ``threshold`` ("larger than 0.5") and ROC AUC, as fractions."""
    label = np.asarray(label, dtype=int)
    pred = (np.asarray(score) > threshold).astype(int)
    counts = stats.confusion(label, pred)
    p, r, f = stats.prf(counts["tp"], counts["fp"], counts["fn"])
    return dict(
        precision=p,
        recall=r,
        f1=f,
        auc=auc(label, score),
        **counts,
        n=len(label),
        positives=int(label.sum()),
    )


def auc(label, score) -> float:
    """ROC AUC, NaN where the rows hold one class only."""
    label = np.asarray(label, dtype=int)
    return float(roc_auc_score(label, score)) if len(np.unique(label)) == 2 else float("nan")


def check_training_labels(label, where: str) -> None:
    """A training fold with one class cannot train a classifier: say so, naming the fold."""
    classes = np.unique(label)
    if len(classes) < 2:
        raise InputValueError(
            f"{where}: the training data hold only label {classes.tolist()}; "
            "the corpus needs both dealer and non-dealer posts (fewer folds, or more data)"
        )


def run_fold(*args, **kwargs):
    """Train ``model`` (with its own ``settings``) on every fold but ``fold`` and score ``fold``;
    the arguments are :func:`fit_fold`'s.

    Returns ``(oof, info)``: out-of-fold rows (id, fold, label, score) and a dict with the
    fold's sizes, timings and, for the LSTM, its per-epoch history. With a ``threshold``, the rows
    also get ``pred`` and the info the fold's metrics (:func:`score_fold`); the workflow leaves
    that to the aggregation, so that a new threshold retrains nothing.
    """
    oof, info, _ = fit_fold(*args, **kwargs)
    return oof, info


def fit_fold(
    df: pd.DataFrame,
    folds: pd.DataFrame,
    fold: int,
    model: str,
    variant: str,
    settings: dict,
    seed: int,
    threshold: float | None = 0.5,
    validation_split: float = 0.3,
    threads: int = 1,
    model_path: str | Path | None = None,
    vocab_size: int | None = None,
    whole_dataset_auc: bool = False,
    reuse=None,
):
    """One fold: returns ``(oof, info, fitted)`` (see :func:`run_fold`). The fitted model may be
    passed back as ``reuse`` for the next fold of the same job (the LSTM keeps its traced graph;
    the result is the same)."""
    assign = df["id"].map(dict(zip(folds["id"], folds["fold"], strict=True)))
    if assign.isna().any():
        raise InputValueError(f"folds: {int(assign.isna().sum())} posts of {variant} have no fold")
    train, test = df[assign != fold], df[assign == fold]
    if test.empty:
        raise InputValueError(f"folds: fold {fold} of {variant} is empty")
    check_training_labels(train["label"], f"{model}/{variant}/fold {fold}")
    t0 = time.perf_counter()
    info: dict = {
        "model": model,
        "variant": variant,
        "fold": fold,
        "n_train": len(train),
        "n_test": len(test),
    }
    # The LSTM of each fold gets its own seed (seed + fold); the classical models share one.
    lstm = registry.model(model).kind == "lstm"
    fitted = make_model(
        model,
        variant,
        settings,
        seed=seed + fold if lstm else seed,
        threads=threads,
        vocab_size=vocab_size,
        validation_split=validation_split,
    ).fit(train, reuse=reuse)
    info["fit_seconds"] = time.perf_counter() - t0
    if fitted.history is not None:
        info["history"] = fitted.history
    score = fitted.score(test)
    if model_path is not None:
        Path(model_path).parent.mkdir(parents=True, exist_ok=True)
        fitted.keras.save(model_path)
    if whole_dataset_auc:
        # The paper: "When calculating the AUC, we used the whole dataset rather than the
        # cross-validation" -- the authors' script scores every post with the last fold's model.
        info["auc_whole_dataset"] = auc(df["label"], fitted.score(df))
    oof = pd.DataFrame(
        {"id": test["id"].values, "fold": fold, "label": test["label"].values, "score": score}
    )
    info["seconds"] = time.perf_counter() - t0
    if threshold is not None:
        oof, info = score_fold(oof, info, threshold)
    return oof, info, fitted


def score_fold(oof: pd.DataFrame, info: dict, threshold: float) -> tuple[pd.DataFrame, dict]:
    """A fold's predictions at ``threshold`` (``pred``) and its metrics added to its info."""
    oof = oof.assign(pred=(oof["score"].to_numpy() > threshold).astype(int))
    return oof, {**info, **fold_metrics(oof["label"], oof["score"], threshold)}


def summarize_folds(infos: list[dict]) -> pd.DataFrame:
    """Per model and variant: the mean of the per-fold scores, as the paper averages them.

    Scores are percent. AUC is the mean of the per-fold AUCs (the paper's whole-dataset AUC is
    optimistic; see the reproduction notes).
    """
    df = pd.DataFrame(infos)
    out = (
        df.groupby(["variant", "model"], sort=False)[["precision", "recall", "f1", "auc"]].mean()
        * 100
    ).reset_index()
    out["folds"] = df.groupby(["variant", "model"], sort=False).size().values
    return out


def evaluate_job(
    variant_path,
    folds_path,
    vocabulary_path,
    model: str,
    variant: str,
    folds: list[int],
    settings: dict,
    seed: int,
    threads: int,
    oof_path,
    info_path,
    model_dir=None,
    validation_split: float | None = None,
    auc_fold: int | None = None,
    protocol: str = "paper",
) -> list[dict]:
    """One evaluation job: read its inputs, run each of its ``folds``, write their OOF rows (one
    parquet) and infos (one JSON: ``{"folds": [info, ...]}``).

    Several folds share one process so that the imports and, for the LSTM, the traced graph are
    paid once per job instead of once per fold (``cv.folds_per_job``; docs/performance.md).
    ``settings`` are the model's own (``models.<model>``); ``validation_split`` matters to the
    LSTM only; the model of ``auc_fold`` (the last fold) also scores every post (the paper-style
    AUC). ``model_dir`` (LSTM) receives each fold's model as ``fold<k>.keras``. Scores only: the
    threshold is applied by :func:`aggregate`.
    """
    import json

    data = pd.read_parquet(variant_path)
    assignment = read_safe_csv(folds_path, dtype={"id": str})
    vocab_size = None
    if vocabulary_path:
        with open(vocabulary_path, encoding="utf-8") as fh:
            vocab_size = int(json.load(fh)["size"])
    if model_dir is not None:
        Path(model_dir).mkdir(parents=True, exist_ok=True)
    oofs, infos, fitted = [], [], None
    for fold in folds:
        df, fold_of = data, assignment
        if protocol == "temporal":
            # Train on the past only: the posts of the blocks before this fold.
            df, fold_of = temporal_view(data, assignment, fold)
        oof, info, fitted = fit_fold(
            df,
            fold_of,
            fold,
            model,
            variant,
            settings,
            seed,
            threshold=None,
            validation_split=validation_split,
            threads=threads,
            model_path=None if model_dir is None else Path(model_dir) / f"fold{fold}.keras",
            vocab_size=vocab_size,
            whole_dataset_auc=fold == auc_fold,
            reuse=fitted,
        )
        oofs.append(oof)
        infos.append(info)
    oof = pd.concat(oofs, ignore_index=True)
    oof.insert(0, "variant", variant)
    oof.insert(1, "model", model)
    oof.to_parquet(oof_path, index=False)
    with open(info_path, "w", encoding="utf-8") as fh:
        json.dump({"folds": infos}, fh, indent=1)
    return infos


def aggregate(
    info_paths, oof_paths, threshold: float, scores_path, folds_path, oof_out, history_path
) -> None:
    """Collect every fold of a protocol: predictions at ``threshold``, per-fold metrics, the
    OOF rows, the LSTM history, and the mean scores.

    ``info_paths`` and ``oof_paths`` are the evaluation jobs' JSON and parquet outputs, in the
    same order (job by job; a job holds one or more folds).
    """
    import json

    infos, oofs, history = [], [], []
    for info_path, oof_path in zip(info_paths, oof_paths, strict=True):
        with open(info_path, encoding="utf-8") as fh:
            job_infos = json.load(fh)["folds"]
        job_oof = pd.read_parquet(oof_path)
        for info in job_infos:
            for h in info.pop("history", []) or []:
                history.append({"variant": info["variant"], "fold": info["fold"], **h})
            rows = job_oof[job_oof["fold"] == info["fold"]].reset_index(drop=True)
            oof, info = score_fold(rows, info, threshold)
            infos.append(info)
            oofs.append(oof)
    from dealerdetect.evaluation.diagnostics import flag_collapsed

    # A fold that never left the class prior is flagged, never averaged in silently.
    flag_collapsed(pd.DataFrame(infos)).to_csv(folds_path, index=False)
    pd.concat(oofs, ignore_index=True).to_parquet(oof_out, index=False)
    pd.DataFrame(
        history, columns=["variant", "fold", "epoch", "loss", "val_loss", "seconds"]
    ).to_csv(history_path, index=False)
    summarize_folds(infos).to_csv(scores_path, index=False)
