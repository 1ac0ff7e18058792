"""What ran, in words, for every table note and the report's first page: the corpus
source and size, the protocols, and the LSTM preset with each value that differs from Figure 2.
"""

from __future__ import annotations

from ..models.lstm import LSTMSettings

# Figure 2's model; the paper gives no batch size (Keras' default, 32, is what the authors ran).
FIGURE2 = LSTMSettings.from_config({"preset": "paper"})
LABELS = {
    "embedding_dim": "embedding",
    "lstm_units": "LSTM units",
    "dense_units": "dense units",
    "learning_rate": "Adam learning rate",
    "batch_size": "batch",
    "dropout": "dropout",
    "recurrent_dropout": "recurrent dropout",
    "epochs": "epoch cap",
    "patience": "stopping patience",
    "mask_padding": "masked padding",
    "trim_padding": "length-sorted, trimmed batches",
    "jit_compile": "XLA",
    "output_bias": "output bias starts at",
    "restore_best": "weights of the lowest validation loss kept",
}


# Settings Figure 2 does not give: where the paper preset's value comes from instead.
NOT_IN_FIGURE2 = {
    "batch_size": "not in the paper; Keras' default",
    "epochs": "not in the paper; the authors' script",
    "patience": "the paper's stopping rule",
    "output_bias": "not in the paper; Keras' default",
    "restore_best": "not in the paper; the last epoch's",
}


def lstm_note(lstm_cfg: dict) -> str:
    """``LSTM preset cpu: embedding 32 (Figure 2: 400), ...`` or ``... exactly Figure 2``."""
    s = LSTMSettings.from_config(lstm_cfg).to_dict()
    ref = FIGURE2.to_dict()
    preset = lstm_cfg.get("preset", "cpu")
    diffs = [
        f"{LABELS.get(k, k)} {_fmt(v)} ({NOT_IN_FIGURE2.get(k, 'Figure 2')}: {_fmt(ref[k])})"
        for k, v in s.items()
        if k in LABELS and v != ref[k]
    ]
    if not diffs:
        return f"LSTM preset `{preset}`: exactly Figure 2's model."
    return f"LSTM preset `{preset}`, differing from Figure 2 in: " + "; ".join(diffs) + "."


def _fmt(value) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return f"{value:g}" if isinstance(value, float) else str(value)


def corpus_note(source: str, posts: int | None = None, dealer_posts: int | None = None) -> str:
    size = "" if posts is None else f", {posts:,} posts ({dealer_posts:,} dealer posts)"
    note = f"Corpus: {source}{size}."
    if source == "simulated":
        note += (
            " It is the embedded simulated Instagram, calibrated to the paper's published "
            "statistics: numbers on it validate the pipeline, not the paper."
        )
    return note


def run_note(
    source: str,
    protocols: list[str] | None = None,
    lstm_cfg: dict | None = None,
    summary: dict | None = None,
) -> str:
    """The settings that produced a table, as one paragraph."""
    summary = summary or {}
    parts = [corpus_note(source, summary.get("posts"), summary.get("dealer_posts"))]
    if protocols:
        parts.append("Protocols run: " + ", ".join(protocols) + ".")
    if lstm_cfg is not None:
        parts.append(lstm_note(lstm_cfg))
    return " ".join(parts)


__all__ = ["FIGURE2", "corpus_note", "lstm_note", "run_note"]
