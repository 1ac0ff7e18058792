"""config.yaml is valid, documented, and a bad config fails before any job runs, naming the key."""

import re
import tomllib

import pytest
import yaml
from workflow_helpers import ROOT, scratch_workflow, snakemake


def test_every_config_key_is_commented():
    lines = (ROOT / "config.yaml").read_text().splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^\s*[a-z_]+:", line):
            assert lines[i - 1].strip().startswith("#"), (
                f"config.yaml line {i + 1}: {line.strip()} has no comment"
            )


@pytest.mark.parametrize(
    "override, key",
    [
        ({"cv": {"folds": "ten"}}, "folds"),
        ({"models": {"run": ["svm", "xgboost"]}}, "xgboost"),
        ({"collection": {"sourse": "file"}}, "sourse"),
        ({"models": {"lstm": {"preset": "gpu"}}}, "preset"),
    ],
)
def test_bad_config_fails_before_any_job_naming_the_key(tmp_path, override, key):
    wd = scratch_workflow(tmp_path)
    (wd / "bad.yaml").write_text(yaml.safe_dump(override))
    proc = snakemake(wd, "-n", "--configfile", "bad.yaml", check=False)
    assert proc.returncode != 0
    assert key in proc.stderr + proc.stdout
    assert not (wd / "results").exists() and not (wd / "data").exists()


def test_environment_yml_agrees_with_pyproject():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "python=3.11" in env["dependencies"]
    assert sorted(p for p in pip if p != "-e .") == sorted(deps)
