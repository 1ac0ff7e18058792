"""Thin adapter: rule operations -> dealerdetect.evaluation.operations.write_operations."""

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.evaluation.operations import write_operations  # noqa: E402

sm = snakemake  # noqa: F821
write_operations(
    sm.input.raw,
    sm.input.corpus,
    sm.params.salt_file,
    sm.output.hashes,
    sm.output.pairs,
    sm.output.members,
    sm.output.operations,
    config=sm.params.settings,
    phone_regions=sm.params.phone_regions,
    pictures_path=sm.input.pictures,
    picture_pairs_out=sm.output.same_pictures,
    phash_distance=sm.params.phash_distance,
)
