"""The stopword lists shipped with the package, read as plain files.

Step 2 of the paper removes stop words ("We used the Natural Language Toolkit package in Python
to remove stop words"); the English list is NLTK's list as distributed in 2018 (179 words), and
Spanish and Chinese are NLTK's own lists (see ``data/stopwords/README``). The files are read
directly, one word per line, as NLTK's word-list reader reads them: NLTK's data loader is not
used, so the lists load whatever the file modes of the checkout (a tarball unpacked by root
leaves group-writable folders, which NLTK refuses) and nothing is downloaded.

Public API:

    STOPWORD_DIR: the folder of the shipped lists.
    stopword_lists() -> the names of the shipped lists ("chinese", "english", "spanish").
    load_stopwords(name="english") -> frozenset[str]
        One shipped list; an unknown name or an unreadable file is a ValueError of one line
        that names the setting (``preprocessing.stopwords``) or the file.
"""

from __future__ import annotations

import functools
from pathlib import Path

from dealerdetect.errors import InputValueError

__all__ = ["STOPWORD_DIR", "load_stopwords", "stopword_lists"]

STOPWORD_DIR = Path(__file__).parent / "data" / "stopwords"


def stopword_lists() -> list[str]:
    """The names of the shipped lists: every file in :data:`STOPWORD_DIR` but its README."""
    return sorted(p.name for p in STOPWORD_DIR.iterdir() if p.is_file() and p.name != "README")


@functools.lru_cache(maxsize=16)
def load_stopwords(name: str = "english") -> frozenset[str]:
    """A shipped stopword list (English: 2018's 179-word NLTK list)."""
    names = stopword_lists()
    if name not in names:  # also keeps a name from reaching outside the folder
        raise InputValueError(
            f"preprocessing.stopwords: no stopword list {name!r} (shipped: {', '.join(names)})"
        )
    path = STOPWORD_DIR / name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputValueError(
            f"{path}: the shipped stopword list cannot be read ({err.__class__.__name__}: "
            f"{err}); reinstall the package or restore the file"
        ) from None
    return frozenset(line for line in text.splitlines() if line.strip())
