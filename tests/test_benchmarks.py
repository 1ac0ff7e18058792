"""The benchmark summary: per-rule times, CPU floor and critical path from benchmark files."""

import subprocess
import sys

import pytest

from dealerdetect.study.benchmarks import (
    cpu_floor,
    critical_path,
    per_rule,
    read_benchmarks,
    read_job_cpu,
    rule_edges,
)

HEADER = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"


def write(path, seconds, rss, cpu):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + f"{seconds}\t0:00:00\t{rss}\t1\t1\t1\t0\t0\t50\t{cpu}\n")


@pytest.fixture
def bench(tmp_path):
    root = tmp_path / "benchmarks"
    write(root / "collect_posts.tsv", 10.0, 100.0, 9.0)
    write(root / "evaluate" / "paper" / "a" / "lstm" / "fold0.tsv", 60.0, 900.0, 50.0)
    write(root / "evaluate" / "paper" / "a" / "svm" / "fold0.tsv", 5.0, 200.0, 3.0)
    # Snakemake writes "-" where it has no reading (very short jobs).
    write(root / "table1.tsv", 0.5, 50.0, "-")
    return root


def test_per_rule_sums_wall_and_cpu_and_keeps_the_peak(bench):
    jobs = read_benchmarks(bench)
    assert len(jobs) == 4 and jobs["cpu_s"].isna().sum() == 1
    rules = per_rule(jobs)
    assert rules.loc["evaluate", "jobs"] == 2
    assert rules.loc["evaluate", "total_s"] == 65.0
    assert rules.loc["evaluate", "cpu_s"] == 53.0
    assert rules.loc["evaluate", "peak_rss_mb"] == 900.0


def test_cpu_floor_spreads_the_cpu_time_over_the_cores(bench):
    jobs = read_benchmarks(bench)
    assert cpu_floor(jobs, 2) == pytest.approx((9 + 50 + 3) / 2)


def test_critical_path_follows_the_slowest_job_of_each_rule(bench):
    dot = (
        '0[label = "collect_posts"]\n1[label = "evaluate_lstm"]\n2[label = "table1"]\n'
        "0 -> 1\n1 -> 2\n"
    )
    seconds, path = critical_path(read_benchmarks(bench), rule_edges(dot))
    assert path == ["collect_posts", "evaluate_lstm", "table1"]
    assert seconds == pytest.approx(10 + 60 + 0.5)


def test_no_benchmarks_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no benchmark files"):
        read_benchmarks(tmp_path)


def test_a_job_log_ends_with_the_jobs_exact_cpu_time(tmp_path):
    """A job that calls log_to and burns CPU reports it in its log's last line, and the summary
    reads it back (Snakemake's own cpu_time is sampled every 30 s and misses a job's tail)."""
    log = tmp_path / "logs" / "evaluate" / "job.log"
    burn = (
        "from dealerdetect.study.runlog import log_to, cpu_seconds\n"
        f"log_to({str(log)!r})\n"
        "while cpu_seconds() < 0.6:\n"
        "    sum(i * i for i in range(10000))\n"
    )
    subprocess.run([sys.executable, "-c", burn], check=True)
    own = read_job_cpu(tmp_path / "logs")
    assert list(own["log"]) == ["evaluate/job.log"]
    assert 0.6 <= own["cpu_s"].iloc[0] < 30
    (tmp_path / "logs" / "other.log").write_text("no cpu line\n")
    assert len(read_job_cpu(tmp_path / "logs")) == 1
