"""Summarize a finished run's Snakemake benchmarks (run from the workflow directory).

    python bench/benchmark_summary.py [benchmarks/] [--cores N]

Prints wall time and CPU time per rule, the critical path through the rule graph, the CPU floor
(the jobs' CPU time spread over N cores, a bound no schedule beats) and peak memory per job.
"""

import argparse
import os
import subprocess
import sys

from dealerdetect.study.benchmarks import (
    cpu_floor,
    critical_path,
    per_rule,
    read_benchmarks,
    read_job_cpu,
    rule_edges,
)

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("root", nargs="?", default="benchmarks")
ap.add_argument("--cores", type=int, default=os.cpu_count(), help="cores of the machine")
args = ap.parse_args()
jobs = read_benchmarks(args.root)
print("Wall and CPU time per rule (seconds):")
print(per_rule(jobs).to_string())
dot = subprocess.run(
    [sys.executable, "-m", "snakemake", "--rulegraph", "--quiet"],
    capture_output=True,
    text=True,
    check=True,
).stdout
seconds, path = critical_path(jobs, rule_edges(dot))
print(f"\nCritical path ({seconds:.0f} s, slowest job of each rule): " + " -> ".join(path))
print(
    f"CPU time of all jobs: {jobs['cpu_s'].sum():.0f} s; on {args.cores} cores no schedule "
    f"finishes in under {cpu_floor(jobs, args.cores):.0f} s"
)
own = read_job_cpu("logs")  # empty if there are no logs
if len(own):
    # Snakemake samples a long job's CPU every 30 s, so its cpu_time misses each job's last
    # seconds; the jobs' own count (last line of each log) is exact.
    print(
        f"CPU time the jobs measured themselves ({len(own)} job logs): {own['cpu_s'].sum():.0f} s; "
        f"on {args.cores} cores no schedule finishes in under {cpu_floor(own, args.cores):.0f} s"
    )
top = jobs.sort_values("max_rss_mb", ascending=False).head(5)
print(
    f"\nPeak memory per job: max {jobs['max_rss_mb'].max():.0f} MB, median {jobs['max_rss_mb'].median():.0f} MB"
)
print(top[["job", "max_rss_mb", "seconds"]].to_string(index=False))
