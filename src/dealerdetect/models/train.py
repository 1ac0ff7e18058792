"""Training the LSTM of Figure 2 on one training fold.

"to prevent the problem of overfit, we separated the original training set into 2 parts, 70% of
the set as the training set and 30% as the validation set." The split here is a seeded,
stratified random split (Keras' ``validation_split`` would take the last 30% unshuffled).
"""

from __future__ import annotations

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


def fit_lstm(
    train: pd.DataFrame,
    variant: str,
    settings: dict,
    seed: int,
    vocab_size: int,
    validation_split: float = 0.3,
    threads: int = 1,
):
    """Fit a fresh model (the paper: "For each iteration, the model was reset").

    ``vocab_size`` is the whole dictionary's size (+2 for padding and unknown), so that words
    seen only in the test fold still have an embedding row. Returns ``(model, history)`` where
    history is a list of {epoch, loss, val_loss}.
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
    model = build_model(vocab_size, text_len, tag_len, blocks, s)
    x = inputs_for(train, blocks)
    stop = paper_stopping_callback(s.patience)
    hist = model.fit(
        [a[fit_idx] for a in x],
        y[fit_idx],
        validation_data=([a[val_idx] for a in x], y[val_idx]),
        epochs=s.epochs,
        batch_size=s.batch_size,
        shuffle=True,
        verbose=0,
        callbacks=[stop],
    )
    history = [
        {"epoch": i + 1, "loss": float(l_), "val_loss": float(v)}
        for i, (l_, v) in enumerate(
            zip(hist.history["loss"], hist.history["val_loss"], strict=True)
        )
    ]
    return model, history
