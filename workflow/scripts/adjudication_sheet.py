"""Thin adapter: rule adjudication_sheet -> dealerdetect.annotation.corpus.adjudication_todo."""

import logging

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.annotation.corpus import adjudication_todo, build_corpus  # noqa: E402

sm = snakemake  # noqa: F821
adjudicated = sm.input.get("adjudicated") or None  # an empty list when there is none yet
n = adjudication_todo(
    sm.input.sheet_a,
    sm.input.sheet_b,
    adjudicated if isinstance(adjudicated, str | None) else adjudicated[0],
    build_corpus(sm.input.posts, phone_regions=sm.params.phone_regions),
    sm.output.sheet,
)
logging.info("%d posts the coders disagree on -> %s", n, sm.output.sheet)
