"""Run the real Snakefile on a config in a scratch copy of the workflow."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Set per test by tests/conftest.py: whether the running test is marked slow.
SLOW_TEST = True
# Options that make a Snakemake call cheap enough for the fast tier: nothing runs.
_NO_JOB_OPTIONS = {"-n", "--dry-run", "--dryrun", "--lint", "--list", "-l", "--summary", "-D"}


def scratch_workflow(tmp: Path) -> Path:
    """Copy the Snakefile, config and workflow/ so outputs land in ``tmp``, not the checkout."""
    for name in ("Snakefile", "config.yaml", "environment.yml"):
        shutil.copy(ROOT / name, tmp / name)
    shutil.copytree(ROOT / "workflow", tmp / "workflow")
    return tmp


def snakemake(
    workdir: Path, *args: str, check: bool = True, timeout: int = 2400
) -> subprocess.CompletedProcess:
    if not SLOW_TEST and not _NO_JOB_OPTIONS.intersection(args):
        raise AssertionError(
            "a test outside the slow tier runs Snakemake jobs: mark it @pytest.mark.slow "
            f"(snakemake {' '.join(args)})"
        )
    cmd = [sys.executable, "-m", "snakemake", "--cores", "2", *args]
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        logs = "\n".join(
            f"--- {p}\n{p.read_text()[-3000:]}"
            for p in sorted((workdir / "logs").rglob("*.log"))[-5:]
        )
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stderr[-6000:]}\n{logs}")
    return proc


def config_with(**changes) -> dict:
    """config.yaml with ``changes`` given as dotted keys (``**{"cv.folds": 3.0}``)."""
    import copy

    import yaml

    cfg = copy.deepcopy(yaml.safe_load((ROOT / "config.yaml").read_text()))
    for dotted, value in changes.items():
        *path, last = dotted.split(".")
        node = cfg
        for k in path:
            node = node.setdefault(k, {})
        node[last] = value
    return cfg
