"""Thin adapter: rule preprocess -> dealerdetect.preprocessing (steps 1-5)."""

from dealerdetect.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.corpus import read_corpus  # noqa: E402
from dealerdetect.preprocessing import run_and_write  # noqa: E402

sm = snakemake  # noqa: F821
run_and_write(read_corpus(sm.input.corpus), sm.params.settings, sm.output)
