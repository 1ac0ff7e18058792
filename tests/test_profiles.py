"""The SLURM workflow profile plans the study without a cluster."""

import shutil

from workflow_helpers import ROOT, scratch_workflow, snakemake


def test_slurm_dry_run_with_the_workflow_profile(tmp_path):
    wd = scratch_workflow(tmp_path)
    shutil.copytree(ROOT / "profiles", wd / "profiles")
    out = snakemake(
        wd,
        "-n",
        "--executor",
        "slurm",
        "--workflow-profile",
        "profiles/slurm",
        "--config",
        'models={"lstm": {"preset": "paper"}}',
    ).stdout
    lstm = out.split("rule evaluate_lstm:")[1].split("rule ")[0]
    assert "gpu=1" in lstm and "cpus_per_task=4" in lstm and "mem_mb=4000" in lstm
    classic = out.split("rule evaluate_classic:")[1].split("rule ")[0]
    assert "gpu" not in classic and "slurm_partition=" in classic
