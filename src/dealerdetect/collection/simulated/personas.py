"""Everyone else on the simulated Instagram (personas.yaml): users, their posts' words and tags.

Sphere personas post under drug hashtags without selling drugs: personal use, memes and lyrics,
recovery, news, pharmacy and health, harm reduction, pain patients, students and ravers, people
selling something else who borrow drug hashtags for reach (the hardest negatives), people looking
for a plug, scam warnings. Public personas (#love, #food, ...) never carry a drug-sphere hashtag.
"""

from __future__ import annotations

from collections.abc import Callable

from .comments import CommentWriter, Crowd
from .data import Vocabulary, load
from .model import Account, Draft, Timeline
from .rand import Rand, heavy_tailed_counts
from .text import ContactWriter, Filler, Namer, TagWriter, price, unique


class PersonaWriter:
    """Creates the accounts of one persona and writes their posts."""

    def __init__(
        self,
        name: str,
        spec: dict,
        vocab: Vocabulary,
        filler: Filler,
        contacts: ContactWriter,
        tags: TagWriter,
        crowd: Crowd,
        namer: Namer,
        quote: Callable[[Rand], str] | None = None,
    ):
        self.name, self.spec, self.vocab = name, spec, vocab
        self.quote = quote
        self.filler, self.contacts, self.tagw = filler, contacts, tags
        self.crowd, self.namer = crowd, namer
        self.emoji = load("lexicon")["emoji"][spec.get("emoji", "mood")]
        self.products = spec.get("products", {})
        self.slots = spec.get("slots") or {}

    # -- accounts -----------------------------------------------------------------------------
    def accounts(self, rng: Rand, n_posts: int) -> list[tuple[Account, int]]:
        """Accounts with their in-window post counts (summing to ``n_posts``)."""
        if n_posts <= 0:
            return []
        n_users = max(1, round(n_posts / self.spec.get("posts_per_user", 1.5)))
        counts = heavy_tailed_counts(rng, n_users, n_posts, 0.9)
        kind = "news" if self.name == "news_policy" else "person"
        out = []
        for c in counts:
            acc = Account(
                handle=self.namer.handle(kind), persona=self.name, identity=self.namer.identity()
            )
            if self.products:
                acc.product = rng.pick(sorted(self.products))
            out.append((acc, c))
        return out

    # -- hashtags -----------------------------------------------------------------------------
    def _group(self, acc: Account, name: str) -> tuple[str, ...]:
        if name == "product":
            return self.vocab.products.get(acc.product or "", ())
        return self.vocab.groups[name]

    def _anchor_pool(self, family: str | None) -> tuple[str, ...]:
        anchor = self.spec.get("anchor")
        if not anchor:
            return ()
        if family and anchor in ("family", "seed"):
            f = self.vocab.families[family]
            return f.part("seed") if anchor == "seed" else f.anchors
        return tuple(t for g in anchor for t in self.vocab.groups[g])

    def hashtags(self, rng: Rand, acc: Account, family: str | None) -> list[str]:
        pool = self._anchor_pool(family)
        tags = [rng.pick(pool)] if pool else []
        fam = self.vocab.families[family] if family else None
        for draw in self.spec.get("tags", ()):
            src = draw["from"]
            if src in ("table2", "anchors", "seed", "codewords"):
                options = fam.part(src) if fam else ()
            else:
                options = self._group(acc, src)
            k = min(rng.count(draw), len(options))
            if k:
                tags += rng.sample(list(options), k)
        tags = unique(tags)[:30]  # the anchor comes first, so the limit never drops it
        rng.shuffle(tags)
        return tags

    # -- words --------------------------------------------------------------------------------
    def _values(self, rng: Rand, acc: Account, family: str | None) -> dict:
        fam = self.vocab.families[family] if family else None
        product = self.products.get(acc.product or "", {})
        values = {
            "emo": self.emoji,
            "drug": (fam.formal if self.spec.get("words") == "formal" else fam.words)
            if fam
            else ["pills"],
            "n": lambda: str(rng.choice((3, 7, 12, 30, 45, 60, 90, 100, 180, 365, 500))),
            "mention": lambda: self.crowd.someone(rng, besides=acc.handle),
            "phone": acc.identity.phone,
            "contact": lambda: self._contact(rng, acc, required=True),
            "items": lambda: self._items(rng, product),
            "product_line": product.get("lines", ["new stuff in"]),
            "quoted_ad": lambda: self.quote(rng) if self.quote else "order now, dm me",
            **self.slots,
        }
        return values

    def _items(self, rng: Rand, product: dict) -> str:
        items = rng.sample(product["items"], min(rng.randint(1, 3), len(product["items"])))
        sep = rng.pick((", ", "\n", " | "))
        return sep.join(f"{i} - {price(self.filler, rng)}" if rng.chance(0.7) else i for i in items)

    def _contact(self, rng: Rand, acc: Account, required: bool = False) -> str:
        spec = self.spec.get("contact") or {}
        kinds = spec.get("kinds") or {}
        if not kinds:
            return "dm me" if required else ""
        return self.contacts.line(rng, rng.pick_weighted(kinds), acc.identity)

    def caption(
        self, rng: Rand, acc: Account, family: str | None, tags: list[str]
    ) -> tuple[str, bool]:
        """The caption and whether it is one of the persona's terse (ambiguous) posts."""
        terse = rng.chance(self.spec.get("terse", 0.0))
        templates = self.spec["terse_templates"] if terse else self.spec["templates"]
        template = rng.pick(templates)
        body = self.filler.fill(rng, template, self._values(rng, acc, family))
        contact = self.spec.get("contact") or {}
        if "{contact}" not in template and rng.chance(contact.get("p", 0.0)):
            body = f"{body} {self._contact(rng, acc)}".strip()
        if rng.chance(self.spec.get("link", 0.0)):
            body = f"{body} read more: {self.namer.link()}"
        return self.tagw.caption(rng, body, tags), terse

    def post(self, rng: Rand, acc: Account, when) -> Draft:
        families = self.spec.get("families") or {}
        family = rng.pick_weighted(families) if families else None
        tags = self.hashtags(rng, acc, family)
        caption, terse = self.caption(rng, acc, family, tags)
        hard = terse or rng.chance(self.spec.get("hard", 0.0))
        draft = Draft(
            user=acc.handle,
            time=when,
            persona=self.name,
            label=0,
            caption=caption,
            hashtags=tags,
            meta={"kind": self.name, "family": family, "hard": hard},
        )
        return draft


class Population:
    """All persona accounts and their posts, inside and outside the window."""

    def __init__(
        self,
        seed: int,
        vocab: Vocabulary,
        filler: Filler,
        contacts: ContactWriter,
        tags: TagWriter,
        crowd: Crowd,
        namer: Namer,
        timeline: Timeline,
        comments: CommentWriter,
        quote: Callable[[Rand], str] | None = None,
    ):
        self.seed = seed
        self.timeline, self.comments = timeline, comments
        self.make = lambda name, spec: PersonaWriter(
            name, spec, vocab, filler, contacts, tags, crowd, namer, quote
        )

    def posts(self, name: str, spec: dict, n_inside: int) -> tuple[list[Account], list[Draft]]:
        rng = Rand(self.seed, f"persona/{name}")
        writer = self.make(name, spec)
        accounts, drafts = [], []
        for acc, n in writer.accounts(rng, n_inside):
            accounts.append(acc)
            times = [self.timeline.inside(rng) for _ in range(n)]
            times += self.timeline.outside_times(rng, n)
            for t in times:
                d = writer.post(rng, acc, t)
                self.comments.chatter(rng, d, spec.get("comments", ["reaction"]))
                drafts.append(d)
        return accounts, drafts
