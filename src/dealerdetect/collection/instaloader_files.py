"""instaloader's saved post files for the file source (``collection.file.format: instaloader``).

Each ``.json``/``.json.xz`` holds ``{"node": {...}, "instaloader": {"node_type": "Post"}}``. The
node is wrapped in ``instaloader.Post`` over a context that refuses every request, so
instaloader's own accessors read it and nothing is fetched. Also the comment parsing the CSV
reader shares.
"""

from __future__ import annotations

import json
import lzma
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import instaloader

from ..posts import Comment, Post, PostFormatError, format_time, parse_time
from .instagram import post_from_instaloader

# The picture instaloader saves beside <name>.json(.xz): <name>.jpg, or <name>_1.jpg for an album.
PICTURES = (".jpg", "_1.jpg", ".jpeg", ".png", ".webp")


def _stem(p: Path) -> str:
    """instaloader's name for a post, shared by its .json(.xz), pictures and comments."""
    return p.name[: -len(".json.xz")] if p.name.endswith(".json.xz") else p.stem


def parse_timestamp(value: str) -> str:
    """ISO 8601 (naive = UTC) or Unix seconds -> our UTC format."""
    v = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", v):
        return format_time(datetime.fromtimestamp(float(v), tz=UTC))
    return format_time(parse_time(v))


def parse_comments(raw, path, row: int, field: str) -> list[Comment]:
    """A JSON list of comments: strings, our ``{user, timestamp, text}`` or instaloader's nodes."""
    if not isinstance(raw, list):
        raise PostFormatError(path, row, field, "expected a JSON list of comments")
    out = []
    for j, c in enumerate(raw):
        if isinstance(c, str):
            out.append(Comment("", "", c))
            continue
        if not isinstance(c, dict) or not isinstance(c.get("text"), str):
            raise PostFormatError(path, row, f"{field}[{j}]", "expected an object with 'text'")
        owner = c.get("owner")
        user = c.get("user") or (owner.get("username") if isinstance(owner, dict) else "")
        when = c.get("timestamp", c.get("created_at", ""))
        if isinstance(when, int | float):
            when = parse_timestamp(str(when))
        out.append(Comment(str(user or ""), str(when or ""), c["text"]))
    return out


class _Offline(Exception):
    pass


class _OfflineContext:
    """Stands in for ``InstaloaderContext``: any request instaloader tries raises ``_Offline``."""

    username = None
    is_logged_in = False
    iphone_support = False

    def __getattr__(self, name):
        def refuse(*_args, **_kwargs):
            raise _Offline(name)

        return refuse


def read_instaloader_file(path: Path, skipped: list[dict]) -> Iterator[tuple[int, Post]]:
    """``(1, post)`` for an instaloader Post file; other structures are appended to ``skipped``."""
    try:
        raw = lzma.decompress(path.read_bytes()) if path.name.endswith(".xz") else None
    except lzma.LZMAError as err:
        raise PostFormatError(path, 1, "<file>", f"not a valid .xz file: {err}") from err
    raw = path.read_bytes() if raw is None else raw
    try:
        d = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise PostFormatError(path, 1, "<file>", f"not UTF-8 ({err.reason})") from err
    except json.JSONDecodeError as err:
        why = f"malformed JSON at line {err.lineno} column {err.colno}: {err.msg}"
        raise PostFormatError(path, 1, "<file>", why) from err
    if not isinstance(d, dict) or not isinstance(d.get("node"), dict) or "instaloader" not in d:
        why = 'not an instaloader structure {"node": {...}, "instaloader": {...}}'
        raise PostFormatError(path, 1, "<file>", why)
    node_type = (d.get("instaloader") or {}).get("node_type")
    if node_type != "Post":
        reason = f"instaloader {node_type} structure, not a Post"
        skipped.append({"file": str(path), "row": 1, "reason": reason})
        return
    node = d["node"]
    if not node.get("shortcode") and not node.get("code"):
        raise PostFormatError(path, 1, "node.shortcode", "missing")
    ip = instaloader.Post(_OfflineContext(), node)
    for field, get in (
        ("node.owner.username", lambda: ip.owner_username),
        ("node.taken_at_timestamp", lambda: ip.date_utc),
        ("node.edge_media_to_caption", lambda: ip.caption),
    ):
        try:
            get()
        except _Offline as err:
            why = "missing (instaloader would have to fetch it from Instagram)"
            raise PostFormatError(path, 1, field, why) from err
        except (KeyError, TypeError, ValueError, OverflowError, AttributeError) as err:
            why = f"missing or malformed ({type(err).__name__}: {err})"
            raise PostFormatError(path, 1, field, why) from err
    base = _stem(path)
    saved = [path.with_name(base + s) for s in PICTURES if path.with_name(base + s).is_file()]
    image = str(saved[0]) if saved else None
    yield 1, post_from_instaloader(ip, node_comments(path, node), "file", image)


def node_comments(path: Path, node: dict) -> list[Comment]:
    """From instaloader's ``<name>_comments.json`` beside the file, else the node's edges."""
    side = path.with_name(_stem(path) + "_comments.json")
    if side.exists():
        try:
            raw = json.loads(side.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise PostFormatError(side, 1, "<file>", f"unreadable comments: {err}") from err
        return parse_comments(raw, side, 1, "comments")
    for key in ("edge_media_to_parent_comment", "edge_media_to_comment"):
        edges = (node.get(key) or {}).get("edges")
        if edges:
            nodes = [e.get("node") if isinstance(e, dict) else e for e in edges]
            return parse_comments(nodes, path, 1, f"node.{key}.edges")
    return []
