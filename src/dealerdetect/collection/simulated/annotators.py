"""Two simulated coders and their adjudication (paper, step 6).

Each coder labels a post wrongly with a small probability, higher for posts whose caption is
ambiguous without the image (terse or disguised ads, other sellers' terse posts, dealers' flex
posts, warnings quoting ads, people looking for a plug). Whether a coder errs on a post depends
only on the seed, the post id and the coder, so coding the same post twice gives the same
answer whatever else is coded alongside it. Disagreements are adjudicated to the truth.

The coders also saw each post's picture, as the paper's did ("Manual Image Annotation of Drug
Dealer Posts"), and write its category (:func:`image_category_cell`); the error rates are those
of the labels, which the pictures leave unchanged.
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
        cell = image_category_cell(post)
        return {
            "post_id": post.id,
            "annotator_a": a,
            "annotator_b": b,
            "final": post.label,
            "image_category": cell,
        }


def image_category_cell(post: SimPost) -> str:
    """The coders' ``image_category`` cell for the post's picture ("" without one), in the
    sheet's vocabulary (annotation.images.CATEGORIES): a picture of a prescription and an
    illicit drug is "both", and "contact" is added where it shows typed or written contact
    details. Both coders write the same cell (their categories are adjudicated)."""
    m = post.meta
    if not m.get("picture"):
        return ""
    cats = list(m.get("image_category") or [])
    if "prescription" in cats and "illicit" in cats:
        cats = ["both"] + [c for c in cats if c not in ("prescription", "illicit")]
    if m.get("image_contact"):
        cats.append("contact")
    return ";".join(cats)
