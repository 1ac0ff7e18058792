"""The two-branch LSTM of Figure 2 and the paper's early-stopping rule.

Figure 2: "Embedding layer: input_dim is 29,832 [...] the output_dim is 400. Long short-term
memory layer: contains 800 units, with dropout=0.2, recurrent_dropout=0.2. Dense layer 1: unit=200,
activation=sigmoid. Dense layer 2 [...] Dense layer 3 [...] Dense layer 4: unit=1,
activation=sigmoid. Optimizer: Adam (learning rate set at 0.0001). Loss: Binary_crossentropy."
Dense 1 closes the text block, dense 2 the hashtag block; the two vectors are merged and dense 3
and 4 give the prediction ("we then merged these 2 vectors together and used another 2 FCNs").
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from dealerdetect.study import registry
from dealerdetect.study.runlog import quiet_tensorflow

PRESETS: dict[str, dict] = {
    # Figure 2 exactly; the batch size is not given in the paper (Keras' default, 32), nor the
    # initialisation (Keras' defaults, so the output bias starts at zero).
    "paper": dict(
        embedding_dim=400, lstm_units=800, dense_units=200, learning_rate=1e-4, batch_size=32
    ),
    # The same graph with a narrow embedding and LSTM, so it runs on a 2-core laptop. Large
    # batches cut the per-step overhead of the recurrent loop (measured 17.7 s vs 4.5 s an epoch
    # at 32 vs 256); masking the zero padding lets the narrow layers learn short texts, which
    # otherwise stalled at the prior (no_hashtags fold 3: F1 0.00 unmasked, 0.79 masked). See
    # docs/performance-history.md.
    "cpu": dict(
        embedding_dim=32,
        lstm_units=32,
        # Figure 2's own width. The sigmoid dense stack was the bottleneck at 16 units: 200
        # lowers the validation loss on every variant of both corpora checked, and the stopping
        # rule fires after about half the epochs (docs/performance.md, sixth round).
        dense_units=200,
        learning_rate=3e-3,
        batch_size=512,
        mask_padding=True,
        trim_padding=True,
        # Start the output at the training prior, not 0.5: with Keras' zero bias a fold could sit
        # at the prior for 25 of 30 epochs (hashtags_only fold 3: F1 0.00; 0.79 with it).
        output_bias="prior",
        # Score the weights of the epoch with the lowest validation loss. The paper's rule stops
        # when the newest loss is the worst of the last five, so the last weights are by
        # construction a worse model than the four before them (docs/reproduction.md).
        restore_best=True,
    ),
}
SIZE_KEYS = (
    "embedding_dim",
    "lstm_units",
    "dense_units",
    "learning_rate",
    "batch_size",
    "mask_padding",
    "trim_padding",
    "output_bias",
    "restore_best",
)
OUTPUT_BIASES = ("zero", "prior")


@dataclass
class LSTMSettings:
    embedding_dim: int
    lstm_units: int
    dense_units: int
    learning_rate: float
    dropout: float = 0.2
    recurrent_dropout: float = 0.2
    batch_size: int = 32
    epochs: int = 30
    patience: int = 4
    jit_compile: bool = False
    mask_padding: bool = False
    # Feed batches of similar length cut to their longest text (needs the mask); see train.py.
    trim_padding: bool = False
    # dense_4's starting bias: "zero" (Keras' default) or "prior", the training fold's log-odds
    # of a dealer post, so the first output is the class prior; see train.output_bias_for.
    output_bias: str = "zero"
    # Keep the weights of the epoch with the lowest validation loss when training ends (the
    # paper keeps the last epoch's, which its stopping rule makes the worst of the last five).
    restore_best: bool = False

    @classmethod
    def from_config(cls, cfg: dict) -> LSTMSettings:
        """The preset's sizes, overridden by any size given explicitly in ``cfg``."""
        preset = cfg.get("preset", "cpu")
        if preset not in PRESETS:
            raise ValueError(f"models.lstm.preset: '{preset}' is not one of {sorted(PRESETS)}")
        values = dict(PRESETS[preset])
        for key in SIZE_KEYS:
            if cfg.get(key) is not None:
                values[key] = cfg[key]
        for key in ("dropout", "recurrent_dropout", "epochs", "patience", "jit_compile"):
            if cfg.get(key) is not None:
                values[key] = cfg[key]
        settings = cls(**values)
        if settings.output_bias not in OUTPUT_BIASES:
            raise ValueError(
                f"models.lstm.output_bias: '{settings.output_bias}' is not one of {OUTPUT_BIASES}"
            )
        if settings.trim_padding and not settings.mask_padding:
            raise ValueError(
                "models.lstm.trim_padding needs mask_padding: without the mask, padding is input"
            )
        return settings

    def to_dict(self) -> dict:
        return asdict(self)


