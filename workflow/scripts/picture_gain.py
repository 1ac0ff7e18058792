"""Thin adapter: rule picture_gain -> dealerdetect.reporting.pictures."""

import pandas as pd

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.annotation.corpus import read_corpus, read_summary  # noqa: E402
from dealerdetect.reporting.pictures import picture_gain, picture_gain_markdown  # noqa: E402
from dealerdetect.reporting.settings import run_note  # noqa: E402
from dealerdetect.reporting.tables import write_table  # noqa: E402

sm = snakemake  # noqa: F821
oofs = {p: pd.read_parquet(f) for p, f in zip(sm.params.protocols, sm.input.oof, strict=True)}
table = picture_gain(oofs, read_corpus(sm.input.corpus))
note = run_note(sm.params.source, summary=read_summary(sm.input.summary))
write_table(table, picture_gain_markdown(table, note), sm.output.csv, sm.output.md)
