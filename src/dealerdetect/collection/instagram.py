"""Live Instagram collection through instaloader (``collection.source: instagram``).

Each hashtag's feed is ``Hashtag.get_posts_resumable()``, instaloader's newest-first
``NodeIterator``. The login is a session file made once with ``instaloader --login USER``
(instaloader asks for the password and keeps only cookies); no password is ever read here.

Checkpoints (``checkpoint_dir``): per hashtag, ``<tag>.posts.jsonl`` holds every post handed
out (appended before it is yielded) and ``<tag>.state.json`` the frozen ``NodeIterator``
(instaloader's ``FrozenNodeIterator``) plus whether the hashtag is complete. A rerun replays
the stored posts without network access (discovery needs them to find loop-2 hashtags), then
thaws the iterator and continues; ids already stored are skipped, so within a run a post is
yielded at most once per hashtag even though a thawed iterator repeats its last item. A
checkpoint made under other settings (window, comments, cap) is discarded. Delete the folder
(or call :meth:`InstagramSource.clear_checkpoints`) to collect afresh.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import instaloader
from instaloader.exceptions import InstaloaderException, InvalidArgumentException
from instaloader.nodeiterator import FrozenNodeIterator

from ..posts import Comment, Post, format_time, read_jsonl
from . import CollectionError
from .base import Source, Window

log = logging.getLogger(__name__)

DEFAULTS = {
    "fetch_comments": True,
    "max_comments": 50,
    "checkpoint_dir": "data/raw/instagram/checkpoints",
    "request_pause": 0,
    "max_posts_per_hashtag": None,
}
SAVE_EVERY = 12  # posts between iterator snapshots (one GraphQL page); also saved on any exit


class LoggingRateController(instaloader.RateController):
    """instaloader's rate control, logging every wait and pausing ``pause`` s per request."""

    def __init__(self, context, pause: float = 0.0):
        super().__init__(context)
        self.pause = float(pause)

    def sleep(self, secs: float) -> None:
        if secs >= 1:
            log.warning("instaloader rate limit: waiting %.0f s", secs)
        super().sleep(secs)

    def wait_before_query(self, query_type: str) -> None:
        super().wait_before_query(query_type)
        if self.pause > 0:
            time.sleep(self.pause)

    def handle_429(self, query_type: str) -> None:
        log.warning("Instagram answered 429 Too Many Requests (%s); waiting", query_type)
        super().handle_429(query_type)


POST_URL = "https://www.instagram.com/p/{}/"


def image_of(node: dict) -> str:
    """The picture's URL as the node holds it; ``Post.url`` may ask the network, so not used."""
    value = node.get("display_url") or node.get("display_src") or ""
    return value if isinstance(value, str) else ""


def post_from_instaloader(
    ip, comments: list[Comment] | None = None, source="instagram", image: str | None = None
) -> Post:
    """Our :class:`Post` from an ``instaloader.Post``; the user name is kept raw here.

    ``url`` opens the post for the coders; ``image`` is the picture (``image`` if given, e.g. a
    file saved beside the metadata, else the node's display URL).
    """
    when = ip.date_utc.replace(tzinfo=UTC)
    return Post(
        id=str(ip.shortcode),
        user=str(ip.owner_username),
        timestamp=format_time(when),
        caption=ip.caption or "",
        hashtags=list(dict.fromkeys(ip.caption_hashtags)),
        mentions=list(dict.fromkeys(ip.caption_mentions)),
        comments=list(comments or []),
        source=source,
        url=POST_URL.format(ip.shortcode),
        image=image if image is not None else image_of(getattr(ip, "_node", {}) or {}),
    )


def comments_of(ip, limit: int) -> list[Comment]:
    """Up to ``limit`` top-level comments through ``Post.get_comments()``."""
    out = []
    for c in itertools.islice(ip.get_comments(), max(limit, 0)):
        ts = format_time(c.created_at_utc.replace(tzinfo=UTC))
        out.append(Comment(user=str(c.owner.username), timestamp=ts, text=c.text or ""))
    return out


