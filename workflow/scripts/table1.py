"""Thin adapter: rule table1 -> dealerdetect.reporting.tables."""

import pandas as pd

from dealerdetect.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.reporting.tables import table1, table1_markdown, write_table  # noqa: E402

sm = snakemake  # noqa: F821
t1 = table1(pd.read_csv(sm.input.scores))
note = (
    "Scores are the mean over the folds of the paper protocol (shuffled K-fold over posts); AUC is "
    "the mean of per-fold AUCs."
)
if sm.params.source == "simulated":
    note += (
        " The corpus is the embedded simulated Instagram: these numbers validate the pipeline, "
        "not the paper."
    )
write_table(t1, table1_markdown(t1, note), sm.output.csv, sm.output.md)
