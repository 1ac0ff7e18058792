"""Logging for workflow scripts: everything a job says goes to its Snakemake log file.

A job that stops on bad input (:class:`dealerdetect.errors.InputError`: a config key, a file, a
row or a field) ends with that error's message alone, on the console and as the log's last
lines before its CPU line, and exit status 1: no traceback, which would mean a bug. Any other
exception keeps its traceback in the log, and the console gets one line that names it and the
log.

Snakemake shows a script job's stderr on its console. TensorFlow's C++ core writes there
directly (file descriptor 2), not through Python's ``sys.stderr``: absl prints lines such as
``I0000 ... oneDNN custom operations are on`` before any log level applies (no environment
variable silences them in TF 2.21, checked), so the descriptor itself is pointed at the log.
"""

from __future__ import annotations

import atexit
import functools
import logging
import os
import resource
import sys
import traceback
from pathlib import Path

# TF_CPP_MIN_LOG_LEVEL 3 drops TF's C++ INFO/WARNING/ERROR lines (e.g. ``E0000 ... oneDNN
# supports DT_BOOL only ...``, harmless); a Python exception still reaches the log. oneDNN itself
# stays on: TF_ENABLE_ONEDNN_OPTS=0 would change the numerics. Set only where unset, so
# TF_CPP_MIN_LOG_LEVEL=0 in the environment brings them back for debugging.
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3"}


def quiet_tensorflow() -> None:
    """Lower TensorFlow's C++ logging; must run before TensorFlow is imported to take effect."""
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)


def log_to(path: str | Path) -> None:
    """Send stderr (Python's and the process's descriptor 2) and the ``logging`` root to
    ``path`` (the rule's ``log:``), and quiet TensorFlow. Call it before importing the package's
    modules that import TensorFlow."""
    quiet_tensorflow()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives as long as the job
    sys.stderr.flush()
    # The console (Snakemake's) keeps a descriptor of its own for the one line of an error.
    console = os.fdopen(os.dup(2), "w", buffering=1, encoding="utf-8", errors="replace")
    sys.excepthook = functools.partial(_end_job, fh, console, str(path))
    # C/C++ code (TensorFlow, absl) writes to descriptor 2, which Python's sys.stderr does not
    # cover; both now share one file offset, so their lines interleave instead of overwriting.
    os.dup2(fh.fileno(), 2)
    sys.stderr = fh
    logging.basicConfig(
        stream=fh,
        level=logging.INFO,
        force=True,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    atexit.register(_write_cpu_seconds, fh)


def _end_job(log, console, log_path: str, kind, err, tb) -> None:
    """sys.excepthook of a job: bad input ends in its message; a bug keeps its traceback."""
    from dealerdetect.errors import InputError

    if isinstance(err, InputError):
        message = f"error: {err}"
        for out in (log, console):
            out.write(message.rstrip("\n") + "\n")
            out.flush()
        return
    traceback.print_exception(kind, err, tb, file=log)
    log.flush()
    console.write(f"bug: {kind.__name__} in this job; its traceback is in {log_path}\n")
    console.flush()


CPU_LINE = "job cpu_seconds"


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and its waited-for children so far."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _write_cpu_seconds(fh) -> None:
    """Last line of a job's log: its exact CPU time. Snakemake's benchmark samples a job every
    30 s after its first 30, so its ``cpu_time`` misses up to the last 30 s of a long job."""
    if not fh.closed:
        fh.write(f"{CPU_LINE} {cpu_seconds():.2f}\n")
        fh.flush()
