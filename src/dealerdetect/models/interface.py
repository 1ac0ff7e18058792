"""One model interface for the cross-validation folds and the final models.

Every model of the registry is built by :func:`make_model` from its own settings (the
``models.<name>`` section of the config, nothing else) and then:

    model.fit(frame)         -> model     (frame: a preprocessed variant, with "label")
    model.score(frame)       -> scores in [0, 1]; a score > threshold is a dealer post
    model.save_files(folder) -> {file name: path} of what a saved bundle needs
    Model.load_files(...)    -> the fitted model again (see ``models.bundle``)

The frame is what preprocessing writes (``text``, ``words``, ``tags``, ``text_idx``,
``tag_idx``); ``preprocessing.featurize`` builds the same columns for new posts, so training and
scoring share one feature path.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dealerdetect.errors import InputValueError
from dealerdetect.study import registry

# Types a saved scikit-learn bundle may contain beyond skops' defaults. Anything else in a file
# is refused before it is loaded (skops never runs code from the file; pickle would).
SKOPS_TRUSTED = ["dealerdetect.models.classic._tokens", "sklearn.tree._tree.Tree"]


class Model:
    """Base class: a model of the registry bound to one variant, its settings and the seed."""

    files: tuple[str, ...] = ()

    def __init__(self, name: str, variant: str, settings: dict, seed: int, threads: int = 1):
        self.spec = registry.model(name)
        self.variant = registry.variant(variant)
        self.settings = dict(settings or {})
        self.seed = int(seed)
        self.threads = int(threads)
        self.history: list[dict] | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    def fit(self, frame: pd.DataFrame, reuse: Model | None = None) -> Model:
        """Train on ``frame``; ``reuse`` is a fitted model of another fold a subclass may draw
        on to save work, never to change the result."""
        raise NotImplementedError

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        raise NotImplementedError

    def save_files(self, folder: Path) -> dict[str, Path]:
        raise NotImplementedError

    def load_files(self, folder: Path) -> None:
        raise NotImplementedError


class ClassicModel(Model):
    """A scikit-learn pipeline (bag of words + estimator) over the variant's ``text`` column."""

    files = ("model.skops",)

    def _pipeline(self):
        from .classic import make_classifier

        return make_classifier(self.name, self.settings, seed=self.seed, threads=self.threads)

    def fit(self, frame: pd.DataFrame, reuse: Model | None = None) -> ClassicModel:
        self.pipe = self._pipeline()
        self.pipe.fit(frame["text"].tolist(), frame["label"].to_numpy())
        return self

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        from .classic import scores

        return np.asarray(scores(self.pipe, frame["text"].tolist()), dtype=float)

    def save_files(self, folder: Path) -> dict[str, Path]:
        import skops.io as sio

        path = Path(folder) / "model.skops"
        sio.dump(self.pipe, path)
        return {"model.skops": path}

    def load_files(self, folder: Path) -> None:
        import skops.io as sio

        path = Path(folder) / "model.skops"
        untrusted = set(sio.get_untrusted_types(file=path)) - set(SKOPS_TRUSTED)
        if untrusted:
            raise InputValueError(f"{path}: refuses to load untrusted types {sorted(untrusted)}")
        self.pipe = sio.load(path, trusted=SKOPS_TRUSTED)


class LSTMModel(Model):
    """The two-branch Keras model of Figure 2 over the variant's index sequences."""

    files = ("model.keras",)

    def __init__(
        self, *args, vocab_size: int | None = None, validation_split: float | None = None, **kw
    ):
        super().__init__(*args, **kw)
        self.vocab_size = vocab_size
        self.validation_split = validation_split

    def fit(self, frame: pd.DataFrame, reuse: LSTMModel | None = None) -> LSTMModel:
        """Train; ``reuse``, a fitted model of another fold, lends its traced graph (same result,
        see :func:`train.fit_lstm`)."""
        from .train import fit_lstm

        if self.vocab_size is None or self.validation_split is None:
            raise InputValueError(
                "lstm: needs the dictionary size and cv.validation_split to train"
            )
        self.keras, self.history = fit_lstm(
            frame,
            self.variant.name,
            {"lstm": self.settings},
            seed=self.seed,
            vocab_size=self.vocab_size,
            validation_split=self.validation_split,
            threads=self.threads,
            reuse=getattr(reuse, "keras", None),
        )
        return self

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        from .lstm import inputs_for
        from .train import predict_scores

        x = inputs_for(frame, self.variant.lstm_blocks)
        return np.asarray(predict_scores(self.keras, x), dtype=float)

    def save_files(self, folder: Path) -> dict[str, Path]:
        path = Path(folder) / "model.keras"
        self.keras.save(path)
        return {"model.keras": path}

    def load_files(self, folder: Path) -> None:
        import keras

        path = Path(folder) / "model.keras"
        try:
            # safe_mode (the default) refuses to deserialise Python lambdas from the file.
            self.keras = keras.models.load_model(path, safe_mode=True)
        except Exception as err:  # Keras raises many types for a damaged archive
            raise InputValueError(
                f"{path}: not a readable Keras model ({err.__class__.__name__})"
            ) from err
        wanted = {f"{b}_index" for b in self.variant.lstm_blocks}
        got = {t.name.split(":")[0] for t in self.keras.inputs}
        if got != wanted:
            raise InputValueError(
                f"{path}: the model's inputs {sorted(got)} do not belong to variant "
                f"{self.variant.name} (expected {sorted(wanted)})"
            )


def make_model(
    name: str,
    variant: str,
    settings: dict,
    seed: int,
    threads: int = 1,
    vocab_size: int | None = None,
    validation_split: float | None = None,
) -> Model:
    """A fresh, unfitted model of the registry ("For each iteration, the model was reset")."""
    spec = registry.model(name)
    if spec.kind == "lstm":
        return LSTMModel(
            name,
            variant,
            settings,
            seed,
            threads,
            vocab_size=vocab_size,
            validation_split=validation_split,
        )
    return ClassicModel(name, variant, settings, seed, threads)
