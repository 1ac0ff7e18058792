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
from sklearn.metrics import precision_recall_fscore_support, roc_auc_score

from .csvsafe import read_csv as read_safe_csv
from .models import CLASSIC_MODELS
from .models.classic import make_classifier, scores
from .stats import grouped_folds, paper_folds

PROTOCOLS = ("paper", "grouped")


def make_folds(df: pd.DataFrame, n_splits: int, seed: int, protocol: str = "paper") -> pd.DataFrame:
    """Assign each row of a variant to a test fold (0-based). Same folds for every model.

    ``paper``: shuffled K-fold over posts, as the paper. ``grouped``: stratified K-fold grouped by
    user, so no user's posts sit on both sides of a split.
    """
    try:
        if protocol == "paper":
            fold = paper_folds(df["id"], n_splits, seed)
        elif protocol == "grouped":
            fold = grouped_folds(df["id"], df["label"], df["user"], n_splits, seed)
        else:
            raise ValueError(f"unknown protocol '{protocol}' (one of {PROTOCOLS})")
    except ValueError as err:
        raise ValueError(f"cv ({protocol} protocol, {len(df)} posts): {err}") from err
    return pd.DataFrame({"id": df["id"].values, "fold": fold})


def fold_metrics(label, score, threshold: float = 0.5) -> dict:
    """Precision, recall, F1 at ``threshold`` ("larger than 0.5") and ROC AUC, as fractions."""
    label = np.asarray(label, dtype=int)
    pred = (np.asarray(score) > threshold).astype(int)
    p, r, f, _ = precision_recall_fscore_support(label, pred, average="binary", zero_division=0)
    auc = roc_auc_score(label, score) if len(np.unique(label)) == 2 else float("nan")
    tp = int(((pred == 1) & (label == 1)).sum())
    fp = int(((pred == 1) & (label == 0)).sum())
    fn = int(((pred == 0) & (label == 1)).sum())
    tn = int(((pred == 0) & (label == 0)).sum())
    return dict(
        precision=float(p),
        recall=float(r),
        f1=float(f),
        auc=float(auc),
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
        n=len(label),
        positives=int(label.sum()),
    )


def check_training_labels(label, where: str) -> None:
    """A training fold with one class cannot train a classifier: say so, naming the fold."""
    classes = np.unique(label)
    if len(classes) < 2:
        raise ValueError(
            f"{where}: the training data hold only label {classes.tolist()}; "
            "the corpus needs both dealer and non-dealer posts (fewer folds, or more data)"
        )


def predict_any(model: str, fitted, df: pd.DataFrame, variant: str) -> np.ndarray:
    """Scores in [0, 1] of a fitted classical pipeline or Keras model on a variant frame."""
    if model in CLASSIC_MODELS:
        return scores(fitted, df["text"].tolist())
    from .models.lstm import VARIANT_BLOCKS, inputs_for
    from .models.train import predict_scores

    return predict_scores(fitted, inputs_for(df, VARIANT_BLOCKS[variant]))