def should_stop(val_losses: list[float], patience: int = 4) -> bool:
    """The paper's rule: "we compare the most recent validation loss with all 4 previous
    validation losses; if it is larger (the loss is continually increasing), the model will stop".

    Read as: stop when the latest loss is larger than every one of the ``patience`` losses before
    it, i.e. the newest epoch is the worst of the last ``patience + 1``. Needs ``patience + 1``
    epochs before it can fire.
    """
    if len(val_losses) <= patience:
        return False
    latest, previous = val_losses[-1], val_losses[-patience - 1 : -1]
    return all(latest > v for v in previous)


def configure_threads(threads: int) -> None:
    """Pin TensorFlow's thread pools to the job's share of cores (before TF initialises)."""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    quiet_tensorflow()
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(max(1, min(2, threads)))
    except RuntimeError:
        pass  # already initialised in this process (tests): keep the existing pools


def paper_stopping_callback(patience: int = 4, restore_best: bool = False):
    import keras

    class PaperStopping(keras.callbacks.Callback):
        """Keras callback applying :func:`should_stop` to ``val_loss`` after each epoch; with
        ``restore_best`` it leaves the model with the weights of its lowest validation loss
        (the first such epoch), and ``kept_epoch`` says which (1-based)."""

        def __init__(self):
            super().__init__()
            self.val_losses: list[float] = []
            self.stopped_epoch: int | None = None
            self.kept_epoch: int | None = None
            self._best = None

        def on_epoch_end(self, epoch, logs=None):
            loss = float((logs or {})["val_loss"])
            self.val_losses.append(loss)
            if restore_best and loss < min(self.val_losses[:-1], default=float("inf")):
                # A copy now costs one pass over the weights; the model is small next to a
                # single epoch of training.
                self._best, self.kept_epoch = self.model.get_weights(), epoch + 1
            if should_stop(self.val_losses, patience):
                self.stopped_epoch = epoch + 1
                self.model.stop_training = True

        def on_train_end(self, logs=None):
            if not restore_best or self._best is None:
                self.kept_epoch = len(self.val_losses) or None
                return
            self.model.set_weights(self._best)

    return PaperStopping()


def build_model(
    vocab_size: int,
    text_length: int,
    hashtag_length: int,
    blocks: tuple[str, ...],
    s: LSTMSettings,
    picture_length: int = 30,
):
    """Figure 2's model with the ``blocks`` the variant uses ("text", "hashtags" or both, and
    for with_pictures a third branch, "picture", built like the other two: embedding, LSTM,
    dense, merged with them before dense 3)."""
    import keras
    from keras import layers

    inputs, branches = [], []
    lengths = (("text", text_length), ("hashtags", hashtag_length), ("picture", picture_length))
    for block, length in lengths:
        if block not in blocks:
            continue
        # With trimmed batches the length varies from batch to batch.
        shape = (None,) if s.trim_padding else (length,)
        inp = keras.Input(shape=shape, dtype="int32", name=f"{block}_index")
        x = layers.Embedding(
            vocab_size, s.embedding_dim, mask_zero=s.mask_padding, name=f"{block}_embedding"
        )(inp)
        x = layers.LSTM(
            s.lstm_units,
            dropout=s.dropout,
            recurrent_dropout=s.recurrent_dropout,
            name=f"{block}_lstm",
        )(x)
        # Dense 1 (text block) / dense 2 (hashtag block).
        x = layers.Dense(s.dense_units, activation="sigmoid", name=f"{block}_dense")(x)
        inputs.append(inp)
        branches.append(x)
    if not branches:
        raise ValueError("build_model: at least one of the text and hashtag blocks is needed")
    merged = layers.Concatenate(name="merge")(branches) if len(branches) > 1 else branches[0]
    x = layers.Dense(s.dense_units, activation="sigmoid", name="dense_3")(merged)
    out = layers.Dense(1, activation="sigmoid", name="dense_4")(x)
    model = keras.Model(inputs, out, name="li2019_lstm")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=s.learning_rate),
        loss="binary_crossentropy",
        jit_compile=s.jit_compile,
    )
    # Create Adam's slots now: created inside the first traced train step, they make TensorFlow
    # trace that step twice (measured: 3-4 s of every LSTM job).
    model.optimizer.build(model.trainable_variables)
    return model


# with_hashtags: the words to the text block, the hashtags to the other (see the registry).
VARIANT_BLOCKS = {name: spec.lstm_blocks for name, spec in registry.VARIANTS.items()}


def inputs_for(df, blocks):
    """The model's input arrays from a preprocessed variant frame."""
    import numpy as np

    cols = {"text": "text_idx", "hashtags": "tag_idx", "picture": "pic_idx"}
    return [np.asarray(df[cols[b]].tolist(), dtype="int32") for b in blocks]
