"""Thin adapter: rule preprocess -> dealerdetect.preprocessing.steps (steps 1-5)."""

from pathlib import Path

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.annotation.corpus import read_corpus  # noqa: E402
from dealerdetect.preprocessing.steps import write_preprocessed  # noqa: E402

sm = snakemake  # noqa: F821
write_preprocessed(
    read_corpus(sm.input.corpus),
    sm.params.settings,
    folds=sm.params.folds,
    variant_paths={Path(p).stem: p for p in sm.output.variants},
    vocabulary_path=sm.output.vocabulary,
    flow_path=sm.output.flow,
    dropped_path=sm.output.dropped,
    status_path=sm.output.status,
)
