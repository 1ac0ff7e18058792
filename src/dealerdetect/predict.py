"""Final models (trained on every labelled post of a variant) and scoring of new posts.

A saved model folder (``models.bundle``) holds what scoring needs and nothing personal: the
fitted model, the dictionary (LSTM), and ``meta.json`` with the variant, preprocessing settings,
threshold and checksums. Training and scoring go through the same model interface and the same
feature path (``preprocessing.featurize``).
"""

from __future__ import annotations

import itertools
import json
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from dealerdetect.preprocessing.steps import PARALLEL_MIN_POSTS, featurize, prepare_posts
from dealerdetect.stopwords import load_stopwords
from dealerdetect.study import registry

from .models.bundle import load_bundle, save_bundle
from .models.interface import make_model

__all__ = ["Scorer", "train_final"]


def train_final(
    variant_path,
    vocabulary_path,
    model: str,
    variant: str,
    settings: dict,
    preprocessing: dict,
    threshold: float,
    seed: int,
    validation_split: float | None,
    threads: int,
    out_dir,
    source: str = "unknown",
    phone_regions=None,
) -> Path:
    """Fit ``model`` (with its own ``settings``) on the whole variant and save it as a bundle."""
    df = pd.read_parquet(variant_path)
    vocab = json.loads(Path(vocabulary_path).read_text(encoding="utf-8"))
    fitted = make_model(
        model,
        variant,
        settings,
        seed=seed,
        threads=threads,
        vocab_size=int(vocab["size"]),
        validation_split=validation_split,
    ).fit(df)
    meta = {
        "threshold": threshold,
        "preprocessing": preprocessing,
        "corpus_source": source,
        # Scoring redacts captions as label_corpus did before training.
        "phone_regions": None if phone_regions is None else list(phone_regions),
        "trained_on": int(len(df)),
        "dealer_posts": int(df["label"].sum()),
    }
    return save_bundle(
        fitted, out_dir, meta, vocabulary=vocab if fitted.spec.kind == "lstm" else None
    )


class Scorer:
    """A saved final model, checked and ready to score captions."""

    def __init__(self, model_dir: str | Path):
        self.dir = Path(model_dir)
        self.model, self.meta, self.vocab = load_bundle(self.dir)
        self.variant = registry.variant(self.meta["variant"])
        self.kind = self.model.spec.kind

    def warnings(self) -> list[str]:
        """What a user must know before trusting the scores."""
        out = []
        if self.meta.get("corpus_source") == "simulated":
            out.append(
                f"{self.dir}: this model was trained on the embedded SIMULATED corpus. It "
                "demonstrates the pipeline and is not a detector: on real posts it misses most "
                "drug promotions and flags unrelated posts. Train on real labelled posts first."
            )
        return out

    def metadata(self, threshold: float | None = None) -> dict:
        """What scored the posts, for the output's sidecar file."""
        keys = ("model", "variant", "corpus_source", "trained_on", "dealer_posts", "seed")
        return {
            **{k: self.meta.get(k) for k in keys},
            "threshold": self.meta["threshold"] if threshold is None else threshold,
            "model_dir": str(self.dir),
            "warnings": self.warnings(),
        }

    def features(self, captions: list[str], jobs: int = 1, prepared=None) -> pd.DataFrame:
        """The variant's inputs for each caption, built exactly as for the training posts."""
        return featurize(
            captions,
            self.variant.name,
            self.meta["preprocessing"],
            self.vocab,
            phone_regions=self.meta.get("phone_regions"),
            jobs=jobs,
            prepared=prepared,
        )

    def score(
        self, captions: list[str], threshold: float | None = None, jobs: int = 1
    ) -> pd.DataFrame:
        """Per caption: probability and label at the threshold, or why it was not scored, and
        the kinds of contact detail found. ``jobs``: processes that redact and clean a large
        batch (the scores are the same whatever ``jobs``)."""
        threshold = self.meta["threshold"] if threshold is None else threshold
        sw = load_stopwords(self.meta["preprocessing"].get("stopwords", "english"))
        regions = self.meta.get("phone_regions")
        prepared = prepare_posts(list(captions), sw, regions, kinds=True, jobs=jobs)
        feats = self.features(captions, prepared=prepared)
        scorable = feats["text"].str.len() > 0
        out = pd.DataFrame(
            {"probability": np.nan, "label": pd.NA, "status": "scored"}, index=feats.index
        )
        out.loc[~scorable, "status"] = f"not scored: no {self.variant.unit} left after cleaning"
        if scorable.any():
            p = self.model.score(feats[scorable])
            out.loc[scorable, "probability"] = p
            out.loc[scorable, "label"] = (p > threshold).astype(int)
        out["contacts"] = [kinds for _toks, _lang, kinds in prepared]
        return out


# A worker scores this many posts at a time, and each worker has at most this many batches
# waiting: enough to keep every core busy, few enough that memory stays bounded by
# jobs * IN_FLIGHT * BATCH_POSTS posts whatever the input's size.
BATCH_POSTS = 2000
IN_FLIGHT = 2

# The scorer of a scoring process (set before the fork, so the loaded model is shared).
_WORKER_SCORER: list = []


def _score_in_worker(args):
    captions, threshold = args
    return _WORKER_SCORER[0].score(captions, threshold)


def _batches(frames: Iterable[pd.DataFrame], size: int) -> Iterator[pd.DataFrame]:
    for frame in frames:
        for start in range(0, len(frame), size):
            yield frame.iloc[start : start + size]


def score_batches(
    scorer: Scorer, frames: Iterable[pd.DataFrame], threshold: float | None = None, jobs: int = 1
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """``(posts, scores)`` for the frames of new posts (columns id, caption), in order, the
    scores indexed as the posts. With ``jobs`` > 1 and a first frame of ``PARALLEL_MIN_POSTS``
    posts or more, one pool of ``jobs`` forked processes scores batches of ``BATCH_POSTS``
    posts for the whole run (a scikit-learn model in the processes; an LSTM's posts are
    prepared there and scored here, since TensorFlow is not safe after a fork). The scores are
    those of :meth:`Scorer.score` on all the posts at once, whatever ``jobs``."""
    import multiprocessing as mp

    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        return
    rest = itertools.chain([first], frames)
    if jobs <= 1 or len(first) < PARALLEL_MIN_POSTS or "fork" not in mp.get_all_start_methods():
        for posts in rest:
            yield posts, scorer.score(posts["caption"].tolist(), threshold).set_index(posts.index)
        return
    if scorer.kind == "lstm":
        for posts in rest:
            scores = scorer.score(posts["caption"].tolist(), threshold, jobs=jobs)
            yield posts, scores.set_index(posts.index)
        return
    _WORKER_SCORER[:] = [scorer]
    try:
        with mp.get_context("fork").Pool(jobs) as pool:
            pending: deque = deque()
            for posts in _batches(rest, BATCH_POSTS):
                task = (posts["caption"].tolist(), threshold)
                pending.append((posts, pool.apply_async(_score_in_worker, (task,))))
                if len(pending) >= jobs * IN_FLIGHT:
                    done, result = pending.popleft()
                    yield done, result.get().set_index(done.index)
            while pending:
                done, result = pending.popleft()
                yield done, result.get().set_index(done.index)
    finally:
        _WORKER_SCORER.clear()
