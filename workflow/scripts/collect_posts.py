"""Thin adapter: rule collect_posts -> dealerdetect.collection.collect."""

from pathlib import Path

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.collection.collect import collect  # noqa: E402
from dealerdetect.privacy.redaction import load_salt  # noqa: E402

cfg = snakemake.params.collection  # noqa: F821
# The salt comes from its secret file, never from params or config (both are published).
salt = load_salt(None, cfg["salt_file"])
out = Path(snakemake.output.posts).parent  # noqa: F821
sm = snakemake  # noqa: F821
collect(cfg, sm.params.seed, salt, out, drugs=sm.params.drugs, pictures=sm.params.pictures)
