"""docs/reproduction.md stays true to the code: every rule and function it names exists."""

import importlib
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTES = (ROOT / "docs/reproduction.md").read_text(encoding="utf-8")
TICKED = re.compile(r"`([^`\s]+)`")
FILE_SUFFIXES = (".csv", ".md", ".json", ".jsonl", ".yaml", ".py", ".parquet", ".keras", ".skops")


def rule_names() -> set[str]:
    text = "\n".join(p.read_text() for p in (ROOT / "workflow/rules").glob("*.smk"))
    names = re.findall(r"^(?:rule|checkpoint) (\w+)", text, re.M)
    return set(names) | set(re.findall(r"^use rule \w+ as (\w+)", text, re.M))


def resolves_in_package(name: str) -> bool:
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module("dealerdetect." + ".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return True
    return False


def resolves_in_library(name: str) -> bool:
    """A maintained library's name the notes cite (e.g. phonenumbers.PhoneNumberMatcher)."""
    module, _, attr = name.rpartition(".")
    try:
        return hasattr(importlib.import_module(module), attr)
    except ImportError:
        return False


def resolves_in_config(name: str) -> bool:
    node = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text())
    for part in name.split("."):
        props = node.get("properties", {}) if isinstance(node, dict) else {}
        if part not in props:
            return False
        node = props[part]
    return True


def mapping_rows() -> list[list[str]]:
    table = NOTES.split("## Methods step", 1)[1].split("\n## ", 1)[0]
    rows = [r.split("|")[1:-1] for r in table.splitlines() if r.startswith("| ")]
    return [[c.strip() for c in r] for r in rows[1:] if len(r) == 3]


def test_every_rule_in_the_mapping_table_exists():
    rules = rule_names()
    named = {t for _, rule, _ in mapping_rows() for t in TICKED.findall(rule)}
    named = {t for t in named if re.fullmatch(r"[a-z_0-9]+", t) and not t[0].isdigit()}
    assert named and named <= rules, sorted(named - rules)


def test_every_function_in_the_mapping_table_exists():
    named = [t for _, _, fn in mapping_rows() for t in TICKED.findall(fn)]
    named = [t for t in named if re.fullmatch(r"[A-Za-z_][\w.]*", t)]
    missing = [t for t in named if not resolves_in_package(t)]
    assert len(named) > 20 and not missing, missing


@pytest.mark.parametrize(
    "name",
    sorted(
        {
            t
            for t in TICKED.findall(NOTES)
            if re.fullmatch(r"[a-z_]+(\.[A-Za-z_]+)+", t) and not t.endswith(FILE_SUFFIXES)
        }
    ),
)
def test_every_dotted_name_in_the_notes_is_code_or_a_config_key(name):
    assert resolves_in_package(name) or resolves_in_config(name) or resolves_in_library(name), name
