"""Thin adapter: rule aggregate_cv -> dealerdetect.evaluation.aggregate."""

from dealerdetect.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.evaluation import aggregate  # noqa: E402

sm = snakemake  # noqa: F821
aggregate(sm.input.infos, sm.output)
