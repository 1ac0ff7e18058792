"""Each figure function writes a non-empty PNG and SVG from tiny synthetic frames."""

import numpy as np
import pandas as pd
import pytest

from dealerdetect.reporting import figures
from dealerdetect.study.registry import PAPER_MODELS as MODELS
from dealerdetect.study.registry import VARIANT_NAMES as VARIANTS

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _check(paths, tmp_path, name):
    assert [p.name for p in paths] == [f"{name}.png", f"{name}.svg"]
    png, svg = paths
    assert png.parent == tmp_path
    assert png.stat().st_size > 1000 and png.read_bytes()[:8] == PNG_MAGIC
    text = svg.read_text()
    assert svg.stat().st_size > 1000 and "<svg" in text


def _oof(n=40, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for variant in VARIANTS:
        for model in MODELS:
            label = rng.integers(0, 2, n)
            score = np.clip(0.4 * label + rng.uniform(0, 0.6, n), 0, 1)
            rows.append(
                pd.DataFrame(
                    {
                        "variant": variant,
                        "model": model,
                        "label": label,
                        "score": score,
                        "pred": (score >= 0.5).astype(int),
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def test_roc_pr_curves(tmp_path):
    paths = figures.roc_pr_curves(
        _oof(), "with_hashtags", tmp_path / "roc", paper_auc={"lstm": 98.12}
    )
    _check(paths, tmp_path, "roc")


def test_roc_pr_curves_unknown_variant(tmp_path):
    with pytest.raises(ValueError, match="variant"):
        figures.roc_pr_curves(_oof(), "nope", tmp_path / "roc")


def test_confusion_matrices(tmp_path):
    _check(figures.confusion_matrices(_oof(), "no_hashtags", tmp_path / "cm"), tmp_path, "cm")


def test_table1_bars(tmp_path):
    rows = []
    for variant in VARIANTS:
        for i, model in enumerate(MODELS):
            rows.append(
                {
                    "variant": variant,
                    "model": model,
                    "precision": 0.90 + 0.01 * i,
                    "recall": 0.85,
                    "f1": 0.87,
                    "auc": np.nan if model == "svm" else 0.95,
                    "paper_precision": 95.05,
                    "paper_recall": 82.15,
                    "paper_f1": 88.13,
                    "paper_auc": 96.67,
                }
            )
    _check(figures.table1_bars(pd.DataFrame(rows), tmp_path / "t1"), tmp_path, "t1")


def test_table2_bars(tmp_path):
    table2 = pd.DataFrame(
        {
            "drug": ["xanax", "xanax", "xanax", "lsd"],
            "hashtag": ["#xanax", "#2mgxanax", "Total", "#lsdtabs"],
            "posts": [80, 30, 95, 12],
            "percent": [64.0, 24.0, 76.0, 9.6],
            "paper_posts": [802, 321, 1078, np.nan],
            "paper_percent": [65.3, 26.1, 87.8, np.nan],
        }
    )
    _check(figures.table2_bars(table2, tmp_path / "t2"), tmp_path, "t2")


def test_app_shares(tmp_path):
    shares = pd.DataFrame(
        {
            "app": ["Wickr", "Telegram", "Kik", "WhatsApp", "Snapchat"],
            "percent": [30.0, 22.5, 15.0, 17.0, 4.0],
            "paper_percent": [36.23, 19.95, 18.32, 15.30, np.nan],
        }
    )
    _check(figures.app_shares(shares, tmp_path / "apps"), tmp_path, "apps")


def test_flow_diagram(tmp_path):
    rows = [
        ("Collected (keyword search)", "all", 12857, 12857, 0, ""),
        ("Deduplicate", "all", 12857, 12500, 357, "duplicate post id"),
        ("Drop non-English", "all", 12500, 12000, 500, "non-ASCII text only"),
    ]
    for variant in VARIANTS:
        rows.append(("Build input", variant, 12000, 11900, 100, "empty text after cleaning"))
        rows.append(("Cross-validation", variant, 11900, 11900, 0, ""))
    flow = pd.DataFrame(
        rows, columns=["step", "variant", "posts_in", "posts_out", "dropped", "reason"]
    )
    paths = figures.flow_diagram(flow, tmp_path / "sub" / "flow")
    assert paths[0].parent == tmp_path / "sub"
    _check(paths, tmp_path / "sub", "flow")


def test_learning_curves(tmp_path):
    rows = []
    for fold in range(3):
        for epoch in range(1, 6):
            val = np.nan if (fold == 2 and epoch == 5) else 0.7 - 0.05 * epoch + 0.02 * fold
            rows.append(("with_hashtags", fold, epoch, 0.7 - 0.1 * epoch, val))
    history = pd.DataFrame(rows, columns=["variant", "fold", "epoch", "loss", "val_loss"])
    _check(figures.learning_curves(history, "with_hashtags", tmp_path / "lc"), tmp_path, "lc")
