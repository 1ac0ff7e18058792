"""Thin adapter: rule headline -> dealerdetect.reporting (the report's first item)."""

from pathlib import Path

import pandas as pd

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.annotation.corpus import read_summary  # noqa: E402
from dealerdetect.evaluation.diagnostics import collapse_note  # noqa: E402
from dealerdetect.reporting.beyond import protocol_headline  # noqa: E402
from dealerdetect.reporting.settings import run_note  # noqa: E402

sm = snakemake  # noqa: F821
summary = read_summary(sm.input.summary)
text = protocol_headline(pd.read_csv(sm.input.gap)) + "\n"
# Beside the gap, what the folds leak (near-duplicates, accounts, operations in training).
from dealerdetect.evaluation.operations import leakage_sentence  # noqa: E402
from dealerdetect.study.registry import VARIANT_NAMES  # noqa: E402

text += leakage_sentence(pd.read_csv(sm.input.leakage), VARIANT_NAMES) + "\n\n"
text += run_note(sm.params.source, sm.params.protocols, sm.params.lstm, summary) + "\n"
folds = pd.concat(
    [
        pd.read_csv(p).assign(protocol=pr)
        for p, pr in zip(sm.input.folds, sm.params.protocols, strict=True)
    ]
)
text += "\n" + (collapse_note(folds) or "No fold ended at the class prior.") + "\n"
Path(sm.output.md).write_text(text, encoding="utf-8")
