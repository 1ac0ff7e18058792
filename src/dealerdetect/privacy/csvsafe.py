"""CSV files a person may open in a spreadsheet, safe from formula injection, read back exactly.

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula
(and a leading tab or carriage return can hide one), so a caption or post id such as
``=HYPERLINK("http://x","click me")`` or ``+cmd|'/c calc'!A0`` in a coder sheet would run when
the sheet is opened. As OWASP advises ("CSV Injection"), such a *text* cell is written with a
single quote in front, which the spreadsheet shows as text; reading the file back removes that
one quote, so what was written comes back unchanged.

- Only text is escaped. A number cell (``-0.25`` in a float column) is written as the number:
  a spreadsheet reads it as a number and runs nothing, and escaping it would turn it into text.
- The escape is a bijection: a text that already starts with quotes followed by a dangerous
  character (``'=1``) gets one more quote, so reading back never eats a quote that was data.
- A value that starts with a dangerous character *without* the quote (a sheet someone typed)
  reads back as it is.

Public API: :func:`escape`, :func:`unescape`, :func:`write_rows` (``csv`` rows),
:func:`to_csv` and :func:`read_csv` (pandas).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pandas as pd

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
# Quotes (maybe none) then a dangerous character: the texts escape() prefixes with one quote.
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")


def escape(value: Any) -> Any:
    """``value`` with a leading quote if it is text a spreadsheet would run; others unchanged."""
    if isinstance(value, str) and _NEEDS_QUOTE.match(value):
        return "'" + value
    return value


def unescape(value: Any) -> Any:
    """The inverse of :func:`escape` on what it wrote; other values unchanged."""
    if isinstance(value, str) and _ESCAPED.match(value):
        return value[1:]
    return value


def write_rows(fh: IO[str], header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    """``header`` and ``rows`` to an open text file with the ``csv`` module, cells escaped."""
    w = csv.writer(fh)
    w.writerow([escape(h) for h in header])
    w.writerows([escape(c) for c in row] for row in rows)


def _escape_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [escape(c) for c in df.columns]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map(escape)
    return out


def to_csv(df: pd.DataFrame, path_or_buf: str | Path | IO[str], **kwargs) -> None:
    """``df.to_csv`` with text cells escaped (``index=False`` unless given).

    Lines end in CRLF, as in RFC 4180 and the ``csv`` module: with pandas' "\n" a carriage
    return inside a caption is written unquoted and splits the row when read back.
    """
    kwargs.setdefault("index", False)
    kwargs.setdefault("lineterminator", "\r\n")
    _escape_frame(df).to_csv(path_or_buf, **kwargs)


def read_csv(path_or_buf: str | Path | IO[str], **kwargs) -> pd.DataFrame:
    """``pd.read_csv`` of a file :func:`to_csv` wrote, text cells and names unescaped."""
    df = pd.read_csv(path_or_buf, **kwargs)
    df.columns = [unescape(c) for c in df.columns]
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
            df[col] = df[col].map(unescape)
    return df


__all__ = ["DANGEROUS", "escape", "read_csv", "to_csv", "unescape", "write_rows"]
