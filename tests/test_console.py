"""A quiet console: job output (TensorFlow's C++ lines included) goes to the job's log."""

import re
import subprocess
import sys

import pytest
from workflow_helpers import ROOT

TF_NOISE = re.compile(r"oneDNN|^[EIW]0000 |absl::InitializeLog", re.M)
EPOCH_LINE = re.compile(r"epoch (\d+) loss [\d.]+ val_loss [\d.]+ seconds [\d.]+$", re.M)


def test_log_to_sends_descriptor_2_and_sys_stderr_to_the_log(tmp_path):
    # What TensorFlow's C++ core does: write straight to file descriptor 2.
    log = tmp_path / "logs" / "job.log"
    code = (
        "import os, sys, logging\n"
        "from dealerdetect.study.runlog import log_to\n"
        f"log_to({str(log)!r})\n"
        "os.write(2, b'I0000 00:00 port.cc:153] oneDNN custom operations are on\\n')\n"
        "print('python stderr', file=sys.stderr)\n"
        "logging.getLogger('x').info('a log record')\n"
        "print(os.environ['TF_CPP_MIN_LOG_LEVEL'])\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert proc.stderr == "" and proc.stdout == "3\n"
    text = log.read_text()
    for expected in ("oneDNN custom operations are on", "python stderr", "a log record"):
        assert expected in text


@pytest.mark.slow
def test_tiny_study_console_has_no_tensorflow_lines_and_lstm_logs_one_line_per_epoch(tiny_run):
    console = (tiny_run / "console.txt").read_text()
    assert "steps (100%) done" in console  # the console was kept
    noise = TF_NOISE.findall(console)
    assert not noise, f"TensorFlow lines on the console: {noise[:3]}"
    epochs = 2  # tests/config/tiny.yaml; the paper's rule cannot stop before epoch 5
    # 3 variants x 2 jobs (tiny.yaml: folds_per_job 2 of 3 folds): folds 0-1, then fold 2.
    logs = sorted((tiny_run / "logs/evaluate/paper").glob("*/lstm/part*.log"))
    assert len(logs) == 6
    for log in logs:
        found = [int(e) for e in EPOCH_LINE.findall(log.read_text())]
        folds = 2 if log.name == "part0.log" else 1
        assert found == list(range(1, epochs + 1)) * folds, log