def _refusal(tag: str, err: BaseException) -> CollectionError:
    text = f"{type(err).__name__}: {err}"
    if "429" in text or isinstance(err, instaloader.exceptions.TooManyRequestsException):
        text = f"rate limited (HTTP 429 Too Many Requests): {text}"
    return CollectionError(f"#{tag}: Instagram refused the hashtag feed: {text}")


class InstagramSource(Source):
    name = "instagram"

    def __init__(self, cfg_instagram: dict, loader=None):
        cfg = {**DEFAULTS, **(cfg_instagram or {})}
        if any("password" in str(k).lower() for k in cfg):
            raise CollectionError(
                "collection.instagram must not hold a password; log in once with "
                "`instaloader --login USER` and set session_file instead"
            )
        for key in ("session_file", "username"):
            if not cfg.get(key):
                raise CollectionError(
                    f"collection.instagram.{key} is required (session file made with "
                    "`instaloader --login USER`)"
                )
        self.username = str(cfg["username"])
        self.session_file = Path(str(cfg["session_file"])).expanduser()
        self.fetch_comments = bool(cfg["fetch_comments"])
        self.max_comments = int(cfg["max_comments"])
        self.checkpoint_dir = Path(str(cfg["checkpoint_dir"]))
        self.request_pause = float(cfg["request_pause"] or 0)
        cap = cfg["max_posts_per_hashtag"]
        self.max_posts = None if cap is None else int(cap)
        self.loader = loader if loader is not None else self._make_loader()

    def _make_loader(self):
        if not self.session_file.is_file():
            raise CollectionError(
                f"Instagram session file not found: {self.session_file}. Create it once with "
                f"`instaloader --login {self.username} --sessionfile {self.session_file}` "
                "(instaloader asks for the password and stores only the session cookies), or "
                "set collection.instagram.session_file to an existing session file."
            )
        pause = self.request_pause
        loader = instaloader.Instaloader(
            quiet=True,
            download_pictures=False,
            download_videos=False,
            download_video_thumbnails=False,
            download_geotags=False,
            download_comments=False,
            save_metadata=False,
            rate_controller=lambda ctx: LoggingRateController(ctx, pause),
        )
        try:
            loader.load_session_from_file(self.username, str(self.session_file))
        except Exception as err:  # a corrupt or foreign file: unpickling fails in many ways
            raise CollectionError(
                f"cannot load Instagram session file {self.session_file}: {err}. Recreate it "
                f"with `instaloader --login {self.username} --sessionfile {self.session_file}`."
            ) from err
        return loader

    # -- checkpoints -------------------------------------------------------------------
    def _paths(self, tag: str) -> tuple[Path, Path]:
        stem = re.sub(r"\W", "_", tag) or "_"
        return (
            self.checkpoint_dir / f"{stem}.state.json",
            self.checkpoint_dir / f"{stem}.posts.jsonl",
        )

    def _settings(self, window: Window | None) -> dict:
        span = None if window is None else [format_time(window.start), format_time(window.end)]
        return {
            "window": span,
            "fetch_comments": self.fetch_comments,
            "max_comments": self.max_comments,
            "max_posts_per_hashtag": self.max_posts,
            "username": self.username,
        }

    def _load(self, tag: str, settings: dict) -> tuple[dict, list[Post]]:
        state_p, posts_p = self._paths(tag)
        try:
            state = json.loads(state_p.read_text(encoding="utf-8"))
            data = posts_p.read_bytes()
        except (OSError, ValueError):  # none yet, or unreadable: start afresh
            state, data = None, b""
        if state is None or state.get("settings") != settings:
            if state is not None:
                log.warning("#%s: checkpoint %s has other settings; discarded", tag, state_p)
            posts_p.unlink(missing_ok=True)
            return {"settings": settings, "iterator": None, "complete": None}, []
        if not data.endswith(b"\n"):  # a last line cut short by a hard kill
            posts_p.write_bytes(data[: data.rfind(b"\n") + 1])
        return state, list(read_jsonl(posts_p))

    def _save(self, tag: str, state: dict, iterator=None) -> None:
        if iterator is not None and hasattr(iterator, "freeze"):
            state["iterator"] = iterator.freeze()._asdict()
        state_p, _ = self._paths(tag)
        tmp = state_p.with_suffix(".json.part")
        tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        tmp.replace(state_p)

    def clear_checkpoints(self) -> None:
        """Forget every hashtag checkpoint so the next run collects afresh."""
        for p in self.checkpoint_dir.glob("*.state.json"):
            p.unlink()
        for p in self.checkpoint_dir.glob("*.posts.jsonl"):
            p.unlink()

    # -- collection --------------------------------------------------------------------
    def feed(self, hashtag: str) -> Iterator[Post]:
        """The whole feed newest first (bounded only by ``max_posts_per_hashtag``)."""
        return self._collect(hashtag, None)

    def posts(self, hashtag: str, window: Window) -> Iterator[Post]:
        """The feed inside ``window`` with the paper's stop rule, checkpointed per window."""
        return self._collect(hashtag, window)

    def _thaw(self, tag: str, iterator, frozen: dict | None) -> None:
        if not frozen:
            return
        fni = FrozenNodeIterator(**frozen)
        if fni.best_before and datetime.fromtimestamp(fni.best_before) < datetime.now():
            log.warning("#%s: saved feed position expired; re-reading the feed from the top", tag)
            return
        try:
            iterator.thaw(fni)
            log.info("#%s: resuming the feed after %d items", tag, fni.total_index)
        except InvalidArgumentException as err:
            log.warning("#%s: cannot resume saved feed position (%s); re-reading", tag, err)

    def _collect(self, hashtag: str, window: Window | None) -> Iterator[Post]:
        tag = hashtag.strip().lstrip("#").lower()
        self.checkpoint_dir.mkdir(parents=True, exist_ok=True)
        state, stored = self._load(tag, self._settings(window))
        seen = {p.id for p in stored}
        if stored:
            log.info("#%s: replaying %d posts from %s", tag, len(stored), self.checkpoint_dir)
        yield from stored
        n = len(stored)
        if state.get("complete"):
            log.info("#%s: complete in checkpoint (%s), %d posts", tag, state["complete"], n)
            return
        if self.max_posts is not None and n >= self.max_posts:
            self._save(tag, {**state, "complete": "cap"})
            return
        ctx = self.loader.context
        try:
            iterator = instaloader.Hashtag.from_name(ctx, tag).get_posts_resumable()
        except (InstaloaderException, KeyError) as err:
            raise _refusal(tag, err) from err
        self._thaw(tag, iterator, state.get("iterator"))
        self._save(tag, state, iterator)  # a hard kill still leaves settings + position
        _, posts_p = self._paths(tag)
        complete, since_save = None, 0
        try:
            with open(posts_p, "a", encoding="utf-8") as out:
                while True:
                    try:
                        ip = next(iterator, None)
                        if ip is None:
                            complete = "feed exhausted"
                            break
                        if str(ip.shortcode) in seen:
                            continue
                        when = ip.date_utc.replace(tzinfo=UTC)
                        if window is not None and when > window.end:
                            continue
                        if window is not None and when < window.start:
                            complete = f"reached {format_time(when)}, before the window"
                            break
                        comments = comments_of(ip, self.max_comments) if self.fetch_comments else []
                        post = post_from_instaloader(ip, comments)
                    except (InstaloaderException, KeyError) as err:
                        raise _refusal(tag, err) from err
                    seen.add(post.id)
                    out.write(json.dumps(post.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
                    out.flush()
                    n += 1
                    since_save += 1
                    if since_save >= SAVE_EVERY:
                        self._save(tag, state, iterator)
                        since_save = 0
                    if n % 50 == 0:
                        log.info("#%s: %d posts so far", tag, n)
                    yield post
                    if self.max_posts is not None and n >= self.max_posts:
                        complete = f"max_posts_per_hashtag={self.max_posts}"
                        break
        finally:
            if complete:
                self._save(tag, {**state, "iterator": None, "complete": complete})
                log.info("#%s: %d posts (%s)", tag, n, complete)
            else:  # interrupted, refused or abandoned by the caller: keep the position
                self._save(tag, state, iterator)
                log.info("#%s: stopped after %d posts; position saved for resuming", tag, n)
