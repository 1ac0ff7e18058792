"""Thin adapter: rules evaluate_classic / evaluate_lstm -> dealerdetect.evaluation.evaluate_job."""

from dealerdetect.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.evaluation import evaluate_job  # noqa: E402

sm = snakemake  # noqa: F821
evaluate_job(
    variant_path=sm.input.variant,
    folds_path=sm.input.folds,
    vocabulary_path=sm.input.get("vocabulary"),
    model=sm.params.model,
    variant=sm.wildcards.variant,
    fold=int(sm.wildcards.fold),
    models_cfg=sm.params.models,
    cv_cfg=sm.params.cv,
    seed=sm.params.seed,
    threads=sm.threads,
    outputs=sm.output,
)
