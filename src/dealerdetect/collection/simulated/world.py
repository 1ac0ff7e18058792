"""Assembling the simulated Instagram: accounts, posts, ids and the hashtag index."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from dealerdetect.errors import InputValueError

from ...drugs import Lexicon
from ...posts import extract_hashtags
from ..base import Window
from .annotators import Coders
from .comments import CommentWriter, Crowd
from .data import Vocabulary, load, vocabulary
from .dealers import AdWriter, DealerMarket
from .market import OpenMarket
from .model import Account, Draft, SimPost, Timeline, iso
from .personas import Population
from .pictures import assign_pictures
from .rand import Rand, apportion, scaled
from .text import ContactWriter, Filler, Namer, TagWriter, mentions_of

ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def default_window() -> Window:
    return Window.from_config(load("world")["window"])


@dataclass
class World:
    """The generated world: every post (newest first per hashtag) and every account."""

    seed: int
    scale: float
    window: Window
    posts: list[SimPost]
    accounts: dict[str, Account]
    build_seconds: float = 0.0
    by_id: dict[str, SimPost] = field(init=False)
    by_tag: dict[str, list[SimPost]] = field(init=False)
    coders: Coders = field(init=False)

    def __post_init__(self):
        self.by_id = {p.id: p for p in self.posts}
        index: dict[str, list[SimPost]] = defaultdict(list)
        for p in sorted(self.posts, key=lambda p: (-p.epoch, p.id)):
            for tag in p.hashtags:
                index[tag].append(p)
        self.by_tag = dict(index)
        self.coders = Coders(self.seed, **load("world")["annotators"])

    def feed(self, hashtag: str) -> list[SimPost]:
        return self.by_tag.get(hashtag.strip().lstrip("#").lower(), [])


class WorldBuilder:
    """Wires the world's parts together and runs them in a fixed order."""

    def __init__(self, seed: int, scale: float, window: Window, lexicon: Lexicon | None = None):
        if scale <= 0:
            raise InputValueError(f"simulated world: scale must be positive, got {scale}")
        self.seed, self.scale, self.window = seed, scale, window
        self.lexicon = lexicon  # None: the paper's sphere only, no open market
        self.cfg = load("world")
        self.vocab: Vocabulary = vocabulary()
        lex, names = load("lexicon"), load("names")
        self.timeline = Timeline(
            window, self.cfg["timeline"]["days_before"], self.cfg["timeline"]["days_after"]
        )
        self.namer = Namer(Rand(seed, "names"))
        self.filler = Filler(
            {
                "sale": lex["sale"],
                "payment": lex["payment"],
                "foreign": lex["foreign"],
                "sale_emoji": lex["emoji"]["sale"],
                "place": names["places"],
                "festival": names["festivals"],
            }
        )
        self.contacts = ContactWriter(lex)
        self.tags = TagWriter(self.vocab)
        n_sphere = scaled(self.cfg["drug_sphere_posts"], scale, 1)
        self.crowd = Crowd(
            Rand(seed, "crowd"), self.namer, people=n_sphere // 3, buyers=n_sphere // 40
        )
        self.comments = CommentWriter(self.crowd, self.timeline, self.filler)

    def build(self) -> World:
        t0 = time.perf_counter()
        accounts: list[Account] = []
        writer = AdWriter(self.vocab, self.filler, self.contacts, self.tags)
        market = DealerMarket(
            self.seed,
            self.scale,
            self.timeline,
            self.namer,
            self.vocab,
            writer,
            self.comments,
        )
        accounts += market.accounts()
        drafts: list[Draft] = market.ads()

        personas = load("personas")
        sphere = personas["sphere"]
        n_sphere = scaled(self.cfg["drug_sphere_posts"], self.scale, 1)
        n_others = max(0, n_sphere - market.n_ads)
        names = list(sphere)
        counts = dict(
            zip(names, apportion(n_others, [sphere[n]["share"] for n in names]), strict=True)
        )
        drafts += market.flex(counts.pop("dealer_flex", 0))

        population = Population(
            self.seed,
            self.vocab,
            self.filler,
            self.contacts,
            self.tags,
            self.crowd,
            self.namer,
            self.timeline,
            self.comments,
            quote=market.quote,
        )
        for name, n in counts.items():
            accs, ds = population.posts(name, sphere[name], n)
            accounts += accs
            drafts += ds
        public = personas["public"]
        n_public = scaled(self.cfg["public_posts"], self.scale)
        pnames = list(public)
        for name, n in zip(
            pnames, apportion(n_public, [public[n]["share"] for n in pnames]), strict=True
        ):
            accs, ds = population.posts(name, public[name], n)
            accounts += accs
            drafts += ds

        # The open market comes last and draws from streams of its own, so the paper's sphere
        # (its accounts, texts, ids and calibration) is the same with or without it, but for
        # the bridge tags some of its posts gain.
        open_drafts: list[Draft] = []
        if self.lexicon is not None:
            open_market = OpenMarket(
                self.seed,
                self.scale,
                self.lexicon,
                self.timeline,
                self.vocab,
                writer,
                self.comments,
                self.namer,
                (self.filler, self.contacts, self.tags, self.crowd),
            )
            accs, open_drafts = open_market.build()
            accounts += accs
            open_market.bridge(drafts)
        used: set[str] = set()
        posts = self.finish(drafts, Rand(self.seed, "ids"), used)
        open_posts = self.finish(open_drafts, Rand(self.seed, "ids/open"), used)
        by_handle = {a.handle: a for a in accounts}
        # Pictures last, from streams of their own: the rest of the world is as without them.
        assign_pictures(self.seed, self.scale, self.window, posts, open_posts, by_handle)
        posts += open_posts
        return World(
            seed=self.seed,
            scale=self.scale,
            window=self.window,
            posts=posts,
            accounts=by_handle,
            build_seconds=time.perf_counter() - t0,
        )

    def finish(self, drafts: list[Draft], rng: Rand, used: set[str]) -> list[SimPost]:
        """Give every draft a unique shortcode-like id (not in ``used``) and freeze it."""
        out = []
        for d in sorted(drafts, key=lambda d: d.time):
            while True:
                bits = rng.getrandbits(60)
                pid = "B" + "".join(ID_ALPHABET[(bits >> (6 * i)) & 63] for i in range(10))
                if pid not in used:
                    used.add(pid)
                    break
            out.append(freeze(pid, d))
        return out


