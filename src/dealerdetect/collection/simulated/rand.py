"""Seeded randomness and exact allocation for the simulated world.

Every component of the world draws from its own named stream (``Rand(seed, "dealers")``), so
changing how one part is generated does not reshuffle the others. Python's ``random.Random``
seeded with a string is stable across runs and platforms (it hashes the string with SHA-512).

Calibrated quantities (how many ads mention Wickr, carry #xanax, ...) are not left to chance:
:func:`subset_with_weight` and :func:`weighted_sample` pick exactly the required number of
posts while still letting each dealer's habits decide *which* posts.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")
H = TypeVar("H", bound=Hashable)


class Rand(random.Random):
    """``random.Random`` with the few helpers the world uses."""

    def __init__(self, seed: int, stream: str):
        super().__init__(f"dealerdetect-sim/{seed}/{stream}")

    def chance(self, p: float) -> bool:
        return self.random() < p

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def pick_weighted(self, weights: dict[T, float]) -> T:
        keys = list(weights)
        return self.choices(keys, weights=[weights[k] for k in keys])[0]

    def count(self, spec: dict) -> int:
        """How many tags a draw spec asks for: ``{"k": [lo, hi]}`` or ``{"p": prob}``."""
        if "k" in spec:
            lo, hi = spec["k"]
            return self.randint(lo, hi)
        return 1 if self.chance(spec.get("p", 1.0)) else 0

    def poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        if lam > 40:
            return max(0, round(self.gauss(lam, math.sqrt(lam))))
        limit, k, prod = math.exp(-lam), 0, self.random()
        while prod > limit:
            k += 1
            prod *= self.random()
        return k


def scaled(n: float, factor: float, minimum: int = 0) -> int:
    return max(minimum, int(round(n * factor)))


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), summing exactly."""
    s = float(sum(weights))
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    out = [int(math.floor(r)) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def heavy_tailed_counts(rng: Rand, n: int, total: int, sigma: float) -> list[int]:
    """``n`` positive counts summing to ``total``: one each, the rest spread by lognormal weights.

    Gives the familiar shape of activity online: most accounts post once or twice, a few post a
    lot.
    """
    if n <= 0:
        return []
    total = max(total, n)
    weights = [rng.lognormvariate(0.0, sigma) for _ in range(n)]
    extra = apportion(total - n, weights)
    # Apportioning rounds small weights to zero: that is what leaves many accounts at one post.
    return [1 + e for e in extra]


def subset_with_weight(
    rng: Rand,
    items: Sequence[H],
    weight: Callable[[H], int],
    target: int,
    first: Sequence[H] = (),
) -> list[H]:
    """Items whose weights add up to ``target`` (exactly when the items allow it).

    Walks the items in random order (those in ``first`` before the rest) and takes each one
    that still fits. If that leaves a gap, a subset-sum search over the same order finds an
    exact subset when there is one (else the greedy pick is returned).
    """
    pool = set(items)
    firsts = [i for i in dict.fromkeys(first) if i in pool]
    taken_first = set(firsts)
    rest = [i for i in items if i not in taken_first]
    rng.shuffle(firsts)
    rng.shuffle(rest)
    order = [i for i in firsts + rest if weight(i) > 0]
    chosen: list[H] = []
    left = target
    for it in order:
        w = weight(it)
        if w <= left:
            chosen.append(it)
            left -= w
        if left == 0:
            return chosen
    parent: dict[int, tuple[int, int] | None] = {0: None}
    for idx, it in enumerate(order):
        w = weight(it)
        for s in list(parent):
            t = s + w
            if t <= target and t not in parent:
                parent[t] = (s, idx)
        if target in parent:
            break
    if target not in parent:
        return chosen
    exact, t = [], target
    while parent[t] is not None:
        s, idx = parent[t]
        exact.append(order[idx])
        t = s
    return exact


def weighted_sample(rng: Rand, items: Sequence[T], weights: Sequence[float], k: int) -> list[T]:
    """``k`` distinct items, each drawn with probability proportional to its weight
    (Efraimidis-Spirakis keys)."""
    if k <= 0:
        return []
    if k >= len(items):
        return list(items)
    keyed = []
    for idx, w in enumerate(weights):
        u = rng.random() or 1e-300
        keyed.append((math.log(u) / max(w, 1e-12), idx))
    keyed.sort(reverse=True)
    return [items[idx] for _, idx in keyed[:k]]
