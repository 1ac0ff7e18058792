"""The user's own posts from files (``collection.source: file``).

``collection.file.format`` is ``jsonl``, ``csv``, ``instaloader`` or ``auto`` (by suffix; for a
folder, by the one kind of file found in it, searched recursively):

* ``jsonl``: our schema (:mod:`dealerdetect.posts`), one post a line; row = line number.
* ``csv``: columns named by ``collection.file.columns``. Rows are spreadsheet rows: header =
  row 1, first post = row 2 (a multi-line caption is still one row). Timestamps are ISO 8601
  (naive = UTC) or Unix seconds. ``hashtags`` (optional): space/comma separated, '#' optional;
  absent column or empty cell -> taken from the caption. ``comments`` (optional): a JSON list of
  ``{"user", "timestamp", "text"}`` objects or of strings. ``url`` and ``image`` (optional): a
  link that opens the post and its picture (URL or local file; a relative path is read from
  the file's folder), shown to the coders and read by the pictures step.
* ``instaloader``: the ``.json``/``.json.xz`` files instaloader saves, ``{"node": {...},
  "instaloader": {"node_type": "Post"}}``. Each node is wrapped in ``instaloader.Post`` over a
  context that refuses every request, so instaloader's own accessors read it and nothing is
  fetched; a node lacking e.g. the owner's name is an error. Comments come from the node's
  comment edges or instaloader's ``<name>_comments.json`` beside it. Row is always 1 (one post
  a file); other structures (Profile, Hashtag, resume files) go to ``skipped``. ``url`` is the
  post's Instagram address; ``image`` the picture saved beside the file (``<name>.jpg``) or else
  the node's ``display_url``. Read by :mod:`.instaloader_files`.

Post ids are unique: an exact repeat (ignoring ``found_via``/``loop``/``source``) is kept once
and listed in ``skipped``; the same id with other content is an error naming both places.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

from ..posts import (
    MENTION_RE,
    Comment,
    Post,
    PostFormatError,
    extract_hashtags,
    json_objects,
)
from . import CollectionError
from .base import Source
from .instaloader_files import parse_comments, parse_timestamp, read_instaloader_file

COLUMNS = {
    k: k for k in ("id", "user", "timestamp", "caption", "hashtags", "comments", "url", "image")
}
REQUIRED = ("id", "user", "timestamp", "caption")
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".json": "instaloader"}
IGNORED = ("found_via", "loop", "source")


def resolve_image(image: str, folder: Path) -> str:
    """A local picture named relative to the post file is made absolute against the file's
    folder, so the study reads it wherever it runs; web addresses and absolute paths stay."""
    image = (image or "").strip()
    if not image or image[:8].lower().startswith(("http://", "https://")):
        return image
    path = Path(image).expanduser()
    return str(path if path.is_absolute() else (folder / path).resolve())


def _kind(p: Path) -> str | None:
    if p.name.endswith("_comments.json"):
        return None
    return "instaloader" if p.name.endswith(".json.xz") else SUFFIXES.get(p.suffix.lower())


def read_limited(path: str | Path, max_bytes: int) -> bytes:
    """The file's bytes, or a PostFormatError when it holds more than ``max_bytes`` (counted
    while reading: a device such as /dev/zero reports size 0)."""
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        why = f"larger than {max_bytes} bytes ({max_bytes >> 20} MiB), the most read at once"
        raise PostFormatError(path, 1, "<file>", why)
    return data


# A CSV of posts is read whole; past this it is not a file of posts (or it is a device).
MAX_CSV_BYTES = 2 << 30


def read_csv_table(
    path: str | Path, max_bytes: int = MAX_CSV_BYTES
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and ``(row, cells)`` pairs, row 1 being the header; blank rows are left out.

    Non-UTF-8 bytes and broken quoting raise :class:`PostFormatError` naming row and column; so
    do a column name given twice (which one would be read?) and a file over ``max_bytes``.
    """
    data = read_limited(path, max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        prefix = data[: err.start].decode("utf-8-sig", errors="replace")
        rows = list(csv.reader(io.StringIO(prefix + "x", newline="")))
        col, head = len(rows[-1]) - 1, rows[0] if len(rows) > 1 else []
        field = head[col] if col < len(head) else f"column {col + 1}"
        raise PostFormatError(
            path, len(rows), field, f"not UTF-8 (byte 0x{data[err.start]:02x}); save as UTF-8"
        ) from err
    out: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row = 0
    try:
        for row, cells in enumerate(reader, start=1):  # noqa: B007 - row used after the loop
            if any(c.strip() for c in cells):
                out.append((row, cells))
    except csv.Error as err:
        raise PostFormatError(path, row + 1, "<row>", f"malformed CSV: {err}") from err
    if not out or out[0][0] != 1:
        raise PostFormatError(path, 1, "<header>", "missing header row")
    header = [h.strip() for h in out[0][1]]
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        if name and name in seen:
            why = f"column name given twice (columns {seen[name]} and {i}); rename one"
            raise PostFormatError(path, 1, name, why)
        seen.setdefault(name, i)
    return header, out[1:]


class FileSource(Source):
    name = "file"

    def __init__(self, cfg_file: dict):
        cfg = dict(cfg_file or {})
        if not cfg.get("path"):
            raise CollectionError("collection.file.path is required (a file or a folder)")
        self.path = Path(str(cfg["path"])).expanduser()
        if not self.path.exists():
            raise CollectionError(f"collection.file.path does not exist: {self.path}")
        self.format = str(cfg.get("format") or "auto")
        if self.format not in ("auto", "jsonl", "csv", "instaloader"):
            raise CollectionError(f"collection.file.format: unknown format {self.format!r}")
        self._explicit = set((cfg.get("columns") or {}).keys())
        unknown = self._explicit - set(COLUMNS)
        if unknown:
            raise CollectionError(f"collection.file.columns: unknown keys {sorted(unknown)}")
        self.columns = {**COLUMNS, **(cfg.get("columns") or {})}
        self.apply_discovery = bool(cfg.get("apply_discovery", True))
        self.skipped: list[dict] = []
        self.origin: dict[str, tuple[str, int]] = {}  # post id -> (file, row) it was read from
        self._posts: list[Post] = []
        self._load()
        self._newest_first = sorted(self._posts, key=lambda p: p.id)
        self._newest_first.sort(key=lambda p: p.time, reverse=True)

    # -- reading -----------------------------------------------------------------------
    def _files(self) -> list[tuple[Path, str]]:
        if self.path.is_file():
            kind = self.format if self.format != "auto" else _kind(self.path)
            if kind is None:
                raise CollectionError(
                    f"{self.path}: cannot tell the format; set collection.file.format"
                )
            return [(self.path, kind)]
        found = [(p, _kind(p)) for p in sorted(self.path.rglob("*")) if p.is_file()]
        found = [(p, k) for p, k in found if k and self.format in ("auto", k)]
        kinds = {k for _, k in found}
        if not found:
            raise CollectionError(f"{self.path}: no post files ({self.format}) in this folder")
        if len(kinds) > 1:
            raise CollectionError(f"{self.path}: mixed {sorted(kinds)}; set collection.file.format")
        return found

    def _load(self) -> None:
        first: dict[str, tuple[str, int, dict]] = {}
        readers = {"jsonl": self._jsonl, "csv": self._csv, "instaloader": self._instaloader}
        for path, kind in self._files():
            for row, post in readers[kind](path):
                if not post.source:
                    post.source = "file"
                post.image = resolve_image(post.image, path.parent)
                content = {k: v for k, v in post.to_dict().items() if k not in IGNORED}
                if post.id not in first:
                    first[post.id] = (str(path), row, content)
                    self.origin[post.id] = (str(path), row)
                    self._posts.append(post)
                    continue
                f0, r0, c0 = first[post.id]
                if c0 == content:
                    why = f"duplicate of {f0} row {r0} (id {post.id})"
                    self.skipped.append({"file": str(path), "row": row, "reason": why})
                    continue
                diff = ", ".join(k for k in content if content[k] != c0[k])
                raise PostFormatError(
                    path, row, "id", f"id {post.id!r} also at {f0} row {r0} with other {diff}"
                )

    def _instaloader(self, path: Path) -> Iterator[tuple[int, Post]]:
        return read_instaloader_file(path, self.skipped)

    def _jsonl(self, path: Path) -> Iterator[tuple[int, Post]]:
        # json_objects skips blank lines and checks each line's length; number the others.
        for row, d in json_objects(path):
            yield row, Post.from_dict(d, path=path, row=row)

    def _csv(self, path: Path) -> Iterator[tuple[int, Post]]:
        header, rows = read_csv_table(path)
        idx = {name: i for i, name in enumerate(header)}
        cols: dict[str, int] = {}
        for key, col in self.columns.items():
            if col in idx:
                cols[key] = idx[col]
            elif key in REQUIRED or key in self._explicit:
                why = f"missing column (collection.file.columns.{key}); header: {header}"
                raise PostFormatError(path, 1, col, why)
        for row, cells in rows:
            if len(cells) > len(header):
                why = f"{len(cells)} fields but the header has {len(header)}"
                raise PostFormatError(path, row, f"column {len(header) + 1}", why)

            def cell(key: str, required: bool = False, _cells=cells, _row=row) -> str:
                i = cols.get(key)
                value = _cells[i].strip() if i is not None and i < len(_cells) else ""
                if required and not value:
                    raise PostFormatError(path, _row, self.columns[key], "empty")
                return value

            pid, user, ts = cell("id", True), cell("user", True), cell("timestamp", True)
            try:
                ts = parse_timestamp(ts)
            except (ValueError, OverflowError, OSError) as err:
                why = f"not a timestamp (ISO 8601 or Unix seconds): {ts!r}"
                raise PostFormatError(path, row, self.columns["timestamp"], why) from err
            caption = cell("caption")
            tags = [t.lstrip("#").lower() for t in re.split(r"[\s,]+", cell("hashtags")) if t]
            tags = list(dict.fromkeys(t for t in tags if t)) or extract_hashtags(caption)
            comments: list[Comment] = []
            if cell("comments"):
                field = self.columns["comments"]
                try:
                    raw = json.loads(cell("comments"))
                except json.JSONDecodeError as err:
                    raise PostFormatError(path, row, field, f"malformed JSON: {err.msg}") from err
                comments = parse_comments(raw, path, row, field)
            mentions = list(dict.fromkeys(m.lower() for m in MENTION_RE.findall(caption)))
            links = {"url": cell("url"), "image": cell("image")}
            yield (
                row,
                Post(pid, user, ts, caption, tags, mentions, comments, source="file", **links),
            )

    # -- Source ------------------------------------------------------------------------
    def feed(self, hashtag: str) -> Iterator[Post]:
        """Posts carrying ``hashtag``, newest first (ties by id); copies, safe to modify."""
        tag = hashtag.strip().lstrip("#").lower()
        for post in self._newest_first:
            if tag in post.hashtags:
                yield copy.deepcopy(post)

    def all_posts(self) -> list[Post]:
        """Every post read, in file order (used when ``apply_discovery`` is false)."""
        return [copy.deepcopy(p) for p in self._posts]
