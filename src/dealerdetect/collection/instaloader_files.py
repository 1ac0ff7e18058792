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

from dealerdetect.errors import InputValueError

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


# One post's JSON (with its comments) is kilobytes; instaloader's largest are well under 1 MiB.
# Past this, a file (or what a .xz file unpacks to: an xz bomb unpacks a few kilobytes to
# gigabytes) is refused before it is held in memory.
MAX_POST_FILE_BYTES = 64 << 20


def _read_xz(path: Path, limit: int) -> bytes:
    """Decompress ``path`` stopping at ``limit`` bytes of output (a PostFormatError past it)."""
    dec = lzma.LZMADecompressor()
    out = bytearray()
    with open(path, "rb") as fh:
        while not dec.eof:
            chunk = fh.read(1 << 16) if dec.needs_input else b""
            if dec.needs_input and not chunk:
                raise PostFormatError(path, 1, "<file>", "not a valid .xz file: truncated")
            out += dec.decompress(chunk, max_length=limit + 1 - len(out))
            if len(out) > limit:
                why = f"unpacks to more than {limit} bytes ({limit >> 20} MiB); not one post"
                raise PostFormatError(path, 1, "<file>", why)
    return bytes(out)


def _read_json(path: Path, what: str = "<file>"):
    """A JSON file (``.xz`` unpacked), size-limited; errors name the file."""
    try:
        if path.name.endswith(".xz"):
            raw = _read_xz(path, MAX_POST_FILE_BYTES)
        else:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_POST_FILE_BYTES + 1)
            if len(raw) > MAX_POST_FILE_BYTES:
                why = f"larger than {MAX_POST_FILE_BYTES} bytes; not one post"
                raise PostFormatError(path, 1, what, why)
    except lzma.LZMAError as err:
        raise PostFormatError(path, 1, what, f"not a valid .xz file: {err}") from err
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise PostFormatError(path, 1, what, f"not UTF-8 ({err.reason})") from err
    except json.JSONDecodeError as err:
        why = f"malformed JSON at line {err.lineno} column {err.colno}: {err.msg}"
        raise PostFormatError(path, 1, what, why) from err
    except RecursionError as err:
        raise PostFormatError(path, 1, what, "JSON nested too deeply") from err


def read_instaloader_file(path: Path, skipped: list[dict]) -> Iterator[tuple[int, Post]]:
    """``(1, post)`` for an instaloader Post file; other structures are appended to ``skipped``."""
    d = _read_json(path)
    if not isinstance(d, dict) or not isinstance(d.get("node"), dict) or "instaloader" not in d:
        why = 'not an instaloader structure {"node": {...}, "instaloader": {...}}'
        raise PostFormatError(path, 1, "<file>", why)
    node_type = (d.get("instaloader") or {}).get("node_type")
    if node_type != "Post":
        reason = f"instaloader {node_type} structure, not a Post"
        skipped.append({"file": str(path), "row": 1, "reason": reason})
        return
    node = d["node"]
    code = node.get("shortcode") or node.get("code")
    if not isinstance(code, str) or not code.strip():
        raise PostFormatError(path, 1, "node.shortcode", "missing or empty")
    ip = instaloader.Post(_OfflineContext(), node)
    for field, get in (
        ("node.owner.username", lambda: _non_empty(ip.owner_username)),
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


def _non_empty(name):
    """An empty owner name would merge unrelated posts into one account."""
    if not isinstance(name, str) or not name.strip():
        raise InputValueError(f"expected a user name, got {name!r}")
    return name


def node_comments(path: Path, node: dict) -> list[Comment]:
    """From instaloader's ``<name>_comments.json`` beside the file, else the node's edges."""
    side = path.with_name(_stem(path) + "_comments.json")
    if side.exists():
        return parse_comments(_read_json(side, "comments"), side, 1, "comments")
    for key in ("edge_media_to_parent_comment", "edge_media_to_comment"):
        edges = (node.get(key) or {}).get("edges")
        if edges:
            nodes = [e.get("node") if isinstance(e, dict) else e for e in edges]
            return parse_comments(nodes, path, 1, f"node.{key}.edges")
    return []
