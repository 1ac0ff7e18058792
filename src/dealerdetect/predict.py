"""Final models (trained on every labelled post of a variant) and scoring of new posts.

A saved model directory holds what scoring needs and nothing personal: the fitted model, the
dictionary (LSTM), and ``meta.json`` with the variant, preprocessing settings and threshold.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .characterization import contact_kinds
from .models import CLASSIC_MODELS
from .preprocessing import clean, is_hashtag, load_stopwords, to_index
from .privacy import redact

VARIANT_TEXT = {"with_hashtags": "all", "hashtags_only": "tags", "no_hashtags": "words"}


def train_final(
    variant_path,
    vocabulary_path,
    model: str,
    variant: str,
    models_cfg: dict,
    preprocessing: dict,
    threshold: float,
    seed: int,
    validation_split: float,
    threads: int,
    out_dir,
    phone_regions=None,
) -> Path:
    """Fit ``model`` on the whole variant and save it with its metadata to ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    df = pd.read_parquet(variant_path)
    vocab = json.loads(Path(vocabulary_path).read_text(encoding="utf-8"))
    meta = {
        "model": model,
        "variant": variant,
        "threshold": threshold,
        "seed": seed,
        "preprocessing": preprocessing,
        # Scoring redacts captions as label_corpus did before training.
        "phone_regions": None if phone_regions is None else list(phone_regions),
        "trained_on": int(len(df)),
        "dealer_posts": int(df["label"].sum()),
    }
    if model in CLASSIC_MODELS:
        import joblib

        from .models.classic import make_classifier

        pipe = make_classifier(model, models_cfg.get(model, {}), seed=seed, threads=threads)
        pipe.fit(df["text"].tolist(), df["label"].to_numpy())
        joblib.dump(pipe, out / "model.joblib")
    else:
        from .models.train import fit_lstm

        fitted, history = fit_lstm(
            df,
            variant,
            models_cfg,
            seed=seed,
            vocab_size=int(vocab["size"]),
            validation_split=validation_split,
            threads=threads,
        )
        fitted.save(out / "model.keras")
        meta["history"] = history
        (out / "vocabulary.json").write_text(
            json.dumps(vocab, ensure_ascii=False), encoding="utf-8"
        )
    (out / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return out


class Scorer:
    """A saved final model, ready to score captions."""

    def __init__(self, model_dir: str | Path):
        self.dir = Path(model_dir)
        meta_path = self.dir / "meta.json"
        if not meta_path.exists():
            raise FileNotFoundError(
                f"{self.dir}: not a saved model (no meta.json); run the study first"
            )
        self.meta = json.loads(meta_path.read_text(encoding="utf-8"))
        self.variant, self.kind = self.meta["variant"], self.meta["model"]
        pp = self.meta["preprocessing"]
        self.stopwords = load_stopwords(pp.get("stopwords", "english"))
        self.phone_regions = self.meta.get("phone_regions")  # None: the default regions
        if self.kind in CLASSIC_MODELS:
            import joblib

            self.model = joblib.load(self.dir / "model.joblib")
        else:
            import keras

            self.model = keras.models.load_model(self.dir / "model.keras")
            self.vocab = json.loads((self.dir / "vocabulary.json").read_text(encoding="utf-8"))[
                "index"
            ]

    def features(self, captions: list[str]) -> pd.DataFrame:
        """The variant's text of each caption, cleaned as in training (redaction first)."""
        rows = []
        for c in captions:
            toks = clean(redact(c or "", self.phone_regions), self.stopwords)
            words = [t for t in toks if not is_hashtag(t)]
            tags = [t for t in toks if is_hashtag(t)]
            rows.append({"all": " ".join(toks), "words": " ".join(words), "tags": " ".join(tags)})
        return pd.DataFrame(rows, columns=["all", "words", "tags"])

    def score(self, captions: list[str]) -> pd.DataFrame:
        """Per caption: probability and label at the threshold, or why it was not scored."""
        from .evaluation import predict_any

        feats = self.features(captions)
        text = feats[VARIANT_TEXT[self.variant]]
        scorable = text.str.len() > 0
        out = pd.DataFrame(
            {"probability": np.nan, "label": pd.NA, "status": "scored"}, index=feats.index
        )
        out.loc[~scorable, "status"] = (
            f"not scored: no {'hashtags' if self.variant == 'hashtags_only' else 'words'} left after cleaning"
        )
        if scorable.any():
            df = pd.DataFrame({"text": text[scorable]})
            if self.kind not in CLASSIC_MODELS:
                pp = self.meta["preprocessing"]
                df["text_idx"] = [
                    to_index(w.split(), self.vocab, pp["text_length"])
                    for w in feats.loc[scorable, "words"]
                ]
                df["tag_idx"] = [
                    to_index(t.split(), self.vocab, pp["hashtag_length"])
                    for t in feats.loc[scorable, "tags"]
                ]
            p = predict_any(self.kind, self.model, df, self.variant)
            out.loc[scorable, "probability"] = p
            out.loc[scorable, "label"] = (p > self.meta["threshold"]).astype(int)
        out["contacts"] = [
            ",".join(sorted(contact_kinds(c or "", self.phone_regions))) for c in captions
        ]
        return out
