"""Shared plotting helpers for the figure modules (private).

Figures are built on ``matplotlib.figure.Figure`` with an Agg canvas, never through pyplot's
global state, so they work headless, leave no open figures and do not switch a notebook's
backend. SVGs are written without a date and with a fixed hash salt so reruns are identical.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dealerdetect.study import registry
from dealerdetect.study.registry import MODEL_NAMES as MODELS
from dealerdetect.study.registry import VARIANT_NAMES as VARIANTS

DPI = 150
OURS_LABEL = "This rerun"
PAPER_LABEL = "Li et al. 2019"

_PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]


def new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save(fig: Figure, stem) -> list[Path]:
    """Write ``<stem>.png`` (dpi 150) and ``<stem>.svg``; return both paths."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    png, svg = Path(f"{stem}.png"), Path(f"{stem}.svg")
    with matplotlib.rc_context({"svg.hashsalt": "dealerdetect", "svg.fonttype": "path"}):
        fig.savefig(png, dpi=DPI, metadata={"Software": None})
        fig.savefig(svg, metadata={"Date": None})
    return [png, svg]


def ordered(values: Iterable[str], preferred: Iterable[str]) -> list[str]:
    """Unique values, the known ones in ``preferred`` order first, then the rest sorted."""
    present = list(dict.fromkeys(values))
    known = [v for v in preferred if v in present]
    return known + sorted(v for v in present if v not in known)


def models_in(frame: pd.DataFrame) -> list[str]:
    return ordered(frame["model"], MODELS)


def variants_in(frame: pd.DataFrame) -> list[str]:
    return ordered(frame["variant"], VARIANTS)


def model_color(model: str) -> str:
    if model in MODELS:
        return _PALETTE[MODELS.index(model)]
    return _PALETTE[len(MODELS) + (sum(map(ord, model)) % (len(_PALETTE) - len(MODELS)))]


def model_label(model: str) -> str:
    return registry.model_label(model, short=True)


def variant_label(variant: str) -> str:
    return "All variants" if variant == "all" else registry.variant_label(variant)


def require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = set(columns) - set(frame.columns)
    if missing:
        raise ValueError(f"{what} frame lacks columns {sorted(missing)}")


def select_variant(frame: pd.DataFrame, variant: str, what: str) -> pd.DataFrame:
    part = frame[frame["variant"] == variant]
    if part.empty:
        raise ValueError(f"{what} frame has no rows for variant {variant!r}")
    return part


def as_percent(values: pd.Series | pd.DataFrame):
    """Scale fractions to percent: multiplied by 100 when every finite value is <= 1."""
    arr = pd.DataFrame(values).to_numpy(dtype=float)
    finite = arr[pd.notna(arr)]
    if finite.size and finite.max() <= 1.0:
        return values * 100.0
    return values
