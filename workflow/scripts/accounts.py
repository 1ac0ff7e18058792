"""Thin adapter: rule accounts -> dealerdetect.evaluation.accounts.write_accounts."""

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.evaluation.accounts import write_accounts  # noqa: E402

sm = snakemake  # noqa: F821
write_accounts(
    sm.input.oof,
    list(sm.input.variants),
    sm.input.corpus,
    sm.output.csv,
    sm.output.ranked,
    threshold=sm.params.threshold,
)
