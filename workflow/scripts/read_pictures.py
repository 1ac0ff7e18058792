"""Thin adapter: rule read_pictures -> dealerdetect.pictures.job."""

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.pictures.job import read_study_pictures  # noqa: E402

sm = snakemake  # noqa: F821
read_study_pictures(
    sm.input.posts,
    sm.params.pictures,
    texts_path=sm.output.texts,
    table_path=sm.output.pictures,
    summary_path=sm.output.summary,
)
