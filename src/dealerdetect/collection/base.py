"""The interface every collection source implements.

The paper's scraper walked a hashtag's feed newest-first "until it reached a set limitation (in
this study we ended our search loop when the post was older than 3 months)". A source therefore
only has to offer a newest-first feed per hashtag; :meth:`Source.posts` applies the window.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from ..posts import Post, parse_time


@dataclass(frozen=True)
class Window:
    """Collection window [start, end], both inclusive, timezone-aware."""

    start: datetime
    end: datetime

    @classmethod
    def from_config(cls, cfg: dict) -> Window:
        start = parse_time(str(cfg["start"]))
        # An end given as a date means the whole of that day.
        end_s = str(cfg["end"])
        end = parse_time(end_s if "T" in end_s else end_s + "T23:59:59Z")
        if end < start:
            raise ValueError(f"collection.window: end {end_s} is before start {cfg['start']}")
        return cls(start, end)

    def __contains__(self, t: datetime) -> bool:
        return self.start <= t <= self.end


class Source(abc.ABC):
    """A place posts come from: simulated Instagram, live Instagram, or the user's files."""

    name: str = "abstract"

    @abc.abstractmethod
    def feed(self, hashtag: str) -> Iterator[Post]:
        """Posts carrying ``hashtag``, newest first, possibly reaching before any window."""

    def posts(self, hashtag: str, window: Window) -> Iterator[Post]:
        """Posts carrying ``hashtag`` inside ``window``.

        Skips posts newer than the window's end and stops at the first post older than its
        start, as the paper's scraper did; the feed is not read further.
        """
        for post in self.feed(hashtag):
            t = post.time
            if t > window.end:
                continue
            if t < window.start:
                break
            yield post

    def close(self) -> None:  # noqa: B027 - optional hook for sources holding sessions
        """Release whatever the source holds (sessions, files)."""
