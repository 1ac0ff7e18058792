"""Thin adapter: rule table1_extended -> dealerdetect.reporting.extended."""

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.annotation.corpus import read_summary  # noqa: E402
from dealerdetect.preprocessing.variant_status import read_status  # noqa: E402
from dealerdetect.reporting.extended import write_extended  # noqa: E402
from dealerdetect.reporting.languages import read_languages  # noqa: E402
from dealerdetect.reporting.settings import run_note  # noqa: E402

sm = snakemake  # noqa: F821
write_extended(
    sm.params.protocols,
    sm.input.oof,
    sm.input.folds,
    sm.params.seed,
    csv_path=sm.output.csv,
    md_path=sm.output.md,
    gap_path=sm.output.gap,
    status=read_status(sm.input.status),
    note=run_note(
        sm.params.source,
        sm.params.protocols,
        sm.params.lstm,
        read_summary(sm.input.summary),
    ),
    languages=read_languages(sm.input.corpus),
    languages_path=sm.output.languages,
    min_language_posts=sm.params.min_language_posts,
)
