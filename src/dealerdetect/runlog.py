"""Logging for workflow scripts: everything a job says goes to its Snakemake log file."""

from __future__ import annotations

import logging
import sys
from pathlib import Path


def log_to(path: str | Path) -> None:
    """Send stderr and the ``logging`` root to ``path`` (the rule's ``log:``)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives as long as the job
    sys.stderr = fh
    logging.basicConfig(
        stream=fh,
        level=logging.INFO,
        force=True,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
