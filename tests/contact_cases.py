"""The written contact forms and benign sentences of tests/data/contact_forms/, as rows."""

from __future__ import annotations

import re
from pathlib import Path

from dealerdetect.text import normalize

DATA = Path(__file__).parent / "data" / "contact_forms"


def load_forms(name: str = "forms.tsv") -> list[tuple[str, str, str, str]]:
    """(family, kind, must_not_survive, text) per case; "\\n" in the text is a line break."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        family, kind, secret, text = line.split("\t", 3)
        rows.append((family, kind, secret, text.replace("\\n", "\n")))
    return rows


def load_benign(name: str = "benign.txt") -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [t for t in lines if t.strip() and not t.startswith("#")]


def folded(text: str) -> str:
    """Text as the detectors read it, case, spacing and the punctuation inside numbers and
    addresses folded, for the must-not-survive check."""
    return re.sub(r"[\s\-.()]", "", normalize(text, join_lines=True).text.casefold())
