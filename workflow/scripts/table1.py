"""Thin adapter: rule table1 -> dealerdetect.reporting.tables."""

import pandas as pd

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.annotation.corpus import read_summary  # noqa: E402
from dealerdetect.evaluation.diagnostics import collapse_note  # noqa: E402
from dealerdetect.preprocessing.variant_status import read_status  # noqa: E402
from dealerdetect.reporting.tables import (  # noqa: E402
    table1,
    table1_markdown,
    table1_note,
    write_table,
)

sm = snakemake  # noqa: F821
status = read_status(sm.input.status)
summary = read_summary(sm.input.summary)
t1 = table1(pd.read_csv(sm.input.scores), status)
lstm = sm.params.lstm if "lstm" in set(t1["model"]) else None
note = table1_note(sm.params.source, status, lstm, summary)
note = " ".join(filter(None, [note, collapse_note(pd.read_csv(sm.input.folds))]))
write_table(t1, table1_markdown(t1, note), sm.output.csv, sm.output.md)
