"""Thin adapter: rule operation_ranking -> dealerdetect.evaluation.accounts.write_operation_ranking."""

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.evaluation.accounts import write_operation_ranking  # noqa: E402

sm = snakemake  # noqa: F821
write_operation_ranking(
    sm.input.oof,
    list(sm.input.variants),
    sm.input.members,
    sm.input.operations,
    sm.output.csv,
    sm.output.ranked,
    protocol=sm.params.protocol,
    threshold=sm.params.threshold,
)
