"""Figure jobs of the workflow: read the study's result files, draw one figure each."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import figures


def _stem(png: str | Path) -> Path:
    return Path(png).with_suffix("")


def figure(kind: str, png: str | Path, variant: str | None = None, **inputs) -> list[Path]:
    """Draw figure ``kind`` to ``png`` (and its svg) from the result files named in ``inputs``
    (e.g. ``oof=``, ``table1=``, ``history=``)."""
    stem = _stem(png)
    if kind == "roc_pr":
        oof = pd.read_parquet(inputs["oof"])
        t1 = pd.read_csv(inputs["table1"])
        paper = t1[t1["variant"] == variant].set_index("model")["paper_auc"].dropna().to_dict()
        return figures.roc_pr_curves(oof, variant, stem, paper_auc=paper)
    if kind == "confusion":
        return figures.confusion_matrices(pd.read_parquet(inputs["oof"]), variant, stem)
    if kind == "learning_curves":
        return figures.learning_curves(pd.read_csv(inputs["history"]), variant, stem)
    if kind == "table1_bars":
        return figures.table1_bars(pd.read_csv(inputs["table1"]), stem)
    if kind == "table2_bars":
        return figures.table2_bars(pd.read_csv(inputs["table2"]), stem)
    if kind == "app_shares":
        ch = pd.read_csv(inputs["characterization"])
        apps = ch[ch["section"] == "messaging app"].rename(columns={"measure": "app"})
        return figures.app_shares(apps[["app", "percent", "paper_percent"]], stem)
    if kind == "accounts":
        from .beyond import accounts_figure

        return accounts_figure(pd.read_csv(inputs["accounts"]), stem)
    if kind == "operations":
        from .beyond import operations_figure

        return operations_figure(pd.read_csv(inputs["operations"]), stem)
    if kind == "flow":
        return figures.flow_diagram(pd.read_csv(inputs["flow"]), stem)
    raise ValueError(f"figure: unknown kind '{kind}'")
