"""Thin adapter: rule next_batch -> dealerdetect.annotation.active.write_next_batch."""

import logging

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.annotation.active import write_next_batch  # noqa: E402

sm = snakemake  # noqa: F821
info = write_next_batch(
    sm.input.posts,
    sm.params.annotation_dir,
    sm.output.sheet,
    sm.output.manifest,
    sm.params.annotation,
    sm.params.seed,
    phone_regions=sm.params.phone_regions,
    stopwords=sm.params.stopwords,
    model_settings=sm.params.model_settings,
)
logging.info(
    "%d posts to label next -> %s (%d of %d posts labelled so far; %s)",
    info["batch"],
    sm.output.sheet,
    info["labelled"],
    info["posts"],
    info["chosen_by"],
)
