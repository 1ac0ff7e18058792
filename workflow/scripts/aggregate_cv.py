"""Thin adapter: rule aggregate_cv -> dealerdetect.evaluation.cv.aggregate."""

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.evaluation.cv import aggregate  # noqa: E402

sm = snakemake  # noqa: F821
aggregate(
    sm.input.infos,
    sm.input.oofs,
    threshold=sm.params.threshold,
    scores_path=sm.output.scores,
    folds_path=sm.output.folds,
    oof_out=sm.output.oof,
    history_path=sm.output.history,
)
