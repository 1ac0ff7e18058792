"""The SLURM workflow profile: plans the study without a cluster, and fits its requests to the
cluster it is given (dealerdetect.study.cluster, called from the profile's resource expressions)."""

import shutil

import pytest
from workflow_helpers import ROOT, scratch_workflow, snakemake

from dealerdetect.study import cluster


@pytest.mark.slow
def test_slurm_dry_run_with_the_workflow_profile(tmp_path, monkeypatch):
    # No SLURM answers (even where a test cluster runs): the requests are planned as written.
    monkeypatch.setenv("SLURM_CONF", str(tmp_path / "no-such-slurm.conf"))
    monkeypatch.setenv("SBATCH_ACCOUNT", "lab42")
    monkeypatch.setenv("SBATCH_PARTITION", "short")
    wd = scratch_workflow(tmp_path)
    shutil.copytree(ROOT / "profiles", wd / "profiles")
    # The jobs after the preprocess checkpoint are planned once it has run (small corpus).
    (wd / "small.yaml").write_text("collection:\n  simulated:\n    scale: 0.05\n")
    snakemake(wd, "--until", "preprocess", "--configfile", "small.yaml")
    out = snakemake(
        wd,
        "-n",
        "--executor",
        "slurm",
        "--workflow-profile",
        "profiles/slurm",
        "--configfile",
        "small.yaml",
        "--config",
        'models={"lstm": {"preset": "paper"}}',
    ).stdout
    lstm = out.split("rule evaluate_lstm:")[1].split("rule ")[0]
    assert "gpu=1" in lstm and "cpus_per_task=4" in lstm and "mem_mb=4000" in lstm
    classic = out.split("rule evaluate_classic:")[1].split("rule ")[0]
    assert "gpu" not in classic
    assert "slurm_account=lab42" in classic and "slurm_partition=short" in classic


def fake_slurm(monkeypatch, outputs: dict[str, str | None]):
    """Answer cluster._run from ``outputs`` keyed by the command's first word."""
    monkeypatch.setattr(cluster, "_run", lambda *cmd: outputs.get(cmd[0]))
    cluster._nodes.cache_clear()
    cluster._accounting.cache_clear()
    for var in cluster.ACCOUNT_VARS + cluster.PARTITION_VARS + ("SLURM_JOB_ID",):
        monkeypatch.delenv(var, raising=False)


SINFO = "debug*|2|20283|infinite\nlong|64|256000|7-00:00:00\nshort|8+|30000|30:00\n"


def test_parse_sinfo_and_time_limits():
    nodes = cluster.parse_sinfo(SINFO)
    assert [(n.partition, n.default, n.cpus, n.mem_mb, n.max_minutes) for n in nodes] == [
        ("debug", True, 2, 20283, None),
        ("long", False, 64, 256000, 7 * 24 * 60),
        ("short", False, 8, 30000, 30),
    ]
    assert cluster.parse_minutes("2:00:00") == 120
    assert cluster.parse_minutes("1-12") == 36 * 60


def test_requests_scale_down_to_the_largest_node_and_say_so(monkeypatch, capsys):
    fake_slurm(monkeypatch, {"sinfo": SINFO})
    assert cluster.fit("evaluate_lstm", "cpus", 4) == 2
    assert "evaluate_lstm asks for 4 cpus" in capsys.readouterr().err
    assert cluster.fit("evaluate_lstm", "mem_mb", 4000) == 4000
    assert cluster.fit("evaluate_lstm", "runtime", 120) == 120  # no time limit on debug
    monkeypatch.setenv("SBATCH_PARTITION", "short")
    assert cluster.fit("evaluate_lstm", "runtime", 120, least=20) == 30
    assert cluster.fit("evaluate_lstm", "cpus", 4) == 4


def test_a_rule_needing_more_than_any_node_has_is_named(monkeypatch):
    fake_slurm(monkeypatch, {"sinfo": "tiny*|1|1000|infinite\n"})
    with pytest.raises(cluster.ClusterSetupError, match="Rule evaluate_lstm needs at least 1500"):
        cluster.fit("evaluate_lstm", "mem_mb", 4000, least=1500)
    monkeypatch.setenv("SBATCH_PARTITION", "gpu")
    with pytest.raises(cluster.ClusterSetupError, match="'gpu' does not exist"):
        cluster.fit("evaluate_lstm", "cpus", 4)


def test_inside_a_job_threads_follow_the_cpus_it_was_given(monkeypatch):
    fake_slurm(monkeypatch, {})
    monkeypatch.setenv("SLURM_JOB_ID", "17")
    monkeypatch.setenv("SLURM_CPUS_PER_TASK", "3")
    assert cluster.fit("evaluate_lstm", "cpus", 4) == 3
    assert cluster.fit("evaluate_lstm", "mem_mb", 4000) == 4000


def test_without_slurm_every_request_stands(monkeypatch):
    fake_slurm(monkeypatch, {})
    assert cluster.fit("evaluate_lstm", "cpus", 4) == 4
    assert cluster.account() == "" and cluster.partition() == ""


def test_account_and_partition_only_where_the_cluster_needs_them(monkeypatch):
    fake_slurm(monkeypatch, {"sinfo": SINFO, "scontrol": "AccountingStorageEnforce = none\n"})
    assert cluster.account() == "" and cluster.partition() == ""
    monkeypatch.setenv("SBATCH_ACCOUNT", "lab42")
    assert cluster.account() == "lab42"

    enforcing = "AccountingStorageEnforce = associations,limits\n"
    fake_slurm(monkeypatch, {"sinfo": SINFO, "scontrol": enforcing, "sacctmgr": "\n"})
    with pytest.raises(cluster.ClusterSetupError, match="SBATCH_ACCOUNT=<account>"):
        cluster.account()
    fake_slurm(monkeypatch, {"sinfo": SINFO, "scontrol": enforcing, "sacctmgr": "lab42\n"})
    assert cluster.account() == ""  # sbatch uses the user's default account

    fake_slurm(monkeypatch, {"sinfo": "a|2|1000|infinite\nb|2|1000|infinite\n"})
    with pytest.raises(cluster.ClusterSetupError, match=r"no default one \(partitions: a, b\)"):
        cluster.partition()
