"""Fit the SLURM profile's requests to the cluster the jobs are submitted to.

``profiles/slurm/config.yaml`` calls these from its resource expressions. Snakemake evaluates
them on the submitting host for every job, and again inside each job (the job's own Snakemake
gets the same expressions). Without SLURM commands (a dry run on a laptop) every request is
returned as written.

Why: SLURM accepts a job that asks for more CPUs or time than any node of its partition offers
and leaves it pending for ever (reason ``PartitionConfig``), and without an account on a cluster
that enforces accounts every submission fails with a terse message.
"""

from __future__ import annotations

import functools
import getpass
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

from dealerdetect.errors import InputError

ACCOUNT_VARS = ("SBATCH_ACCOUNT", "SLURM_ACCOUNT")
PARTITION_VARS = ("SBATCH_PARTITION", "SLURM_PARTITION")
HOW_TO_SET = (
    "Give them for the run, e.g.\n"
    "  SBATCH_ACCOUNT=<account> SBATCH_PARTITION=<partition> snakemake --executor slurm "
    "--workflow-profile profiles/slurm\n"
    "or export SBATCH_ACCOUNT and SBATCH_PARTITION in your shell (sbatch reads the same "
    "variables). Your accounts: sacctmgr show associations user=$USER format=account,partition"
)


class ClusterSetupError(InputError, RuntimeError):
    """The cluster cannot run a job as requested; the message says what to change."""


@dataclass(frozen=True)
class Node:
    partition: str
    default: bool
    cpus: int
    mem_mb: int
    max_minutes: int | None  # None: no limit


def _env(names: tuple[str, ...]) -> str:
    return next((os.environ[n] for n in names if os.environ.get(n)), "")


def _inside_job() -> bool:
    return bool(os.environ.get("SLURM_JOB_ID"))


def _run(*cmd: str) -> str | None:
    """stdout of a SLURM command, or None where SLURM is absent or does not answer."""
    if shutil.which(cmd[0]) is None:
        return None
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def parse_minutes(limit: str) -> int | None:
    """A SLURM time limit (``infinite``, ``30:00``, ``2:00:00``, ``1-12:00:00``) in minutes."""
    limit = limit.strip()
    if limit in ("infinite", "UNLIMITED", "n/a", ""):
        return None
    days, _, clock = limit.rpartition("-")
    parts = [int(p) for p in clock.split(":")]
    if days:  # D-H, D-H:M, D-H:M:S
        hours, minutes = parts[0], (parts[1] if len(parts) > 1 else 0)
    elif len(parts) == 3:  # H:M:S
        hours, minutes = parts[0], parts[1]
    else:  # M or M:S
        hours, minutes = 0, parts[0]
    return int(days or 0) * 24 * 60 + hours * 60 + minutes


def parse_sinfo(text: str) -> list[Node]:
    """Lines of ``sinfo --noheader --format '%P|%c|%m|%l'`` (one per partition and node kind)."""
    nodes = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, cpus, mem, limit = line.split("|")
        nodes.append(
            Node(
                partition=name.rstrip("*"),
                default=name.endswith("*"),
                cpus=int(re.sub(r"\D.*", "", cpus)),
                mem_mb=int(re.sub(r"\D.*", "", mem)),
                max_minutes=parse_minutes(limit),
            )
        )
    return nodes


@functools.cache
def _nodes() -> list[Node] | None:
    out = _run("sinfo", "--noheader", "--format", "%P|%c|%m|%l")
    return None if out is None else parse_sinfo(out)


@functools.cache
def _accounting() -> tuple[str, str, bool]:
    """(user, AccountingStorageEnforce, whether the user has a default account), asked once."""
    user = getpass.getuser()
    config = _run("scontrol", "show", "config") or ""
    enforce = re.search(r"^AccountingStorageEnforce\s*=\s*(\S+)", config, re.M)
    if not enforce or enforce.group(1) == "none":
        return user, "none", False
    default = _run(
        "sacctmgr", "--noheader", "--parsable2", "show", "user", user, "format=defaultaccount"
    )
    return user, enforce.group(1), bool(default and default.strip())


def account() -> str:
    """The account to submit with: $SBATCH_ACCOUNT or $SLURM_ACCOUNT, else empty (sbatch then
    uses the user's default account, and a cluster without accounting needs none). Raises where
    the cluster enforces accounts and the user has no default one."""
    given = _env(ACCOUNT_VARS)
    if given or _inside_job():
        return given
    user, enforce, has_default = _accounting()
    if enforce == "none" or has_default:
        return ""
    raise ClusterSetupError(
        f"This cluster requires a SLURM account (AccountingStorageEnforce={enforce}) "
        f"and none was given, nor has user '{user}' a default account. {HOW_TO_SET}"
    )


def partition() -> str:
    """The partition to submit to: $SBATCH_PARTITION or $SLURM_PARTITION, else empty (the
    cluster's default partition). Raises where there is no default partition either."""
    given = _env(PARTITION_VARS)
    nodes = _nodes()
    if given or _inside_job() or nodes is None:
        return given
    if not any(n.default for n in nodes):
        names = ", ".join(sorted({n.partition for n in nodes}))
        raise ClusterSetupError(
            f"No SLURM partition given and this cluster has no default one (partitions: "
            f"{names}). {HOW_TO_SET}"
        )
    return ""


def _partition_nodes() -> tuple[str, list[Node]] | None:
    nodes = _nodes()
    if not nodes:
        return None
    name = _env(PARTITION_VARS) or next((n.partition for n in nodes if n.default), "")
    chosen = [n for n in nodes if n.partition == name]
    if not chosen:
        names = ", ".join(sorted({n.partition for n in nodes}))
        raise ClusterSetupError(f"SLURM partition '{name}' does not exist (partitions: {names}).")
    return name, chosen


@functools.cache
def _say_once(message: str) -> None:
    print(f"dealerdetect: {message}", file=sys.stderr)


def fit(rule: str, resource: str, wanted: int, least: int = 1) -> int:
    """``wanted`` of ``resource`` (``cpus``, ``mem_mb`` or ``runtime`` in minutes), lowered to
    what the largest node of the partition offers, but not below ``least``: below that the job
    could not run, and the error names the rule."""
    if _inside_job():
        # Threads must match what the job was given; the other values no longer matter.
        given = os.environ.get("SLURM_CPUS_PER_TASK", "")
        return min(wanted, int(given)) if resource == "cpus" and given.isdigit() else wanted
    found = _partition_nodes()
    if found is None:
        return wanted
    name, nodes = found
    offers = {
        "cpus": max(n.cpus for n in nodes),
        "mem_mb": max(n.mem_mb for n in nodes),
        "runtime": max((n.max_minutes or 0) for n in nodes)
        if all(n.max_minutes is not None for n in nodes)
        else None,
    }[resource]
    if offers is None or offers >= wanted:
        return wanted
    if offers < least:
        raise ClusterSetupError(
            f"Rule {rule} needs at least {least} {resource} and no node of SLURM partition "
            f"'{name}' offers more than {offers}. Choose another partition "
            f"(SBATCH_PARTITION=<partition>; `sinfo` lists them)."
        )
    _say_once(
        f"rule {rule} asks for {wanted} {resource}; partition '{name}' offers at most {offers} "
        f"per node: asking for {offers}."
    )
    return offers
