"""Manual annotation, the paper's step 6.

"The second and the third author coded posts independently and achieved a high intercoder
reliability (kappa=0.98). For inconsistent results, both authors met and reviewed the posts
together [...] and all authors conferred on the correct classification of the post."

Workflow: :func:`write_sheet` once per coder (same posts, sorted by id); each coder fills
``label`` with 1 (selling drugs and giving contact information) or 0 (``yes``/``no`` are
accepted too). Each row holds what the paper's coders saw: the (redacted) caption, hashtags
and comments, a link that opens the post and the image where the source gives one. Only
``post_id`` and ``label`` are read back, so other columns (and older four-column sheets) do
not matter. :func:`read_sheet` both; :func:`cohen_kappa` reports agreement;
:func:`write_adjudication_sheet` lists the disagreements, where the meeting's decision goes in
``final``; :func:`final_labels` merges everything. Posts annotated elsewhere can come from one
``post_id,label`` file (:func:`read_labels_file`). Sheets are CSV in UTF-8 with a byte-order
mark, so spreadsheet programs show emoji; row numbers in errors are spreadsheet rows (header
row 1, first post row 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from dealerdetect.collection.files import read_csv_table
from dealerdetect.errors import InputError, InputValueError
from dealerdetect.posts import PostFormatError
from dealerdetect.privacy.csvsafe import unescape, write_rows

# ``language``: the post's language as identified (language.identify), so a coder who does not
# read it can pass the post on; like every column but post_id and label, never read back.
# ``image_category``: the paper's image annotation of the post's picture (annotation.images),
# filled beside the label and read back by the image annotation table only.
SHEET_COLUMNS = [
    "post_id", "user", "caption", "hashtags", "comments", "url", "image", "language", "label",
    "image_category",
]  # fmt: skip
ADJUDICATION_COLUMNS = ["post_id", "caption", "annotator_a", "annotator_b", "final"]
VALUES = {"0": 0, "1": 1, "no": 0, "yes": 1}


class LabelFormatError(PostFormatError):
    """A sheet cell that is not a usable label; the message names file, row and column."""


class MissingLabel(NamedTuple):
    post_id: str
    reason: str
    sheet: str  # "adjudication", "annotator_a", "annotator_b", "annotators" (both) or "labels"


class LabelsIncomplete(InputError):
    """Some posts have no final label; the message says how many and which sheet to fill."""

    def __init__(self, missing: list[MissingLabel], where: Mapping[str, str] | None = None):
        self.missing = list(missing)
        where = dict(where or {})
        groups: dict[tuple[str, str], list[str]] = {}
        for m in self.missing:
            groups.setdefault((m.sheet, m.reason), []).append(m.post_id)
        parts = []
        for (sheet, reason), ids in sorted(groups.items()):
            shown = ", ".join(ids[:10]) + (", ..." if len(ids) > 10 else "")
            column = "final" if sheet == "adjudication" else "label"
            parts.append(
                f"{len(ids)} {reason}: fill column '{column}' in the {sheet} sheet "
                f"({where.get(sheet, sheet)}) for post ids {shown}"
            )
        n = len(self.missing)
        super().__init__(f"{n} post{'s' if n != 1 else ''} lack a final label. " + "; ".join(parts))


def _posts_by_id(posts: Iterable[Mapping] | Mapping[str, Mapping]) -> dict[str, Mapping]:
    if isinstance(posts, Mapping):
        return {str(k): v for k, v in posts.items()}
    out: dict[str, Mapping] = {}
    for p in posts:
        pid = str(p["id"])
        if pid in out and dict(out[pid]) != dict(p):
            raise InputValueError(f"post id {pid!r} appears twice with different content")
        out[pid] = p
    return out


def _write(path: str | Path, header: list[str], rows: Iterable[list]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        write_rows(fh, header, rows)  # a caption like "=HYPERLINK(...)" is written as text
    tmp.replace(path)
    return path


def _hashtags_cell(tags) -> str:
    return " ".join(f"#{t}" for t in (tags or []))


def _comments_cell(comments, poster: str) -> str:
    """One comment a line, ``user: text``; the poster's own replies marked, as coders look
    for a seller answering a buyer."""
    lines = []
    for c in comments or []:
        who = c.get("user", "") if isinstance(c, Mapping) else getattr(c, "user", "")
        text = c.get("text", "") if isinstance(c, Mapping) else getattr(c, "text", "")
        mark = " (poster)" if poster and who == poster else ""
        lines.append(f"{who or '?'}{mark}: {' '.join(str(text).split())}")
    return "\n".join(lines)


def write_sheet(posts: Iterable[Mapping] | Mapping[str, Mapping], path: str | Path) -> Path:
    """A coder's sheet (:data:`SHEET_COLUMNS`) sorted by post id, ``label`` empty.

    Each post is a mapping with ``user``, ``caption`` and optionally ``hashtags`` (list),
    ``comments`` (``{user, text}`` mappings), ``url``, ``image`` and ``language`` (identified
    from the caption when absent); the caller redacts texts.
    """
    from dealerdetect.preprocessing.language import identify

    by_id = _posts_by_id(posts)
    rows = []
    for pid in sorted(by_id):
        p = by_id[pid]
        user = p.get("user", "")
        rows.append(
            [
                pid,
                user,
                p.get("caption", ""),
                _hashtags_cell(p.get("hashtags")),
                _comments_cell(p.get("comments"), user),
                p.get("url", "") or "",
                p.get("image", "") or "",
                p.get("language") or identify(p.get("caption", "") or ""),
                "",
                "",
            ]
        )
    return _write(path, SHEET_COLUMNS, rows)


def _parse_label(path, row: int, field: str, value: str) -> int:
    v = value.strip().lower()
    if v.endswith(".0"):  # spreadsheets sometimes save 1 as 1.0
        v = v[:-2]
    if v not in VALUES:
        raise LabelFormatError(path, row, field, f"label must be 0 or 1 (or no/yes), got {value!r}")
    return VALUES[v]


def _read_labels(path, label_col: str, who: str, allow_empty: bool) -> dict[str, int]:
    header, rows = read_csv_table(path)
    id_col = "post_id" if "post_id" in header or "id" not in header else "id"
    for col in (id_col, label_col):
        if col not in header:
            why = f"missing column (the {who} sheet needs {id_col},{label_col}); header: {header}"
            raise LabelFormatError(path, 1, col, why)
    i, j = header.index(id_col), header.index(label_col)
    labels: dict[str, int] = {}
    first_row: dict[str, int] = {}
    for row, cells in rows:
        pid = unescape(cells[i].strip()) if i < len(cells) else ""
        if not pid:
            raise LabelFormatError(path, row, id_col, "empty post id")
        raw = unescape(cells[j]) if j < len(cells) else ""
        if not raw.strip():
            if allow_empty:
                continue
            raise LabelFormatError(path, row, label_col, f"missing label ({who})")
        label = _parse_label(path, row, label_col, raw)
        if pid in labels and labels[pid] != label:
            why = f"post {pid} labelled {labels[pid]} in row {first_row[pid]} and {label} here"
            raise LabelFormatError(path, row, label_col, why)
        labels[pid] = label
        first_row.setdefault(pid, row)
    return labels


def read_sheet(path: str | Path, coder: str) -> dict[str, int]:
    """One coder's labels; an empty or non-binary label is an error naming file, row, field."""
    return _read_labels(path, "label", coder, allow_empty=False)


