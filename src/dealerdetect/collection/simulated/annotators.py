"""Two simulated coders and their adjudication (paper, step 6).

Each coder labels a post wrongly with a small probability, higher for posts whose caption is
ambiguous without the image (terse or disguised ads, other sellers' terse posts, dealers' flex
posts, warnings quoting ads, people looking for a plug). Whether a coder errs on a post depends
only on the seed, the post id and the coder, so coding the same post twice gives the same
answer whatever else is coded alongside it. Disagreements are adjudicated to the truth.
"""

from __future__ import annotations

import hashlib

from .model import SimPost


class Coders:
    def __init__(self, seed: int, error_rate: float, error_rate_hard: float):
        self.seed = seed
        self.error_rate = error_rate
        self.error_rate_hard = error_rate_hard

    def _uniform(self, post_id: str, coder: str) -> float:
        h = hashlib.blake2b(f"{self.seed}/{post_id}/{coder}".encode(), digest_size=8).digest()
        return int.from_bytes(h, "big") / 2**64

    def code(self, post: SimPost) -> dict:
        rate = self.error_rate_hard if post.meta.get("hard") else self.error_rate
        a = post.label ^ int(self._uniform(post.id, "a") < rate)
        b = post.label ^ int(self._uniform(post.id, "b") < rate)
        return {"post_id": post.id, "annotator_a": a, "annotator_b": b, "final": post.label}
