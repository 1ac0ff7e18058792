"""The paper's two-loop hashtag discovery.

"In the first loop, we captured data from an individual post under a certain hashtag in the
initial set of hashtags used. [...] We then filtered out the hashtags from each post and chose
other hashtags that contained keywords associated with controlled substances and illicit drugs
[...]. Hashtags that contained opioid and drug-related keywords or combinations thereof were then
added to the hashtag list so they could be searched in a second loop." The paper inspected
co-occurring hashtags by hand; here a configurable keyword list (``collection.drug_keywords``)
stands in for that inspection and the discovery log records every decision.
"""

from __future__ import annotations

import copy
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..posts import Post
from .base import Source, Window

log = logging.getLogger(__name__)


@dataclass
class HashtagRecord:
    hashtag: str
    loop: int  # the loop in which the hashtag was searched
    reason: str  # "seed" or "keyword:<kw>"
    cooccurrences: int = 0  # posts of loop 1 carrying it (0 for seeds)
    posts: int = 0  # hits collected under it
    status: str = "pending"  # "done", or "error: ..." when the source refused it


@dataclass
class Discovery:
    hashtags: list[HashtagRecord] = field(default_factory=list)
    rejected: Counter = field(default_factory=Counter)  # co-occurring tags not followed

    def rows(self) -> list[dict]:
        out = [vars(h).copy() for h in self.hashtags]
        for tag, n in sorted(self.rejected.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(
                {
                    "hashtag": tag,
                    "loop": 0,
                    "reason": "not a drug keyword",
                    "cooccurrences": n,
                    "posts": 0,
                    "status": "not followed",
                }
            )
        return out


def matching_keyword(hashtag: str, keywords: Iterable[str]) -> str | None:
    """The first drug keyword contained in ``hashtag`` (case-insensitive), or None."""
    h = hashtag.lower()
    for kw in keywords:
        if kw.lower() in h:
            return kw
    return None


def normalise_tag(tag: str) -> str:
    return tag.strip().lstrip("#").lower()


def discover(
    source: Source,
    seeds: list[str],
    window: Window,
    drug_keywords: list[str],
    loops: int = 2,
    discovery: Discovery | None = None,
) -> Iterator[Post]:
    """Run the loops and yield every collection hit (a post under one hashtag).

    ``loops=1`` collects the seeds only. Each later loop searches the drug hashtags that
    co-occurred in the previous loop's posts and were not searched yet. ``discovery`` (if given)
    is filled with the log of hashtags searched and rejected.
    """
    disc = discovery if discovery is not None else Discovery()
    searched: set[str] = set()
    frontier = [HashtagRecord(normalise_tag(s), 1, "seed") for s in seeds]
    for loop in range(1, loops + 1):
        cooc: Counter = Counter()
        for rec in frontier:
            if rec.hashtag in searched:
                continue
            searched.add(rec.hashtag)
            disc.hashtags.append(rec)
            log.info("loop %d: collecting #%s", loop, rec.hashtag)
            for post in source.posts(rec.hashtag, window):
                # A copy per hit: sources may hand out the same object under several hashtags.
                post = copy.deepcopy(post)
                post.found_via, post.loop = rec.hashtag, loop
                rec.posts += 1
                cooc.update(set(post.hashtags))
                yield post
            rec.status = "done"
            log.info("loop %d: #%s gave %d posts", loop, rec.hashtag, rec.posts)
        if loop == loops:
            break
        frontier = []
        for tag, n in sorted(cooc.items(), key=lambda kv: (-kv[1], kv[0])):
            if tag in searched:
                continue
            kw = matching_keyword(tag, drug_keywords)
            if kw:
                frontier.append(HashtagRecord(tag, loop + 1, f"keyword:{kw}", n))
            else:
                disc.rejected[tag] += n
        if not frontier:
            break
