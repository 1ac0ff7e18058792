"""Training the LSTM of Figure 2 on one training fold.

"to prevent the problem of overfit, we separated the original training set into 2 parts, 70% of
the set as the training set and 30% as the validation set." The split here is a seeded,
stratified random split (Keras' ``validation_split`` would take the last 30% unshuffled).

Trimmed batches (``trim_padding``, the cpu preset): the indexes are post-padded to 50 and 15, but
the median text has 8 real tokens, so most recurrent steps would run over padding. With the mask,
a padded step only carries the state forward, so cutting a batch's trailing columns that are
padding in every row gives the same outputs (tested). Batches are therefore formed from posts of
similar length (shuffled, sorted by length within chunks, batch order shuffled) and cut to their
longest post. This changes which posts share a batch, not the model or the loss.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from .lstm import (
    VARIANT_BLOCKS,
    LSTMSettings,
    build_model,
    configure_threads,
    inputs_for,
    paper_stopping_callback,
)

log = logging.getLogger(__name__)

CHUNK_BATCHES = 8  # batches per sorted chunk: small enough that batch order stays random
# Rows per batch when only scoring (validation loss, test fold, whole corpus): no gradient, so a
# larger batch only means fewer recurrent loops; the validation loss is a mean over rows whatever
# the batch, so the stopping rule sees the same numbers.
SCORE_BATCH = 2048


def real_lengths(a: np.ndarray) -> np.ndarray:
    """Per row, one past the last non-padding index (0 for a row of padding only)."""
    nonzero = a != 0
    return np.where(nonzero.any(axis=1), a.shape[1] - np.argmax(nonzero[:, ::-1], axis=1), 0)


def trim(arrays: list[np.ndarray]) -> list[np.ndarray]:
    """Each input cut to its longest non-padding column (at least one column)."""
    return [a[:, : max(1, int(real_lengths(a).max(initial=0)))] for a in arrays]


def length_batches(lengths: np.ndarray, batch_size: int, rng: np.random.Generator):
    """Index batches covering every row once: shuffled, sorted by length within chunks of
    ``CHUNK_BATCHES`` batches, batch order shuffled."""
    order = rng.permutation(len(lengths))
    chunk = batch_size * CHUNK_BATCHES
    batches = []
    for start in range(0, len(order), chunk):
        part = order[start : start + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        batches.extend(part[i : i + batch_size] for i in range(0, len(part), batch_size))
    return [batches[i] for i in rng.permutation(len(batches))]


def length_order(x: list[np.ndarray]) -> np.ndarray:
    """Row order by the longest of a row's inputs, then by their total length.

    A trimmed batch costs its longest text plus its longest hashtag block in recurrent steps.
    Ordered by the text alone, the hashtag blocks of a batch stayed unsorted and nearly always
    ran all 15 steps; ordered by the longer of the two, a with_hashtags epoch takes ~15% fewer
    steps (measured on the default corpus: 364 against 430). One input: its length, as before.
    """
    lengths = [real_lengths(a) for a in x]
    return np.lexsort([sum(lengths), np.maximum.reduce(lengths)])


def trimmed_dataset(x: list[np.ndarray], y: np.ndarray, batch_size: int, seed: int, shuffle: bool):
    """A tf.data pipeline of trimmed batches; reshuffled on each pass (each epoch) if ``shuffle``,
    else in :func:`length_order`."""
    import tensorflow as tf

    key = length_order(x)
    rank = np.empty(len(key), dtype=np.int64)
    rank[key] = np.arange(len(key))
    rng = np.random.default_rng(seed)

    def batches():
        idx_batches = (
            length_batches(rank, batch_size, rng)
            if shuffle
            else [key[i : i + batch_size] for i in range(0, len(key), batch_size)]
        )
        for b in idx_batches:
            yield tuple(trim([a[b] for a in x])), y[b]

    spec = tuple(tf.TensorSpec((None, None), tf.int32) for _ in x)
    dataset = tf.data.Dataset.from_generator(
        batches, output_signature=(spec, tf.TensorSpec((None,), tf.float32))
    )
    # Chunks are whole multiples of the batch, so there are ceil(n / batch) batches; saying so
    # lets Keras know the epoch length instead of running into the end of the data.
    return dataset.apply(tf.data.experimental.assert_cardinality(-(-len(y) // batch_size)))


def output_bias_for(y: np.ndarray) -> float:
    """The log-odds of the positive class in ``y`` (clipped so a one-class fold stays finite)."""
    p = float(np.clip(np.mean(y), 1e-3, 1 - 1e-3))
    return float(np.log(p / (1 - p)))


def init_output_bias(model, y: np.ndarray, s: LSTMSettings) -> None:
    """With ``output_bias: prior``, start dense_4's bias at the training labels' log-odds.

    With Keras' zero bias the untrained model scores ~0.5 on a corpus with ~10% dealer posts,
    and its first steps push the sigmoid dense units into saturation to lower every score at
    once, which can leave a fold at the class prior for most of its epochs (measured, see
    docs/reproduction.md). Starting at the prior is the usual initialisation for an imbalanced
    binary output: Lin et al., "Focal Loss for Dense Object Detection" (ICCV 2017), sec. 4.1
    "Initialization"; TensorFlow's tutorial "Classification on imbalanced data"
    (tensorflow.org/tutorials/structured_data/imbalanced_data, "Set the correct initial bias").
    """
    if s.output_bias == "prior":
        model.get_layer("dense_4").bias.assign([output_bias_for(y)])


def predict_scores(model, x: list[np.ndarray], batch_size: int = SCORE_BATCH) -> np.ndarray:
    """The model's scores for the rows of ``x``, in row order.

    A model built for trimmed batches (inputs of unknown length, hence masked) scores the rows in
    :func:`length_order`, each batch cut to its longest post: the same scores (tested), without
    running the recurrent loop over padding.
    """
    if not all(inp.shape[1] is None for inp in model.inputs):
        return model.predict(x, batch_size=batch_size, verbose=0).ravel()
    order = length_order(x)
    data = trimmed_dataset(x, np.zeros(len(order), "float32"), batch_size, 0, shuffle=False)
    scores = np.empty(len(order), dtype="float32")
    scores[order] = model.predict(data, verbose=0).ravel()
    return scores


def epoch_clock():
    """A callback recording each epoch's wall seconds (training + validation pass) and logging
    one line per epoch (Keras' own progress output is off: it would go to the console)."""
    import time

    import keras

    class EpochClock(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds: list[float] = []

        def on_epoch_begin(self, epoch, logs=None):
            self._t = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(round(time.perf_counter() - self._t, 3))
            logs = logs or {}
            log.info(
                "epoch %d loss %.4f val_loss %.4f seconds %.1f",
                epoch + 1,
                logs.get("loss", float("nan")),
                logs.get("val_loss", float("nan")),
                self.seconds[-1],
            )

    return EpochClock()


def same_graph(a, b) -> bool:
    """Whether two models have the same layers, variable shapes and optimizer settings (Keras
    numbers the names of seed generators and optimizers per process: ``adam_1/...``)."""

    def layout(variables):
        return [(re.sub(r"_\d+(?=/)", "", v.path), tuple(v.shape)) for v in variables]

    def settings(opt):
        return {k: v for k, v in opt.get_config().items() if k != "name"}

    return (
        layout(a.variables) == layout(b.variables)
        and layout(a.optimizer.variables) == layout(b.optimizer.variables)
        and settings(a.optimizer) == settings(b.optimizer)
    )


def reset_to(model, fresh):
    """``model`` with every variable set to ``fresh``'s: weights, the dropout layers' seed
    states, and Adam's step count and moments. ``fresh`` was just built under the fold's seed,
    so the reused model starts where a new process would have started (tested: same losses and
    scores), and keeps its traced functions."""
    for own, new in zip(model.variables, fresh.variables, strict=True):
        own.assign(new.value)
    for own, new in zip(model.optimizer.variables, fresh.optimizer.variables, strict=True):
        own.assign(new.value)
    return model


def fit_lstm(
    train: pd.DataFrame,
    variant: str,
    settings: dict,
    seed: int,
    vocab_size: int,
    validation_split: float = 0.3,
    threads: int = 1,
    reuse=None,
):
    """Fit a fresh model (the paper: "For each iteration, the model was reset").

    ``vocab_size`` is the whole dictionary's size (+2 for padding and unknown), so that words
    seen only in the test fold still have an embedding row. Returns ``(model, history)`` where
    history is a list of {epoch, loss, val_loss, seconds}.

    ``reuse``: a model this function returned for another fold of the same variant and settings.
    It is reset to exactly the state a fresh model would start from (:func:`reset_to`) and
    trained again, so its traced train, test and predict steps are kept: tracing costs 6-10 s
    of CPU per fold, the fit itself 10-40 s (docs/performance.md).
    """
    configure_threads(threads)
    import keras

    keras.utils.set_random_seed(seed)
    s = LSTMSettings.from_config(settings.get("lstm", {}))
    y = train["label"].to_numpy(dtype="float32")
    strat = y if min(np.bincount(y.astype(int), minlength=2)) >= 2 else None
    fit_idx, val_idx = train_test_split(
        np.arange(len(train)), test_size=validation_split, random_state=seed, stratify=strat
    )
    blocks = VARIANT_BLOCKS[variant]
    text_len = len(train["text_idx"].iloc[0])
    tag_len = len(train["tag_idx"].iloc[0])
    pic_len = len(train["pic_idx"].iloc[0]) if "pic_idx" in train else 30
    model = build_model(vocab_size, text_len, tag_len, blocks, s, pic_len)
    if reuse is not None and same_graph(reuse, model):
        model = reset_to(reuse, model)
    init_output_bias(model, y[fit_idx], s)
    x = inputs_for(train, blocks)
    stop = paper_stopping_callback(s.patience, s.restore_best)
    x_fit, y_fit = [a[fit_idx] for a in x], y[fit_idx]
    x_val, y_val = [a[val_idx] for a in x], y[val_idx]
    if s.trim_padding:
        data = dict(
            x=trimmed_dataset(x_fit, y_fit, s.batch_size, seed, shuffle=True),
            validation_data=trimmed_dataset(
                x_val, y_val, max(s.batch_size, SCORE_BATCH), seed, shuffle=False
            ),
            shuffle=False,  # the dataset reshuffles its batches itself, each epoch
        )
    else:
        data = dict(
            x=x_fit, y=y_fit, validation_data=(x_val, y_val), batch_size=s.batch_size, shuffle=True
        )
    clock = epoch_clock()
    hist = model.fit(**data, epochs=s.epochs, verbose=0, callbacks=[stop, clock])
    # "kept": the epoch whose weights the returned model has (the last, or with restore_best
    # the one with the lowest validation loss).
    history = [
        {
            "epoch": i + 1,
            "loss": float(l_),
            "val_loss": float(v),
            "seconds": t,
            "kept": i + 1 == stop.kept_epoch,
        }
        for i, (l_, v, t) in enumerate(
            zip(hist.history["loss"], hist.history["val_loss"], clock.seconds, strict=True)
        )
    ]
    return model, history
