"""Thin adapter: rule image_annotation -> dealerdetect.annotation.images."""

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.annotation.corpus import read_corpus, read_summary  # noqa: E402
from dealerdetect.annotation.images import (  # noqa: E402
    image_annotation,
    image_annotation_markdown,
    image_categories,
)
from dealerdetect.reporting.settings import run_note  # noqa: E402
from dealerdetect.reporting.tables import write_table  # noqa: E402

sm = snakemake  # noqa: F821
categories, differ = image_categories(sm.params.annotation_dir)
table = image_annotation(read_corpus(sm.input.corpus), categories)
note = run_note(sm.params.source, summary=read_summary(sm.input.summary))
write_table(table, image_annotation_markdown(table, note, differ), sm.output.csv, sm.output.md)