def read_labels_file(path: str | Path) -> dict[str, int]:
    """Labels made elsewhere: a CSV with columns ``post_id`` (or ``id``) and ``label``."""
    return _read_labels(path, "label", "labels", allow_empty=False)


def read_adjudication_sheet(path: str | Path) -> dict[str, int]:
    """The ``final`` column of an adjudication sheet; rows left empty are still open."""
    return _read_labels(path, "final", "adjudication", allow_empty=True)


def _pairs(a: Mapping[str, int], b: Mapping[str, int]) -> list[tuple[int, int]]:
    if set(a) != set(b):
        only_a, only_b = len(set(a) - set(b)), len(set(b) - set(a))
        raise InputValueError(
            f"the coders labelled different posts ({only_a} only in a, {only_b} only in b)"
        )
    if not a:
        raise InputValueError("no labels to compare")
    return [(a[k], b[k]) for k in sorted(a)]


def coder_confusion(a: Mapping[str, int], b: Mapping[str, int]) -> dict[int, dict[int, int]]:
    """Counts ``{label_a: {label_b: n}}`` over the posts both coders labelled."""
    out = {0: {0: 0, 1: 0}, 1: {0: 0, 1: 0}}
    for x, y in _pairs(a, b):
        out[x][y] += 1
    return out


