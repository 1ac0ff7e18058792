"""Summarize a finished run's Snakemake benchmarks (run from the workflow directory).

    python workflow/scripts/benchmark_summary.py [benchmarks/]

Prints wall time per rule, the critical path through the rule graph, and peak memory per job.
"""

import subprocess
import sys

from dealerdetect.benchmarks import critical_path, per_rule, read_benchmarks, rule_edges

root = sys.argv[1] if len(sys.argv) > 1 else "benchmarks"
jobs = read_benchmarks(root)
print("Wall time per rule (seconds):")
print(per_rule(jobs).to_string())
dot = subprocess.run(
    [sys.executable, "-m", "snakemake", "--rulegraph", "--quiet"],
    capture_output=True,
    text=True,
    check=True,
).stdout
seconds, path = critical_path(jobs, rule_edges(dot))
print(f"\nCritical path ({seconds:.0f} s, slowest job of each rule): " + " -> ".join(path))
top = jobs.sort_values("max_rss_mb", ascending=False).head(5)
print(
    f"\nPeak memory per job: max {jobs['max_rss_mb'].max():.0f} MB, median {jobs['max_rss_mb'].median():.0f} MB"
)
print(top[["job", "max_rss_mb", "seconds"]].to_string(index=False))
