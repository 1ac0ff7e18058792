"""Summaries of Snakemake's per-job benchmarks: time per rule, critical path, peak memory."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd


def read_benchmarks(root: str | Path = "benchmarks") -> pd.DataFrame:
    """One row per job: rule (first path part under benchmarks/), job, wall seconds, max RSS MB,
    CPU seconds (Snakemake's ``cpu_time``; NaN where it recorded none)."""
    rows = []
    root = Path(root)
    for path in sorted(root.rglob("*.tsv")):
        df = pd.read_csv(path, sep="\t")
        rel = path.relative_to(root)
        rule = rel.parts[0].removesuffix(".tsv") if len(rel.parts) > 1 else rel.stem
        rows.append(
            {
                "rule": rule,
                "job": str(rel.with_suffix("")),
                "seconds": float(df["s"].iloc[-1]),
                "max_rss_mb": float(df["max_rss"].iloc[-1]),
                "cpu_s": float(pd.to_numeric(df["cpu_time"], errors="coerce").iloc[-1])
                if "cpu_time" in df
                else float("nan"),
            }
        )
    if not rows:
        raise FileNotFoundError(f"{root}: no benchmark files; run the study first")
    return pd.DataFrame(rows)


def per_rule(jobs: pd.DataFrame) -> pd.DataFrame:
    g = jobs.groupby("rule")
    return (
        pd.DataFrame(
            {
                "jobs": g.size(),
                "total_s": g["seconds"].sum(),
                "cpu_s": g["cpu_s"].sum(),
                "median_s": g["seconds"].median(),
                "max_s": g["seconds"].max(),
                "peak_rss_mb": g["max_rss_mb"].max(),
            }
        )
        .sort_values("total_s", ascending=False)
        .round(1)
    )


def cpu_floor(jobs: pd.DataFrame, cores: int) -> float:
    """Wall seconds below which no schedule of these jobs can finish on ``cores`` cores: their
    CPU time spread perfectly over the cores (ignores dependencies, so it is a lower bound)."""
    return float(jobs["cpu_s"].sum()) / cores


def rule_edges(rulegraph_dot: str) -> list[tuple[str, str]]:
    """(upstream, downstream) rule pairs from ``snakemake --rulegraph`` output."""
    names = dict(re.findall(r'^\s*(\d+)\[label = "([^"]+)"', rulegraph_dot, re.M))
    return [
        (names[a], names[b])
        for a, b in re.findall(r"^\s*(\d+) -> (\d+)", rulegraph_dot, re.M)
        if a in names and b in names
    ]


def critical_path(jobs: pd.DataFrame, edges: list[tuple[str, str]]) -> tuple[float, list[str]]:
    """Longest chain of rules, each weighted by its slowest job (jobs of a rule run in parallel)."""
    # Benchmark folders are named after the rule, except evaluate/ which holds three rules.
    weight = jobs.groupby("rule")["seconds"].max().to_dict()
    if "evaluate" in weight:
        for r in ("evaluate_classic", "evaluate_baseline", "evaluate_lstm"):
            weight.setdefault(r, weight["evaluate"])
    figures = weight.get("figures", 0.0)
    best: dict[str, tuple[float, list[str]]] = {}
    rules = {r for e in edges for r in e}

    def longest(rule: str) -> tuple[float, list[str]]:
        if rule not in best:
            ups = [longest(a) for a, b in edges if b == rule]
            t, path = max(ups, default=(0.0, []))
            own = weight.get(rule, figures if rule.startswith("figure") else 0.0)
            best[rule] = (t + own, [*path, rule])
        return best[rule]

    return max((longest(r) for r in rules), default=(0.0, []))


def read_job_cpu(root: str | Path = "logs") -> pd.DataFrame:
    """One row per job log that ends with the CPU line :func:`dealerdetect.study.runlog.log_to`
    writes at exit: log (path under ``root``) and cpu_s, the job's exact CPU seconds."""
    from dealerdetect.study.runlog import CPU_LINE

    rows = []
    for path in sorted(Path(root).rglob("*.log")):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        last = [ln for ln in lines[-3:] if ln.startswith(CPU_LINE)]
        if last:
            rows.append(
                {
                    "log": str(path.relative_to(root)),
                    "cpu_s": float(last[-1].split()[-1]),
                }
            )
    return pd.DataFrame(rows, columns=["log", "cpu_s"])
