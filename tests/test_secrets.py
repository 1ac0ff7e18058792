"""The pseudonym salt is a secret: it reaches the collection job and is published nowhere."""

import base64
import json

import pytest
import yaml
from conftest import TINY_SALT
from workflow_helpers import ROOT, scratch_workflow, snakemake

from dealerdetect.collection.collect import collect

pytestmark = pytest.mark.slow


def _encodings(secret: str) -> list[bytes]:
    """The secret as bytes and base64-encoded at each of the three offsets (reports embed files
    as base64 data URIs), so an encoded copy is found too."""
    raw = secret.encode()
    found = [raw]
    for pad in range(3):
        enc = base64.b64encode(b"\0" * pad + raw)
        skip = (pad * 4 + 2) // 3  # characters that still depend on the padding
        found.append(enc[skip : len(enc) - 4])
    return found


def test_salt_reaches_the_job_and_is_in_no_output_log_metadata_or_report(tiny_run, tmp_path):
    report = tmp_path / "report.html"
    snakemake(
        tiny_run, "--configfile", str(ROOT / "tests/config/tiny.yaml"), "--report", str(report)
    )
    assert report.stat().st_size > 10_000

    # The job did use the salt in the secret file: collecting again with it gives the same ids.
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())["collection"]
    cfg["simulated"] = yaml.safe_load((ROOT / "tests/config/tiny.yaml").read_text())["collection"][
        "simulated"
    ]
    drugs = yaml.safe_load((ROOT / "config.yaml").read_text())["drugs"]
    collect(cfg, seed=7, salt=TINY_SALT, out_dir=tmp_path / "again", drugs=drugs)
    ran = (tiny_run / "data/raw/simulated/posts.jsonl").read_text()
    assert (tmp_path / "again/posts.jsonl").read_text() == ran
    assert json.loads(ran.splitlines()[0])["user"].startswith("u_")

    files = [report] + [
        p
        for d in ("results", "logs", "benchmarks", ".snakemake")
        for p in (tiny_run / d).rglob("*")
        if p.is_file()
    ]
    assert any(".snakemake/metadata" in str(p) for p in files), "metadata was not written"
    needles = _encodings(TINY_SALT)
    leaks = [str(p) for p in files if any(n in p.read_bytes() for n in needles)]
    assert not leaks, f"the salt is published in {leaks}"


def test_a_salt_in_a_config_file_is_refused_naming_the_key(tmp_path):
    wd = scratch_workflow(tmp_path)
    (wd / "salted.yaml").write_text(yaml.safe_dump({"collection": {"pseudonym_salt": "s3cret"}}))
    proc = snakemake(wd, "-n", "--configfile", "salted.yaml", check=False)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "collection.pseudonym_salt" in out and "salt_file" in out
    assert not (wd / "results").exists() and not (wd / "data").exists()
