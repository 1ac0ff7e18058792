"""The tiny study through a real SLURM cluster (snakemake-executor-plugin-slurm), not a mock.

Skipped, with the reason, where no SLURM controller answers; with DEALERDETECT_REQUIRE_SLURM=1
(set by .ci/run, which starts tests/slurm/cluster.sh) that skip is a failure instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pandas as pd
import pytest
from workflow_helpers import ROOT, scratch_workflow, snakemake

pytestmark = [pytest.mark.slurm, pytest.mark.slow]

TINY = ROOT / "tests/config/tiny.yaml"
# tests/config/tiny.yaml: 3 folds in 2 jobs (folds_per_job 2), three classical models and the
# LSTM; four variants, the LSTM on the three text variants (pictures.lstm is off).
PARTS, VARIANTS, LSTM_VARIANTS = 2, 4, 3
CLASSIC = ["decision_tree", "random_forest", "svm"]
# Rules that must run as SLURM jobs, and how many jobs each has for the Table 1 target.
SLURM_JOBS = {
    "evaluate_classic": len(CLASSIC) * VARIANTS * PARTS,
    "evaluate_lstm": LSTM_VARIANTS * PARTS,
}
LOCAL_RULES = ["collect_posts", "table1"]


def slurm_unavailable() -> str | None:
    """Why this machine cannot run SLURM jobs now, or None when it can."""
    if shutil.which("sbatch") is None:
        return "sbatch not found: no SLURM client on this machine"
    try:
        proc = subprocess.run(
            ["sinfo", "--noheader", "--format", "%a"], capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        return "sinfo did not answer within 30 s"
    if proc.returncode != 0 or "up" not in proc.stdout.split():
        said = (proc.stderr.strip() or proc.stdout.strip() or "no partition").splitlines()[-1]
        return (
            f"no SLURM partition is up ({said}); "
            "start the single-node cluster: sudo tests/slurm/cluster.sh start"
        )
    return None


@pytest.fixture(scope="module")
def slurm_run(tmp_path_factory):
    reason = slurm_unavailable()
    if reason:
        if os.environ.get("DEALERDETECT_REQUIRE_SLURM") == "1":
            pytest.fail(f"DEALERDETECT_REQUIRE_SLURM=1 but {reason}")
        pytest.skip(reason)
    wd = scratch_workflow(tmp_path_factory.mktemp("slurm"))
    shutil.copytree(ROOT / "profiles", wd / "profiles")
    started = time.monotonic()
    proc = snakemake(
        wd,
        "results/tables/table1.csv",
        "--executor",
        "slurm",
        "--workflow-profile",
        "profiles/slurm",
        "--configfile",
        str(TINY),
        "--jobs",
        "4",
        # Only to see where each job ran, and to wait less between status checks (default 40 s).
        "--slurm-keep-successful-logs",
        "--slurm-init-seconds-before-status-checks",
        "10",
        timeout=2400,
    )
    print(f"SLURM run of the tiny study: {time.monotonic() - started:.0f} s wall")
    return wd, proc.stdout + proc.stderr


def test_table1_through_slurm_is_complete_and_equals_the_local_run(slurm_run, request):
    wd, _ = slurm_run
    # Only now the local run (shared with the other end-to-end tests): without SLURM the skip
    # above comes first and costs nothing.
    tiny_run = request.getfixturevalue("tiny_run")
    remote = pd.read_csv(wd / "results/tables/table1.csv")
    local = pd.read_csv(tiny_run / "results/tables/table1.csv")
    assert len(remote) == len(CLASSIC) * VARIANTS + LSTM_VARIANTS
    assert not remote[["precision", "recall", "f1", "auc"]].isna().any().any()
    classic = remote["model"].isin(CLASSIC)
    # The classical models are deterministic given the seed: the very same numbers.
    pd.testing.assert_frame_equal(
        remote[classic].reset_index(drop=True),
        local[local["model"].isin(CLASSIC)].reset_index(drop=True),
        check_exact=True,
    )
    # The LSTM too: seeded, and on the test cluster its 2 threads (1 locally) gave the very same
    # Table 1 (docs/performance.md, "Scale on a cluster").
    pd.testing.assert_frame_equal(remote, local, check_exact=True)


def test_every_evaluation_job_ran_as_a_slurm_job(slurm_run):
    wd, _ = slurm_run
    logs = wd / ".snakemake/slurm_logs"
    for rule, jobs in SLURM_JOBS.items():
        found = sorted((logs / f"rule_{rule}").rglob("*.log"))
        assert len(found) == jobs, (rule, [str(p.relative_to(logs)) for p in found])
        # Each log is the SLURM job's own output: the job's Snakemake ran the rule there.
        for log in found:
            text = log.read_text()
            assert f"rule {rule}:" in text and f"Finished jobid: 0 (Rule: {rule})" in text, log


def test_collection_and_reporting_stayed_on_the_submitting_host(slurm_run):
    wd, output = slurm_run
    logs = wd / ".snakemake/slurm_logs"
    for rule in LOCAL_RULES:
        assert not (logs / f"rule_{rule}").exists(), rule
        assert f"localrule {rule}:" in output, rule
    assert (wd / "data/raw/simulated/posts.jsonl").exists()
