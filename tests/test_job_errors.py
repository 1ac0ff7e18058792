"""A workflow job that stops on bad input ends with one line, on the console and in its log,
and exit status 1; a traceback there means a bug.

Every error class of the project's own for bad input (:class:`dealerdetect.errors.InputError`
and its subclasses) is raised in a real process set up as a job is (``runlog.log_to``); a
new class must be added to :data:`MAKE`, so none is left out. The slow tier runs the real
workflow on file-source corpora with each class of bad row.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import pytest
import yaml
from workflow_helpers import scratch_workflow, snakemake

import dealerdetect
from dealerdetect.errors import InputError

# How to raise each class in a job: the import and the expression.
MAKE = {
    "InputError": ("dealerdetect.errors", "InputError('x.yaml: key a.b: bad')"),
    "InputValueError": ("dealerdetect.errors", "InputValueError('x.yaml: key a.b: bad')"),
    "PostFormatError": ("dealerdetect.posts", "PostFormatError('p.csv', 3, 'user', 'empty')"),
    "LabelFormatError": (
        "dealerdetect.annotation.sheets",
        "LabelFormatError('a.csv', 4, 'label', 'not 0 or 1')",
    ),
    "ImageCategoryError": (
        "dealerdetect.annotation.images",
        "ImageCategoryError('a.csv', 4, 'image_category', 'unknown category')",
    ),
    "LabelsIncomplete": (
        "dealerdetect.annotation.sheets",
        "LabelsIncomplete([MissingLabel('p1', 'unlabelled', 'annotators')])",
    ),
    "NextBatchInUse": ("dealerdetect.annotation.active", "NextBatchInUse('sheet.csv: in use')"),
    "CollectionError": (
        "dealerdetect.collection",
        "CollectionError('collection.file: no such file')",
    ),
    "BundleError": ("dealerdetect.models.bundle", "BundleError('m.skops: not a bundle')"),
    "ClusterSetupError": ("dealerdetect.study.cluster", "ClusterSetupError('slurm: no partition')"),
    "ConfigError": (
        "dealerdetect.study.configcheck",
        "ConfigError('config: cv.folds: not a number')",
    ),
}


def _input_error_classes() -> set[str]:
    for mod in pkgutil.walk_packages(dealerdetect.__path__, "dealerdetect."):
        if ".simulated" in mod.name or mod.name.endswith(("lstm", "notebook")):
            continue  # TensorFlow and the simulator define no input error
        importlib.import_module(mod.name)
    seen, todo = set(), [InputError]
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith("dealerdetect"):
            seen.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return seen


def test_every_input_error_class_is_tried():
    assert _input_error_classes() == set(MAKE)


def _job(tmp_path, body: str) -> tuple[subprocess.CompletedProcess, str]:
    log = tmp_path / "job.log"
    script = (
        "from dealerdetect.study.runlog import log_to\n"
        f"log_to({str(log)!r})\n"
        "from dealerdetect.annotation.sheets import MissingLabel\n" + body
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    return proc, log.read_text()


@pytest.mark.parametrize("name", sorted(MAKE))
def test_an_input_error_ends_a_job_in_one_line(tmp_path, name):
    module, expr = MAKE[name]
    proc, log = _job(tmp_path, f"from {module} import {name}\nraise {expr}\n")
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in log and lines[0] in log.splitlines(), log
    assert log.splitlines()[-1].startswith("job cpu_seconds")


def test_a_bug_keeps_its_traceback_in_the_log_and_says_so_in_one_line(tmp_path):
    proc, log = _job(tmp_path, "{}['missing']\n")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"bug: KeyError in this job; its traceback is in {tmp_path / 'job.log'}"
    ]
    assert "Traceback" in log and "KeyError: 'missing'" in log


GOOD = {"id": "1", "user": "a", "timestamp": "2018-08-01T00:00:00Z", "caption": "order #xanax"}


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, content, expected",
    [
        (
            "posts.jsonl",
            json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "id": "2", "user": ""}) + "\n",
            "posts.jsonl: row 2: field 'user': empty",
        ),
        (
            "posts.jsonl",
            json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "id": " "}) + "\n",
            "posts.jsonl: row 2: field 'id'",
        ),
        (
            "posts.jsonl",
            json.dumps(GOOD) + '\n{"id": 2, bad\n',
            "posts.jsonl: row 2: field '<line>'",
        ),
        (
            "posts.csv",
            "id,user,user,timestamp,caption\n1,a,b,2018-08-01T00:00:00Z,hi\n",
            "posts.csv: row 1: field 'user': column name given twice",
        ),
    ],
    ids=["empty user", "blank id", "malformed row", "column twice"],
)
def test_bad_rows_reach_the_console_as_one_line(tmp_path, name, content, expected):
    wd = scratch_workflow(tmp_path)
    (wd / name).write_text(content)
    overlay = {"collection": {"source": "file", "file": {"path": name}}}
    (wd / "bad.yaml").write_text(yaml.safe_dump(overlay))
    proc = snakemake(wd, "data/raw/file/posts.jsonl", "--configfile", "bad.yaml", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "Traceback" not in out, out[-3000:]
    errors = [line for line in out.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and expected in errors[0], out[-3000:]
    log = (wd / "logs/collect_posts.log").read_text()
    assert "Traceback" not in log and errors[0] in log.splitlines()
