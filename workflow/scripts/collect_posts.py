"""Thin adapter: rule collect_posts -> dealerdetect.collection.collect."""

from pathlib import Path

from dealerdetect.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.collection.collect import collect  # noqa: E402
from dealerdetect.privacy import load_salt  # noqa: E402

cfg = snakemake.params.collection  # noqa: F821
salt = load_salt(cfg.get("pseudonym_salt"), cfg.get("salt_file", "data/secrets/salt.txt"))
collect(cfg, snakemake.params.seed, salt, Path(snakemake.output.posts).parent)  # noqa: F821
