import os

import pytest
from hypothesis import HealthCheck, Verbosity, settings

# Hypothesis: one fixed profile in CI (derandomized: the same draws on every run, so a failure
# replays), and every failure prints the example and the blob that reproduces it. Elsewhere the
# draws vary, to find new cases; HYPOTHESIS_PROFILE picks either.
settings.register_profile(
    "ci",
    derandomize=True,
    print_blob=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", print_blob=True, deadline=None, verbosity=Verbosity.normal)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# The tiny study's pseudonym salt, kept where a real study keeps it (collection.salt_file), never
# in a config file; tests/test_secrets.py checks it is published nowhere.
TINY_SALT = "tiny-test-salt-4f1c9a"

# Keep TensorFlow quiet and on the CPU in tests.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")


def pytest_runtest_setup(item):
    """Tell the Snakemake helper whether this test is in the slow tier, before its fixtures
    (the shared tiny study among them) are set up: the fast tier (``pytest -m "not slow"``) may
    parse, lint and dry-run the workflow but never runs a study."""
    import workflow_helpers

    workflow_helpers.SLOW_TEST = item.get_closest_marker("slow") is not None


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """One end-to-end run of the real Snakefile on tests/config/tiny.yaml, shared by the tests
    of the workflow, the notebooks and the privacy scan. Snakemake's console output (stdout, then
    stderr) is kept in ``console.txt`` of the returned folder."""
    from workflow_helpers import ROOT, scratch_workflow, snakemake

    wd = scratch_workflow(tmp_path_factory.mktemp("tiny"))
    (wd / "data" / "secrets").mkdir(parents=True)
    (wd / "data" / "secrets" / "salt.txt").write_text(TINY_SALT + "\n")
    proc = snakemake(wd, "--configfile", str(ROOT / "tests/config/tiny.yaml"))
    (wd / "console.txt").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    return wd
