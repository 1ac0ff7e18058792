"""The paper's two-loop hashtag discovery.

"In the first loop, we captured data from an individual post under a certain hashtag in the
initial set of hashtags used. [...] We then filtered out the hashtags from each post and chose
other hashtags that contained keywords associated with controlled substances and illicit drugs
[...]. Hashtags that contained opioid and drug-related keywords or combinations thereof were then
added to the hashtag list so they could be searched in a second loop." The paper inspected
co-occurring hashtags by hand; here the study's drug lexicon (config ``drugs``,
:mod:`dealerdetect.drugs`) stands in for that inspection and the discovery log records every
decision. A seed under which the source holds no post is logged by name; when no seed gives a
post, collection stops with one error naming them all.
"""

from __future__ import annotations

import copy
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..drugs import Lexicon
from ..posts import Post
from . import CollectionError
from .base import Source, Window

log = logging.getLogger(__name__)


@dataclass
class HashtagRecord:
    hashtag: str
    loop: int  # the loop in which the hashtag was searched
    reason: str  # "seed" or "drug:<family>:<term>" (the lexicon term that matched)
    cooccurrences: int = 0  # posts of loop 1 carrying it (0 for seeds)
    posts: int = 0  # hits collected under it
    # "done", "no posts ..." for a seed the source holds nothing under, or "error: ..." when
    # the source refused it
    status: str = "pending"


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
                    "reason": "not in the drug lexicon",
                    "cooccurrences": n,
                    "posts": 0,
                    "status": "not followed",
                }
            )
        return out


def matching_keyword(hashtag: str, lexicon: Lexicon) -> str | None:
    """``<family>:<term>`` when the lexicon matches ``hashtag``, else None."""
    m = lexicon.match(hashtag)
    return f"{m.family}:{m.term}" if m else None


def normalise_tag(tag: str) -> str:
    return tag.strip().lstrip("#").lower()


def discover(
    source: Source,
    seeds: list[str],
    window: Window,
    lexicon: Lexicon,
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
            if rec.reason == "seed" and not rec.posts:
                rec.status = "no posts: the source holds no post under this seed in the window"
                log.warning("seed #%s collected no posts", rec.hashtag)
        if loop == 1 and not any(r.posts for r in disc.hashtags):
            names = ", ".join(f"#{r.hashtag}" for r in disc.hashtags)
            raise CollectionError(
                f"collection.seed_hashtags: no seed collected a post in the window "
                f"({names}); the {getattr(source, 'name', 'source')} source holds nothing "
                "under them. Check the spelling or pick seeds the source knows."
            )
        if loop == loops:
            break
        frontier = []
        for tag, n in sorted(cooc.items(), key=lambda kv: (-kv[1], kv[0])):
            if tag in searched:
                continue
            kw = matching_keyword(tag, lexicon)
            if kw:
                frontier.append(HashtagRecord(tag, loop + 1, f"drug:{kw}", n))
            else:
                disc.rejected[tag] += n
        if not frontier:
            break