def cohen_kappa(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    """Cohen's kappa, (p_o - p_e) / (1 - p_e); NaN when p_e = 1 (both always gave one label)."""
    c = coder_confusion(a, b)
    n = sum(c[x][y] for x in (0, 1) for y in (0, 1))
    p_o = (c[0][0] + c[1][1]) / n
    p_e = sum((c[k][0] + c[k][1]) * (c[0][k] + c[1][k]) for k in (0, 1)) / n**2
    return float("nan") if p_e == 1 else (p_o - p_e) / (1 - p_e)


def disagreements(a: Mapping[str, int], b: Mapping[str, int]) -> list[str]:
    """Ids both coders labelled, differently, sorted."""
    return sorted(k for k in a if k in b and a[k] != b[k])


def write_adjudication_sheet(
    ids: Iterable[str],
    posts: Iterable[Mapping] | Mapping[str, Mapping],
    a: Mapping[str, int],
    b: Mapping[str, int],
    path: str | Path,
) -> Path:
    """``post_id,caption,annotator_a,annotator_b,final`` for ``ids``; ``final`` left empty."""
    by_id = _posts_by_id(posts)
    rows = (
        [pid, (by_id.get(pid) or {}).get("caption", ""), a.get(pid, ""), b.get(pid, ""), ""]
        for pid in sorted(set(map(str, ids)))
    )
    return _write(path, ADJUDICATION_COLUMNS, rows)


def labels_file_overrides(
    a: Mapping[str, int] | None,
    b: Mapping[str, int] | None,
    adjudication: Mapping[str, int] | None,
    single: Mapping[str, int] | None,
) -> list[str]:
    """Ids whose final label comes from the labels file against a coder's label, sorted.

    That is a post only one coder labelled (so :func:`final_labels` takes the file's label)
    where that coder said otherwise; worth a warning, as the file silently wins.
    """
    a, b, adj, one = dict(a or {}), dict(b or {}), dict(adjudication or {}), dict(single or {})
    out = []
    for pid, label in one.items():
        if pid in adj or (pid in a and pid in b):
            continue  # decided by the coders or the meeting, not by the file
        coder = a.get(pid, b.get(pid))
        if coder is not None and coder != label:
            out.append(pid)
    return sorted(out)


def final_labels(
    a: Mapping[str, int] | None,
    b: Mapping[str, int] | None,
    adjudication: Mapping[str, int] | None = None,
    single: Mapping[str, int] | None = None,
    *,
    ids: Iterable[str] | None = None,
) -> tuple[dict[str, int], list[MissingLabel]]:
    """Final label per post and the posts still lacking one.

    Both coders agree -> that label; an adjudicated label always wins; coders disagree and no
    adjudication -> missing (adjudication sheet); only one coder labelled it -> missing (the
    other coder's sheet). ``single`` (one file annotated elsewhere) supplies posts the coders did
    not label; contradicting a coders' final label is an error. ``ids`` are the posts that need
    a label: any without one is missing, and labels for other ids are dropped.
    """
    a, b, adj, one = dict(a or {}), dict(b or {}), dict(adjudication or {}), dict(single or {})
    wanted = set(map(str, ids)) if ids is not None else set(a) | set(b) | set(adj) | set(one)
    labels: dict[str, int] = {}
    missing: list[MissingLabel] = []
    clashes = []
    for pid in sorted(wanted):
        coded = None
        if pid in adj:
            coded = adj[pid]
        elif pid in a and pid in b:
            if a[pid] == b[pid]:
                coded = a[pid]
            else:
                missing.append(MissingLabel(pid, "where the coders disagree", "adjudication"))
                continue
        elif pid in a or pid in b:
            other = "annotator_b" if pid in a else "annotator_a"
            if pid not in one:
                missing.append(MissingLabel(pid, f"not labelled by {other}", other))
                continue
        if coded is not None and pid in one and one[pid] != coded:
            clashes.append(pid)
        label = coded if coded is not None else one.get(pid)
        if label is None:
            sheet = "labels" if single is not None else "annotators"
            missing.append(MissingLabel(pid, "not labelled by anyone", sheet))
            continue
        labels[pid] = label
    if clashes:
        raise InputValueError(f"the labels file contradicts the coders for post ids {clashes[:10]}")
    return labels, missing
