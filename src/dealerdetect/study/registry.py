"""The one registry of input variants and models: names, display labels and what each needs.

The Snakefile (``workflow/rules/common.smk``), the package, the tables and figures, and
``dealerdetect predict`` all read these tables; nothing else lists variants or models. Importing
this module imports nothing heavy, so the Snakefile can read it at parse time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VariantSpec:
    """One of the paper's three inputs (Results: "text with hashtags", "hashtags only", ...)."""

    name: str
    label: str
    # Preprocessing's token column the classical models read: "all", "tags", "words" or
    # "all_pictures" (all, then the words read from the post's picture).
    text_column: str
    # Figure 2's branches the LSTM uses: "text" (words, index length 50), "hashtags" (15), and
    # beyond the paper "picture" (the words read from the picture, 30).
    lstm_blocks: tuple[str, ...]
    # Why a post leaves this variant at step 4 (None: every post of the original data stays).
    empty_reason: str | None
    # What "nothing left" means for a post to be scored (predict's status line).
    unit: str


@dataclass(frozen=True)
class ModelSpec:
    """A model of the study: the paper's four, or a baseline reported apart from Table 1."""

    name: str
    label: str  # as the paper's Table 1 heads its column, or a plain name for baselines
    short_label: str  # for figure legends
    kind: str  # "classic" (a scikit-learn pipeline) or "lstm" (the Keras model of Figure 2)
    in_paper: bool


_VARIANTS = (
    VariantSpec("with_hashtags", "Text with hashtags", "all", ("text", "hashtags"), None, "words"),
    VariantSpec(
        "hashtags_only",
        "Hashtags only",
        "tags",
        ("hashtags",),
        "no hashtags in the text",
        "hashtags",
    ),
    VariantSpec(
        "no_hashtags",
        "Text without hashtags",
        "words",
        ("text",),
        "no words left once hashtags are removed",
        "words",
    ),
    # Beyond the paper (its Limitations: "multimodal ... approaches ... based on both text and
    # images ... should be explored"): the caption with hashtags plus the picture's text.
    VariantSpec(
        "with_pictures",
        "Text with hashtags and picture text",
        "all_pictures",
        ("text", "hashtags", "picture"),
        None,
        "words",
    ),
)
# Variants that read the pictures: not run when pictures are off.
PICTURE_VARIANTS: tuple[str, ...] = ("with_pictures",)
_MODELS = (
    ModelSpec("decision_tree", "Decision tree", "Decision tree", "classic", True),
    ModelSpec("random_forest", "Random forest", "Random forest", "classic", True),
    ModelSpec("svm", "Support vector machine", "SVM", "classic", True),
    ModelSpec("lstm", "Study model (LSTM)", "LSTM (study model)", "lstm", True),
    ModelSpec(
        "logistic_regression",
        "TF-IDF + logistic regression",
        "TF-IDF + LR",
        "classic",
        False,
    ),
    ModelSpec(
        "char_ngram",
        "Character 2-5-gram TF-IDF + logistic regression",
        "char n-gram LR",
        "classic",
        False,
    ),
)

VARIANTS: dict[str, VariantSpec] = {v.name: v for v in _VARIANTS}
MODELS: dict[str, ModelSpec] = {m.name: m for m in _MODELS}
VARIANT_NAMES: tuple[str, ...] = tuple(VARIANTS)
MODEL_NAMES: tuple[str, ...] = tuple(MODELS)
PAPER_MODELS: tuple[str, ...] = tuple(m.name for m in _MODELS if m.in_paper)
BASELINE_MODELS: tuple[str, ...] = tuple(m.name for m in _MODELS if not m.in_paper)
CLASSIC_MODELS: tuple[str, ...] = tuple(m.name for m in _MODELS if m.kind == "classic")
PROTOCOLS: tuple[str, ...] = ("paper", "grouped", "operation", "temporal")


def variant(name: str) -> VariantSpec:
    try:
        return VARIANTS[name]
    except KeyError:
        raise ValueError(f"unknown variant '{name}' (one of {', '.join(VARIANTS)})") from None


def model(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        raise ValueError(f"unknown model '{name}' (one of {', '.join(MODELS)})") from None


def model_label(name: str, short: bool = False) -> str:
    spec = MODELS.get(name)
    if spec is None:
        return name
    return spec.short_label if short else spec.label


def variant_label(name: str) -> str:
    spec = VARIANTS.get(name)
    return spec.label if spec else name
