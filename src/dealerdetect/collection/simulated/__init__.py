"""An embedded, offline simulated Instagram: the default collection source.

It is a small model of the world Li et al. (2019) scraped in 2018, generated deterministically
from the study seed: drug dealers who advertise with drug-name, codeword and sale hashtags,
selling language and contact details (Wickr, Telegram, Kik, WhatsApp, phone, e-mail, "check my
bio"), reposting near-identical ads; and, under the same hashtags, people who talk about drugs
without selling them (personal use, memes and lyrics, recovery, news, pharmacy, harm reduction,
pain patients, students and ravers, people looking for a plug, scam warnings) and people who sell
something else with the same words and apps, borrowing drug hashtags for reach. The lifestyle
public (#love, #food) lives beside them. Users, behaviours and vocabularies are YAML files in this
folder; every name, handle, phone number (fictional 555-01xx ranges) and address (example
domains) is invented.

Calibration (world.yaml): with the paper's seeds, two loops, config.yaml's drug keywords and the
paper's window, discovery collects 12,857 posts of which 1,228 are dealer ads from 267 dealers,
with the paper's shares of hashtags, apps, drugs and offers to buy. Of the dealer ads, 2.61% have
only descriptive language in the caption: the paper suspects these posts were modified after
collection; here their hashtags sit in the poster's first comment (which Instagram also indexes),
so hashtag search finds them while the caption holds none (``Post.hashtags`` lists the comment's
tags).

Pictures (pictures.py, world.yaml ``dealers.pictures``): 260 of the 1,228 ads have one, every
image ad among them, as in the paper's "Manual Image Annotation of Drug Dealer Posts": 175 show
prescription drugs only, 60 illicit drugs only, 15 both, 5 suspected drugs that cannot be
classified and 5 no drug; 60 carry the dealer's typed or handwritten contact details (image ads
first). About 8% of the other posts have one too: pharmacy and pain-patient pill photos with
pharmacy text, recovery counts, memes and flyers, text-free lifestyle photos. Which post has
which picture is in ``SimPost.meta`` (``picture``, ``image_category``, ``image_contact``);
:meth:`SimulatedSource.write_picture` draws it (Pillow, 320x320 JPEG), and the coders' sheets
give each picture's category. Pictures draw on streams of their own: captions, hashtags,
labels and ids are the same with or without them.

Difficulty: text alone does not give the label away. About 12% of ads carry their menu and
contact only in the picture (the coders saw it) and read like the dealers' own label-0 flex
posts; other sellers (merch, followers, crypto, candy ...) use the same selling words, prices and
apps under borrowed drug hashtags; scam warnings quote real ads. A bag-of-words linear SVM lands
near F1 0.9, and no single word or hashtag reaches F1 0.5.

Usage::

    src = SimulatedSource(seed=2019)            # the paper's window, scale 1
    for post in src.posts("xanaxangel", window):  # newest first, stop rule applied
        ...
    src.annotations([p.id for p in posts])      # two coders + adjudicated label
    src.write_picture(post.id, folder)          # "images/<id>.jpg" under folder, or None
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from dealerdetect.errors import InputValueError

from ...posts import Post
from ..base import Source, Window
from .pictures import picture_jpeg
from .world import World, build_world, default_window

SAFE_ID = re.compile(r"^[A-Za-z0-9_-]+$")  # ids the world gives: file names as they are

__all__ = ["SimulatedSource", "World", "build_world", "default_window"]


class SimulatedSource(Source):
    """The simulated Instagram as a collection source.

    ``scale`` multiplies the number of accounts and posts (1.0 = the paper's corpus; 0.03 gives
    a few hundred posts). ``window`` is the collection window the world is calibrated to (the
    paper's when None); feeds reach 40 days before it and 9 days past it. ``lexicon`` (the
    study's ``drugs.Lexicon``) adds the open market, one segment per family (market.py); without
    it the world is the paper's sphere only. The world is built
    on first use and shared between sources with the same arguments.
    """

    name = "simulated"

    def __init__(self, seed: int, scale: float = 1.0, window: Window | None = None, lexicon=None):
        if scale <= 0:
            raise InputValueError(f"simulated source: scale must be positive, got {scale}")
        self.seed = int(seed)
        self.scale = float(scale)
        self.window = window or default_window()
        self.lexicon = lexicon  # a drugs.Lexicon: one open-market segment per family
        self._world: World | None = None

    @property
    def world(self) -> World:
        if self._world is None:
            self._world = build_world(self.seed, self.scale, self.window, self.lexicon)
        return self._world

    def feed(self, hashtag: str) -> Iterator[Post]:
        """Posts carrying ``hashtag``, newest first; each a fresh copy the caller may change."""
        for p in self.world.feed(hashtag):
            yield p.to_post()

    def annotations(self, post_ids: Iterable[str]) -> list[dict]:
        """Two coders' labels and the adjudicated one, per post:
        ``{"post_id", "annotator_a", "annotator_b", "final"}`` (ints 0/1)."""
        world = self.world
        out = []
        for pid in post_ids:
            post = world.by_id.get(str(pid))
            if post is None:
                raise KeyError(f"simulated source: no post with id {pid!r} in this world")
            out.append(world.coders.code(post))
        return out

    def write_picture(self, post_id: str, folder: str | Path) -> str | None:
        """Draw the post's picture to ``folder/images/<post_id>.jpg``; returns that path
        relative to ``folder`` ("images/<post_id>.jpg"), or None when the post has no picture."""
        post = self.world.by_id.get(str(post_id))
        if post is None:
            raise KeyError(f"simulated source: no post with id {post_id!r} in this world")
        if not SAFE_ID.match(post.id):
            raise InputValueError(f"simulated source: post id {post.id!r} is not a safe file name")
        data = picture_jpeg(self.seed, post)
        if data is None:
            return None
        rel = f"images/{post.id}.jpg"
        path = Path(folder) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return rel

    def truth(self, post_ids: Iterable[str]) -> list[dict]:
        """Ground truth behind each post (label, persona, drugs, apps, offer, ...), for tests
        and calibration; the pipeline itself uses :meth:`annotations`."""
        by_id = self.world.by_id
        return [by_id[str(pid)].truth() for pid in post_ids]
