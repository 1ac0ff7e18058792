"""Thin adapter: rule headline -> dealerdetect.reporting.beyond.protocol_headline."""

from pathlib import Path

import pandas as pd

from dealerdetect.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.reporting.beyond import protocol_headline  # noqa: E402

sm = snakemake  # noqa: F821
Path(sm.output.md).write_text(protocol_headline(pd.read_csv(sm.input.gap)), encoding="utf-8")
