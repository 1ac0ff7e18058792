"""Thin adapter: rules evaluate_classic / evaluate_lstm -> dealerdetect.evaluation.cv.evaluate_job."""

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.evaluation.cv import evaluate_job  # noqa: E402

sm = snakemake  # noqa: F821
evaluate_job(
    variant_path=sm.input.variant,
    folds_path=sm.input.folds,
    vocabulary_path=sm.input.get("vocabulary"),
    model=sm.params.model,
    variant=sm.wildcards.variant,
    folds=sm.params.folds,
    settings=sm.params.settings,
    seed=sm.params.seed,
    threads=sm.threads,
    oof_path=sm.output.oof,
    info_path=sm.output.info,
    model_dir=sm.output.get("models"),
    validation_split=sm.params.validation_split,
    auc_fold=sm.params.auc_fold,
    protocol=sm.wildcards.protocol,
)
