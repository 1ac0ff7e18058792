"""Thin adapter: rule characterization -> dealerdetect.reporting.characterize."""

from dealerdetect.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.corpus import read_corpus  # noqa: E402
from dealerdetect.reporting.characterize import characterization_markdown, characterize  # noqa: E402
from dealerdetect.reporting.tables import write_table  # noqa: E402

sm = snakemake  # noqa: F821
table = characterize(read_corpus(sm.input.corpus))
write_table(table, characterization_markdown(table), sm.output.csv, sm.output.md)
