"""Thin adapter: rule final_model -> dealerdetect.predict.train_final."""

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.predict import train_final  # noqa: E402

sm = snakemake  # noqa: F821
train_final(
    sm.input.variant,
    sm.input.vocabulary,
    model=sm.wildcards.model,
    variant=sm.wildcards.variant,
    settings=sm.params.settings,
    preprocessing=sm.params.preprocessing,
    threshold=sm.params.threshold,
    seed=sm.params.seed,
    validation_split=sm.params.validation_split,
    threads=sm.threads,
    phone_regions=sm.params.phone_regions,
    out_dir=sm.output[0],
    source=sm.params.source,
)
