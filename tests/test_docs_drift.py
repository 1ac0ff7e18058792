"""Docs that cannot drift: the architecture names every module and rule, the published text
names no tracker numbers or paths outside the repository, and every result path the README
shows exists after a study."""

import itertools
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src/dealerdetect"
ARCHITECTURE = (ROOT / "docs/architecture.md").read_text(encoding="utf-8")


def modules() -> list[str]:
    """Every module of the package, as a dotted name under ``dealerdetect``."""
    names = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG).with_suffix("")
        if rel.name == "__init__":
            rel = rel.parent
            if rel == Path("."):
                continue
        names.append(".".join(rel.parts))
    return names


def rules() -> list[str]:
    text = "\n".join(p.read_text() for p in (ROOT / "workflow/rules").glob("*.smk"))
    named = re.findall(r"^(?:rule|checkpoint) (\w+):", text, re.M)
    return sorted(set(named) | set(re.findall(r"^use rule \w+ as (\w+)", text, re.M)))


def named_in_architecture(dotted: str) -> bool:
    path = dotted.replace(".", "/")
    leaf = dotted.rsplit(".", 1)[-1]
    forms = (f"`{dotted}`", f"`{path}.py`", f"`{path}/`", f"`{leaf}.py`", f"`{dotted}.")
    return any(form in ARCHITECTURE for form in forms)


@pytest.mark.parametrize("module", modules())
def test_every_module_is_named_in_the_architecture(module):
    assert named_in_architecture(module), f"docs/architecture.md does not name {module}"


@pytest.mark.parametrize("rule", rules())
def test_every_rule_is_named_in_the_architecture(rule):
    assert f"`{rule}`" in ARCHITECTURE or f"rule {rule} " in ARCHITECTURE, (
        f"docs/architecture.md does not name rule {rule}"
    )


def published_files() -> list[Path]:
    """What a reader of the published project reads: docs, the report's captions, the notebooks,
    and every comment and docstring in the code, the rules and the benchmarks."""
    globs = (
        "README.md",
        "CHANGELOG.md",
        "docs/*.md",
        "workflow/report/*.rst",
        "workflow/**/*.smk",
        "workflow/**/*.py",
        "Snakefile",
        "config.yaml",
        "workflow/schemas/*.yaml",
        "src/**/*.py",
        "src/**/*.yaml",
        "bench/*.py",
        "notebooks/*.ipynb",
        "tests/*.py",
    )
    return sorted({p for g in globs for p in ROOT.glob(g) if p.is_file()})


# A tracker number: "#17", "(#4)", "issue 15", "issues #9-#17". A hashtag starts with a letter
# or runs on into one ("#2mgxanax"), and a colour is "#1f77b4", so neither matches.
TRACKER = re.compile(r"(?<![\w&])#\d{1,3}(?![\w])|\bissues? #?\d+", re.I)
OUTSIDE = re.compile(r"\.\./shared|/work/|shared/(?:data|paper)")


@pytest.mark.parametrize("path", published_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_tracker_numbers_or_paths_outside_the_repository(path):
    text = path.read_text(encoding="utf-8")
    if path.name == "test_docs_drift.py":
        text = text.split("# A tracker number", 1)[0]
    found = [
        f"line {text[: m.start()].count(chr(10)) + 1}: {m.group()!r}"
        for rx in (TRACKER, OUTSIDE)
        for m in rx.finditer(text)
    ]
    assert not found, f"{path.relative_to(ROOT)}: {found[:5]}"


def readme_result_paths() -> list[str]:
    """The result paths the README's table of outputs shows (in backticks, under results/)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"`(results/[^`\s]+)`", readme)))


def expand(pattern: str, values: dict[str, list[str]]) -> list[str]:
    """``{variant}`` (or ``<variant>``) -> each variant, ``{csv,md}`` -> each choice, another
    single name (``{p}``, a part number) -> any (a glob)."""
    parts = re.split(r"(\{[^}]*\}|<[^>]*>)", pattern)
    choices = []
    for part in parts:
        if part[:1] in "{<" and part:
            inner = part[1:-1]
            if inner in values:
                choices.append(values[inner])
            elif "," in inner:
                choices.append(inner.split(","))
            else:
                choices.append(["*"])
        else:
            choices.append([part])
    return ["".join(c) for c in itertools.product(*choices)]


# Result paths the README shows that the study itself does not write, and what does.
NOT_THE_STUDY = {
    "results/report.html": "snakemake --report",
    "results/annotation/learning_curve.csv": "bench/learning_curve.py",
}


@pytest.mark.slow
def test_every_result_path_the_readme_shows_exists_after_a_study(tiny_run):
    import yaml

    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    tiny = yaml.safe_load((ROOT / "tests/config/tiny.yaml").read_text())
    values = {
        "variant": config["preprocessing"]["variants"],
        "protocol": config["cv"]["protocols"],
        "model": tiny["models"]["run"],
    }
    from dealerdetect.study.registry import PICTURE_VARIANTS

    # The picture variants run the LSTM only with pictures.lstm (off by default).
    skipped = [] if config["pictures"]["lstm"] else [f"/{v}/lstm/" for v in PICTURE_VARIANTS]
    missing = []
    for shown in readme_result_paths():
        if shown in NOT_THE_STUDY:
            continue
        for path in expand(shown, values):
            if any(s in path for s in skipped):
                continue
            hits = list(tiny_run.glob(path.rstrip("/"))) if "*" in path else [tiny_run / path]
            if not any(h.exists() for h in hits):
                missing.append(path)
    assert not missing, f"README shows paths a study does not write: {missing}"
