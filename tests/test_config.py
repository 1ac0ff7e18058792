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
        # What the schema alone let through: each now fails at parse time too.
        ({"seed": -1}, "seed"),
        ({"seed": 2**66}, "seed"),
        ({"cv": {"folds": 3.0}}, "cv.folds"),
        ({"preprocessing": {"text_length": 50.0}}, "preprocessing.text_length"),
        ({"collection": {"window": {"start": "2018-07-19garbage"}}}, "start"),
        ({"collection": {"window": {"start": "2018-13-45"}}}, "collection.window.start"),
        ({"models": {"decision_tree": {"max_depthh": 3}}}, "models.decision_tree.max_depthh"),
        ({"models": {"random_forest": {"n_jobs": -1}}}, "models.random_forest.n_jobs"),
    ],
)
# One dry run per case (~3 s each): the slow tier. The fast tier checks the same settings by
# calling check_config directly (test_hardening, test_config_properties).
@pytest.mark.slow
def test_bad_config_fails_before_any_job_naming_the_key(tmp_path, override, key):
    wd = scratch_workflow(tmp_path)
    (wd / "bad.yaml").write_text(yaml.safe_dump(override))
    proc = snakemake(wd, "-n", "--configfile", "bad.yaml", check=False)
    assert proc.returncode != 0
    assert key in proc.stderr + proc.stdout
    assert not (wd / "results").exists() and not (wd / "data").exists()


@pytest.mark.parametrize("overlay", [False, True])
def test_a_duplicate_yaml_key_fails_before_any_job_naming_file_and_key(tmp_path, overlay):
    wd = scratch_workflow(tmp_path)
    args = ["-n"]
    if overlay:
        (wd / "bad.yaml").write_text("cv:\n  folds: 3\n  folds: 5\n")
        args += ["--configfile", "bad.yaml"]
    else:  # the last of two 'seed:' lines in config.yaml itself would win silently
        (wd / "config.yaml").write_text((wd / "config.yaml").read_text() + "seed: 1\n")
    proc = snakemake(wd, *args, check=False)
    assert proc.returncode != 0
    name, key = ("bad.yaml", "folds") if overlay else ("config.yaml", "seed")
    out = proc.stdout + proc.stderr
    assert re.search(rf"{name}: line \d+: key '{key}' given twice", out), out[-3000:]
    assert not (wd / "results").exists() and not (wd / "data").exists()


def test_environment_yml_agrees_with_pyproject():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "python=3.11" in env["dependencies"]
    assert sorted(p for p in pip if p != "-e .") == sorted(deps)
