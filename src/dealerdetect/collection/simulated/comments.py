"""The crowd that comments: ordinary accounts, buyers, and the posters answering them."""

from __future__ import annotations

from .data import load
from .model import Draft, Timeline
from .rand import Rand
from .text import Filler, Namer


class Crowd:
    """Accounts that comment and get @mentioned, and would-be buyers."""

    def __init__(self, rng: Rand, namer: Namer, people: int, buyers: int):
        self.rng = rng
        self.people = [namer.handle("person") for _ in range(max(people, 5))]
        self.buyers = [namer.handle("person") for _ in range(max(buyers, 3))]

    def someone(self, rng: Rand, besides: str = "") -> str:
        for _ in range(5):
            h = rng.pick(self.people)
            if h != besides:
                return h
        return self.people[0] if self.people[0] != besides else self.people[-1]

    def buyer(self, rng: Rand) -> str:
        return rng.pick(self.buyers)


class CommentWriter:
    """Adds comments to drafts from the pools of comments.yaml."""

    def __init__(self, crowd: Crowd, timeline: Timeline, filler: Filler):
        self.crowd = crowd
        self.timeline = timeline
        self.filler = filler
        raw = load("comments")
        self.pools: dict[str, list[str]] = {k: v for k, v in raw.items() if isinstance(v, list)}
        self.count_weights = {int(k): v for k, v in raw["count_weights"].items()}

    def _say(self, rng: Rand, draft: Draft, who: str, text: str) -> None:
        last = draft.comments[-1][1] if draft.comments else draft.time
        draft.comments.append((who, self.timeline.comment_time(rng, last), text))

    def _fill(self, rng: Rand, template: str) -> str:
        return self.filler.fill(rng, template, {"mention": lambda: self.crowd.someone(rng)})

    def chatter(self, rng: Rand, draft: Draft, pools: list[str], extra: int = 0) -> None:
        """0-4 ordinary comments from the named pools (plus ``extra`` more)."""
        if not pools:
            return
        n = rng.pick_weighted(self.count_weights) + extra
        for _ in range(n):
            text = self._fill(rng, rng.pick(self.pools[rng.pick(pools)]))
            self._say(rng, draft, self.crowd.someone(rng, besides=draft.user), text)

    def offer_to_buy(self, rng: Rand, draft: Draft, replies: list[str]) -> None:
        """One or more buyers ask to buy, for a price or for contact; the poster may answer."""
        for _ in range(1 + rng.poisson(0.4)):
            self._say(
                rng, draft, self.crowd.buyer(rng), self._fill(rng, rng.pick(self.pools["buyer"]))
            )
            if rng.chance(0.5):
                self._say(rng, draft, draft.user, rng.pick(replies))
