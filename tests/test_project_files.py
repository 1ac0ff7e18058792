"""The files a published research tool carries stay consistent: one version, a licence that
matches the package metadata, a citation of the paper and the software."""

import re
import tomllib
from pathlib import Path

import yaml

import dealerdetect

ROOT = Path(__file__).resolve().parents[1]


def test_the_version_is_written_once():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in meta["project"], "pyproject.toml repeats the version"
    assert meta["project"]["dynamic"] == ["version"]
    assert meta["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "dealerdetect.__version__"}
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert "version" not in cff, "CITATION.cff repeats the version"


def test_the_newest_release_in_the_changelog_is_the_package_version():
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert releases, "CHANGELOG.md names no release"
    assert releases[0] == dealerdetect.__version__


def test_the_licence_file_is_the_licence_the_package_declares():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["project"]["license"] == {"text": "MIT"}
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_the_citation_file_cites_the_paper_and_the_software():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "software"
    paper = cff["preferred-citation"]
    assert paper["doi"] == "10.2196/13803"
    assert [a["family-names"] for a in paper["authors"]] == ["Li", "Xu", "Shah", "Mackey"]
    assert cff["license"] == "MIT"


def test_the_conda_environment_installs_what_the_package_needs():
    """environment.yml (the conda route, and the rules' conda: directive) lists exactly the
    package's dependencies, markers included, and installs the package itself."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert [d for d in pip if d != "-e ."] == meta["project"]["dependencies"]
    assert "-e ." in pip
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python == "python=3.11"
