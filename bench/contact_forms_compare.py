"""Which written contact forms a version of the package catches, per family.

Reads the test tables (tests/data/contact_forms/) and, with whatever ``dealerdetect`` is on
PYTHONPATH, counts per family the forms that ``redact`` removes (the must-not-survive text is
gone after the same folding the test uses: case, spacing, look-alike letters) and whose kind
``contact_kinds`` reports, plus the benign sentences that come through unchanged. Run it
against two checkouts to compare them:

    PYTHONPATH=src python3 bench/contact_forms_compare.py
    PYTHONPATH=/path/to/other/src python3 bench/contact_forms_compare.py
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

from dealerdetect.characterization import contact_kinds
from dealerdetect.privacy.redaction import redact

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "contact_forms"


def _load_textnorm():
    # This checkout's normalizer, loaded from its file, so an older package on PYTHONPATH
    # (which may have none) is judged by the same folding as this one.
    path = Path(__file__).resolve().parents[1] / "src" / "dealerdetect" / "text.py"
    spec = importlib.util.spec_from_file_location("_text_for_compare", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


_TEXTNORM = _load_textnorm()


def fold(text: str) -> str:
    text = _TEXTNORM.normalize(text, join_lines=True).text
    # A letter O or l for a digit reads as the digit on both sides ("555-2O1-3344").
    return re.sub(r"[\s\-.()]", "", text.casefold()).translate(_DIGIT_LOOKALIKES)


_DIGIT_LOOKALIKES = str.maketrans("oli", "011")


def main() -> None:
    rows = []
    for line in (DATA / "forms.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            family, kind, secret, text = line.split("\t", 3)
            rows.append((family, kind, secret, text.replace("\\n", "\n")))
    total, redacted, counted, both = Counter(), Counter(), Counter(), Counter()
    for family, kind, secret, text in rows:
        if fold(secret) not in fold(text):
            raise ValueError(f"forms.tsv: {secret!r} is not in the case {text!r}")
        total[family] += 1
        gone = fold(secret) not in fold(redact(text))
        kinds = kind in contact_kinds(text)
        redacted[family] += gone
        counted[family] += kinds
        both[family] += gone and kinds
    print(f"{'family':<9} {'forms':>5} {'redacted':>8} {'counted':>7} {'both':>5}")
    for family in total:
        print(
            f"{family:<9} {total[family]:>5} {redacted[family]:>8} {counted[family]:>7} "
            f"{both[family]:>5}"
        )
    print(
        f"{'all':<9} {sum(total.values()):>5} {sum(redacted.values()):>8} "
        f"{sum(counted.values()):>7} {sum(both.values()):>5}"
    )
    benign = [
        t
        for t in (DATA / "benign.txt").read_text(encoding="utf-8").splitlines()
        if t.strip() and not t.startswith("#")
    ]
    changed = [t for t in benign if redact(t) != t]
    print(f"benign unchanged: {len(benign) - len(changed)}/{len(benign)}")
    for t in changed:
        print(f"  changed: {t!r} -> {redact(t)!r}", file=sys.stderr)


if __name__ == "__main__":
    main()