def run_fold(
    df: pd.DataFrame,
    folds: pd.DataFrame,
    fold: int,
    model: str,
    variant: str,
    settings: dict,
    seed: int,
    threshold: float = 0.5,
    validation_split: float = 0.3,
    threads: int = 1,
    model_path: str | Path | None = None,
    vocab_size: int | None = None,
    whole_dataset_auc: bool = False,
):
    """Train ``model`` on every fold but ``fold`` and score ``fold``.

    Returns ``(oof, info)``: out-of-fold rows (id, fold, label, score, pred) and a dict with the
    fold's metrics, timings and, for the LSTM, its per-epoch history.
    """
    assign = df["id"].map(dict(zip(folds["id"], folds["fold"], strict=True)))
    if assign.isna().any():
        raise ValueError(f"folds: {int(assign.isna().sum())} posts of {variant} have no fold")
    train, test = df[assign != fold], df[assign == fold]
    if test.empty:
        raise ValueError(f"folds: fold {fold} of {variant} is empty")
    where = f"{model}/{variant}/fold {fold}"
    check_training_labels(train["label"], where)
    t0 = time.perf_counter()
    info: dict = {
        "model": model,
        "variant": variant,
        "fold": fold,
        "n_train": len(train),
        "n_test": len(test),
    }
    if model in CLASSIC_MODELS:
        pipe = make_classifier(model, settings.get(model, {}), seed=seed, threads=threads)
        pipe.fit(train["text"].tolist(), train["label"].to_numpy())
        info["fit_seconds"] = time.perf_counter() - t0
        score = predict_any(model, pipe, test, variant)
    elif model == "lstm":
        from .models.train import fit_lstm

        if vocab_size is None:
            raise ValueError("run_fold: the LSTM needs the dictionary size (vocab_size)")
        fitted, history = fit_lstm(
            train,
            variant,
            settings,
            seed=seed + fold,
            vocab_size=vocab_size,
            validation_split=validation_split,
            threads=threads,
        )
        info["fit_seconds"] = time.perf_counter() - t0
        info["history"] = history
        score = predict_any(model, fitted, test, variant)
        if model_path is not None:
            Path(model_path).parent.mkdir(parents=True, exist_ok=True)
            fitted.save(model_path)
    else:
        raise ValueError(f"models.run: unknown model '{model}'")
    if whole_dataset_auc:
        # The paper: "When calculating the AUC, we used the whole dataset rather than the
        # cross-validation" -- the authors' script scores every post with the last fold's model.
        whole = predict_any(model, pipe if model in CLASSIC_MODELS else fitted, df, variant)
        info["auc_whole_dataset"] = fold_metrics(df["label"], whole, threshold)["auc"]
    score = np.asarray(score, dtype=float)
    oof = pd.DataFrame(
        {
            "id": test["id"].values,
            "fold": fold,
            "label": test["label"].values,
            "score": score,
            "pred": (score > threshold).astype(int),
        }
    )
    info.update(fold_metrics(oof["label"], oof["score"], threshold))
    info["seconds"] = time.perf_counter() - t0
    return oof, info


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
    fold: int,
    models_cfg: dict,
    cv_cfg: dict,
    seed: int,
    threads: int,
    outputs,
) -> dict:
    """One Snakemake evaluation job: read inputs, run the fold, write OOF rows and info."""
    import json

    df = pd.read_parquet(variant_path)
    folds = read_safe_csv(folds_path, dtype={"id": str})
    vocab_size = None
    if vocabulary_path:
        with open(vocabulary_path, encoding="utf-8") as fh:
            vocab_size = int(json.load(fh)["size"])
    oof, info = run_fold(
        df,
        folds,
        fold,
        model,
        variant,
        models_cfg,
        seed,
        threshold=cv_cfg["threshold"],
        validation_split=cv_cfg["validation_split"],
        threads=threads,
        model_path=outputs.get("model"),
        vocab_size=vocab_size,
        whole_dataset_auc=fold == int(cv_cfg["folds"]) - 1,
    )
    oof.insert(0, "variant", variant)
    oof.insert(1, "model", model)
    oof.to_parquet(outputs.oof, index=False)
    with open(outputs.info, "w", encoding="utf-8") as fh:
        json.dump(info, fh, indent=1)
    return info


def aggregate(info_paths, outputs) -> None:
    """Collect every fold of a protocol: per-fold metrics, OOF predictions, LSTM history, scores."""
    import json

    infos, oofs, history = [], [], []
    for path in info_paths:
        with open(path, encoding="utf-8") as fh:
            info = json.load(fh)
        for h in info.pop("history", []) or []:
            history.append({"variant": info["variant"], "fold": info["fold"], **h})
        infos.append(info)
        oofs.append(pd.read_parquet(str(path).removesuffix(".json") + ".parquet"))
    pd.DataFrame(infos).to_csv(outputs.folds, index=False)
    pd.concat(oofs, ignore_index=True).to_parquet(outputs.oof, index=False)
    pd.DataFrame(
        history, columns=["variant", "fold", "epoch", "loss", "val_loss", "seconds"]
    ).to_csv(outputs.history, index=False)
    summarize_folds(infos).to_csv(outputs.scores, index=False)
