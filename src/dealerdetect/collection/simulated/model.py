"""Records of the simulated world: accounts, posts being written, finished posts, time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ...posts import Comment, Post, format_time
from ..base import Window
from .rand import Rand
from .text import Identity


@dataclass
class DealerProfile:
    """What a dealer sells and how they advertise it."""

    drugs: list[str]  # Table-2 drugs (xanax, oxycodone, lsd, mdma) the dealer advertises
    others: list[str]  # further drug families on the menu (percocet, lean, ...)
    apps: list[str]  # messaging apps named in every ad (wickr, telegram, kik, whatsapp)
    extras: list[str]  # other contact kinds used now and then (phone, email, bio, snapchat)
    style: str  # preferred ad style (dealers.yaml: styles)
    affinity: dict[str, float]  # how much the dealer likes each hashtag
    base_ads: list[dict] = field(default_factory=list)
    ring: int | None = None  # ring whose ad wording the dealer copies
    last_body: str = ""  # text of the latest ad, for verbatim reposts

    @property
    def families(self) -> list[str]:
        return self.drugs + self.others


@dataclass
class Account:
    handle: str
    persona: str  # "dealer", a sphere persona or a public persona
    identity: Identity | None = None
    dealer: DealerProfile | None = None
    product: str | None = None  # what an other_seller sells


@dataclass
class Draft:
    """A post being written; becomes a :class:`SimPost` once it has an id."""

    user: str
    time: datetime
    persona: str
    label: int
    caption: str = ""
    hashtags: list[str] = field(default_factory=list)
    comments: list[tuple[str, datetime, str]] = field(default_factory=list)
    meta: dict = field(default_factory=dict)  # ground truth: drugs, apps, offer, hard, ...


@dataclass(frozen=True)
class SimPost:
    """A finished post of the world, with its ground truth."""

    id: str
    user: str
    epoch: float
    timestamp: str
    caption: str
    hashtags: tuple[str, ...]
    mentions: tuple[str, ...]
    comments: tuple[tuple[str, str, str], ...]
    label: int
    persona: str
    meta: dict

    def to_post(self) -> Post:
        """A fresh :class:`Post` (callers may mutate it; the world's copy stays intact)."""
        return Post(
            id=self.id,
            user=self.user,
            timestamp=self.timestamp,
            caption=self.caption,
            hashtags=list(self.hashtags),
            mentions=list(self.mentions),
            comments=[Comment(u, t, x) for u, t, x in self.comments],
            source="simulated",
        )

    def truth(self) -> dict:
        return {
            "post_id": self.id,
            "user": self.user,
            "label": self.label,
            "persona": self.persona,
            **self.meta,
        }


class Timeline:
    """When posts happen: inside the window, or in the stretches before and after it."""

    def __init__(self, window: Window, days_before: float, days_after: float):
        self.window = window
        self.start = window.start.astimezone(UTC)
        self.end = window.end.astimezone(UTC)
        self.before = timedelta(days=days_before)
        self.after = timedelta(days=days_after)
        span = max((self.end - self.start).total_seconds(), 1.0)
        self.ratio_before = self.before.total_seconds() / span
        self.ratio_after = self.after.total_seconds() / span

    def _between(self, rng: Rand, a: datetime, b: datetime) -> datetime:
        secs = int((b - a).total_seconds())
        return a + timedelta(seconds=rng.randint(0, max(secs, 0)))

    def inside(self, rng: Rand) -> datetime:
        return self._between(rng, self.start, self.end)

    def earlier(self, rng: Rand) -> datetime:
        return self._between(rng, self.start - self.before, self.start - timedelta(seconds=1))

    def later(self, rng: Rand) -> datetime:
        return self._between(rng, self.end + timedelta(seconds=1), self.end + self.after)

    def outside_times(self, rng: Rand, n_inside: float) -> list[datetime]:
        """Times of an account's posts outside the window, at its in-window rate."""
        out = [self.earlier(rng) for _ in range(rng.poisson(n_inside * self.ratio_before))]
        out += [self.later(rng) for _ in range(rng.poisson(n_inside * self.ratio_after))]
        return out

    def comment_time(self, rng: Rand, after: datetime) -> datetime:
        return after + timedelta(minutes=min(rng.expovariate(1 / 240.0), 4 * 24 * 60) + 1)


def iso(t: datetime) -> str:
    return format_time(t)
