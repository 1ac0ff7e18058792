"""The public API: the names a researcher calls from a notebook import from the phase packages,
each package's ``__all__`` is exactly that list, and docs/architecture.md lists every name."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PUBLIC = {
    "dealerdetect.privacy": [
        "APPS",
        "Contact",
        "contact_kinds",
        "contact_values",
        "find_contacts",
        "find_phones",
        "load_salt",
        "pseudonym",
        "redact",
        "redact_hashtags",
    ],
    "dealerdetect.preprocessing": [
        "build_dictionary",
        "clean",
        "featurize",
        "is_hashtag",
        "load_stopwords",
        "preprocess",
        "to_index",
    ],
    "dealerdetect.notebook": ["load_study", "misclassified", "results_dir"],
    "dealerdetect.predict": ["Scorer", "train_final"],
}


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_the_public_names_import_from_their_package(package):
    mod = importlib.import_module(package)
    assert sorted(mod.__all__) == PUBLIC[package]
    for name in PUBLIC[package]:
        assert getattr(mod, name) is not None, f"{package}.{name}"


def test_the_architecture_doc_lists_exactly_the_public_names():
    doc = (ROOT / "docs/architecture.md").read_text()
    section = doc.split("## The public API", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `(dealerdetect\.[\w.]+)` \|", section, re.M))
    assert listed == {f"{p}.{n}" for p, names in PUBLIC.items() for n in names}


def test_the_documented_calls_work():
    from dealerdetect.preprocessing import clean, load_stopwords
    from dealerdetect.privacy import contact_kinds, redact

    text = "wickr: plugdaddy99 or call 555-201-3344 #xanax"
    assert redact(text) == "wickr: [HANDLE] or call [PHONE] #xanax"
    assert {"wickr", "phone"} <= contact_kinds(text)
    assert clean(redact(text), load_stopwords()) == [
        "wickr",
        "[handle]",
        "call",
        "[phone]",
        "#xanax",
    ]


def test_the_public_packages_do_not_import_tensorflow():
    code = "import sys, " + ", ".join(PUBLIC) + "; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
