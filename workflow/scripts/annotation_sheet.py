"""Thin adapter: rule annotation_sheet -> dealerdetect.annotation.corpus.annotation_template."""

import logging

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.annotation.corpus import annotation_template  # noqa: E402

sm = snakemake  # noqa: F821
n = annotation_template(
    sm.input.posts, sm.params.annotation_dir, sm.output.sheet, phone_regions=sm.params.phone_regions
)
logging.info("%d posts to annotate -> %s", n, sm.output.sheet)
