"""Thin adapter: rule characterization -> dealerdetect.reporting.characterize."""

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.annotation.corpus import read_corpus, read_summary  # noqa: E402
from dealerdetect.drugs import Lexicon  # noqa: E402
from dealerdetect.reporting.characterize import (  # noqa: E402
    characterization_markdown,
    characterize,
)
from dealerdetect.reporting.settings import run_note  # noqa: E402
from dealerdetect.reporting.tables import write_table  # noqa: E402

sm = snakemake  # noqa: F821
table = characterize(read_corpus(sm.input.corpus), Lexicon.from_config(sm.params.drugs))
summary = read_summary(sm.input.summary)
note = run_note(sm.params.source, summary=summary)
write_table(table, characterization_markdown(table, note), sm.output.csv, sm.output.md)