def freeze(pid: str, d: Draft) -> SimPost:
    in_caption = extract_hashtags(d.caption)
    if d.meta.get("hashtags_in") == "first_comment":
        hashtags = extract_hashtags(d.comments[0][2])
    else:
        hashtags = in_caption
    if set(hashtags) != set(d.hashtags):  # a template leaked a '#' or a tag got lost
        raise AssertionError(f"simulated world: hashtags {hashtags} != planned {d.hashtags}")
    return SimPost(
        id=pid,
        user=d.user,
        epoch=d.time.timestamp(),
        timestamp=iso(d.time),
        caption=d.caption,
        hashtags=tuple(hashtags),
        mentions=tuple(mentions_of(d.caption)),
        comments=tuple((u, iso(t), x) for u, t, x in d.comments),
        label=d.label,
        persona=d.persona,
        meta=d.meta,
    )


@lru_cache(maxsize=4)
def _cached(
    seed: int, scale: float, start: datetime, end: datetime, lexicon: Lexicon | None
) -> World:
    return WorldBuilder(seed, scale, Window(start, end), lexicon).build()


def build_world(
    seed: int, scale: float = 1.0, window: Window | None = None, lexicon: Lexicon | None = None
) -> World:
    """The world for (seed, scale, window, lexicon); worlds are immutable, so a few are cached.
    Without a lexicon the world holds the paper's sphere only (no open market)."""
    w = window or default_window()
    return _cached(int(seed), float(scale), w.start, w.end, lexicon)
