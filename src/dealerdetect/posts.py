"""The one post record every source produces, and its JSON Lines reader/writer.

A raw file holds one line per *collection hit*: the same post found under two hashtags is two
lines with different ``found_via``. Step 1 of preprocessing removes those duplicates, as the
paper describes ("We eliminated duplicate results of posts that appeared in multiple hashtag
searches").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dealerdetect.errors import InputError

HASHTAG_RE = re.compile(r"#(\w+)", re.UNICODE)
MENTION_RE = re.compile(r"(?<![\w.])@([A-Za-z0-9_.]+)")


class PostFormatError(InputError, ValueError):
    """A post that cannot be read; the message names the file, row and field."""

    def __init__(self, path: str | Path, row: int, field: str, reason: str):
        self.path, self.row, self.field, self.reason = str(path), row, field, reason
        super().__init__(f"{path}: row {row}: field '{field}': {reason}")


@dataclass
class Comment:
    user: str
    timestamp: str
    text: str


@dataclass
class Post:
    id: str
    user: str
    timestamp: str  # ISO 8601 UTC, "2018-08-01T12:00:00Z"
    caption: str
    hashtags: list[str] = field(default_factory=list)  # lower-case, without '#'
    mentions: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    found_via: str = ""  # the hashtag whose feed yielded this hit
    loop: int = 1
    source: str = "simulated"
    # For the coders (step 6) only, never used by a model: a link that opens the post and the
    # image (URL or local file) where the source gives one; empty when it does not.
    url: str = ""
    image: str = ""

    @property
    def time(self) -> datetime:
        return parse_time(self.timestamp)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict, *, path: str | Path = "<dict>", row: int = 0) -> Post:
        def need(name: str, kind: type | tuple[type, ...]):
            if name not in d or d[name] is None:
                raise PostFormatError(path, row, name, "missing")
            # bool is an int to Python: JSON true must not become the id "True"
            if not isinstance(d[name], kind) or isinstance(d[name], bool):
                raise PostFormatError(
                    path, row, name, f"expected {kind}, got {type(d[name]).__name__}"
                )
            return d[name]

        pid = need("id", (str, int))
        # An empty id would merge unrelated posts on dedupe; an empty user, unrelated accounts.
        if not str(pid).strip():
            raise PostFormatError(path, row, "id", "empty")
        ts = need("timestamp", str)
        try:
            parse_time(ts)
        except ValueError as err:
            raise PostFormatError(path, row, "timestamp", f"not ISO 8601: {ts!r}") from err
        caption = d.get("caption") or ""
        if not isinstance(caption, str):
            raise PostFormatError(path, row, "caption", "expected a string")
        hashtags = d.get("hashtags")
        if hashtags is None:
            hashtags = extract_hashtags(caption)
        if not isinstance(hashtags, list) or not all(isinstance(h, str) for h in hashtags):
            raise PostFormatError(path, row, "hashtags", "expected a list of strings")
        comments = []
        for j, c in enumerate(d.get("comments") or []):
            if not isinstance(c, dict) or not isinstance(c.get("text", ""), str):
                raise PostFormatError(
                    path, row, f"comments[{j}]", "expected {user, timestamp, text}"
                )
            comments.append(
                Comment(str(c.get("user", "")), str(c.get("timestamp", "")), c.get("text", ""))
            )
        mentions = d.get("mentions")
        if mentions is None:
            mentions = []
        # A bare string would be split into one-letter handles; numbers have no .lower().
        if not isinstance(mentions, list):
            got = f"{type(mentions).__name__} {mentions!r}"[:60]
            raise PostFormatError(
                path, row, "mentions", f"expected a list of user names, got {got}"
            )
        for j, m in enumerate(mentions):
            if not isinstance(m, str) or not m.strip():
                why = f"expected a user name (a non-empty string), got {m!r}"
                raise PostFormatError(path, row, f"mentions[{j}]", why)
        loop = d.get("loop", 1)
        if not isinstance(loop, int) or isinstance(loop, bool):
            raise PostFormatError(path, row, "loop", "expected an integer")
        links = {}
        for name in ("url", "image"):
            value = d.get(name) or ""
            if not isinstance(value, str):
                raise PostFormatError(path, row, name, "expected a string")
            links[name] = value.strip()
        user = need("user", (str, int))
        if not str(user).strip():
            raise PostFormatError(path, row, "user", "empty")
        return cls(
            id=str(pid),
            user=str(user),
            timestamp=ts,
            caption=caption,
            hashtags=[h.lower().lstrip("#") for h in hashtags],
            mentions=list(mentions),
            comments=comments,
            found_via=str(d.get("found_via", "")),
            loop=loop,
            source=str(d.get("source", "")),
            **links,
        )


def parse_time(ts: str) -> datetime:
    """Parse an ISO timestamp; naive times are taken as UTC."""
    t = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def format_time(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def extract_hashtags(text: str) -> list[str]:
    """Hashtags in order of appearance, lower-case, without '#', duplicates kept once."""
    seen: dict[str, None] = {}
    for tag in HASHTAG_RE.findall(text or ""):
        seen.setdefault(tag.lower(), None)
    return list(seen)


# A post is a few kilobytes; a longer line is not a post (or a file with no line breaks, such as
# /dev/zero, which would otherwise be read into memory whole).
MAX_LINE_BYTES = 16 << 20


def json_objects(path: str | Path, max_bytes: int | None = None) -> Iterator[tuple[int, dict]]:
    """(row, object) per non-blank line; a bad line raises PostFormatError naming file and row,
    and so does a file past ``max_bytes`` (counted while reading: it may be a pipe or device)."""
    path = Path(path)
    total = 0
    with open(path, "rb") as fh:
        for row, raw in enumerate(iter(lambda: fh.readline(MAX_LINE_BYTES + 1), b""), start=1):
            if len(raw) > MAX_LINE_BYTES:
                why = f"line longer than {MAX_LINE_BYTES} bytes; not one post per line"
                raise PostFormatError(path, row, "<line>", why)
            total += len(raw)
            if max_bytes is not None and total > max_bytes:
                why = f"more than {max_bytes} bytes ({max_bytes >> 20} MiB); split the file"
                raise PostFormatError(path, row, "<file>", why)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise PostFormatError(path, row, "<line>", f"not UTF-8 ({err.reason})") from err
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as err:
                raise PostFormatError(path, row, "<line>", f"malformed JSON: {err.msg}") from err
            except RecursionError as err:  # [[[[...]]]] nested past Python's stack
                raise PostFormatError(path, row, "<line>", "JSON nested too deeply") from err
            if not isinstance(d, dict):
                raise PostFormatError(path, row, "<line>", "expected a JSON object")
            yield row, d


def read_jsonl(path: str | Path) -> Iterator[Post]:
    """Read posts; a bad line raises PostFormatError naming file, row (1-based) and field."""
    for row, d in json_objects(path):
        yield Post.from_dict(d, path=path, row=row)


def write_jsonl(posts: Iterable[Post | dict], path: str | Path) -> int:
    """Write posts atomically (temp file then rename) so an interrupted write leaves nothing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    n = 0
    with open(tmp, "w", encoding="utf-8") as fh:
        for p in posts:
            d = p.to_dict() if isinstance(p, Post) else p
            fh.write(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    tmp.replace(path)
    return n
