"""Thin adapter: rule leakage -> dealerdetect.evaluation.operations.write_leakage."""

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.evaluation.operations import write_leakage  # noqa: E402

sm = snakemake  # noqa: F821
write_leakage(
    list(sm.input.folds),
    list(sm.input.variants),
    sm.input.members,
    sm.input.pairs,
    sm.output.csv,
    sm.output.md,
    threshold=sm.params.threshold,
    picture_pairs=sm.input.same_pictures,
)
