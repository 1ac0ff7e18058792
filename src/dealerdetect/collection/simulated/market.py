"""The open market: the rest of the simulated drug market, one segment per lexicon family.

The paper's sphere (dealers.py, personas.py) is what the paper's seeds reach. Beside it, every
family of the study's drug lexicon (config ``drugs``) has its own dealers and its own community
(personal use, harm reduction, recovery), under hashtag neighbourhoods of their own
(``#fentanylplug``, ``#methlife``, ``#dmtvibes`` ...). Dealers' menus span families, mostly
within a drug class (an opioid dealer also lists other opioids, now and then a stimulant).

How the segments meet the paper's sphere, and why the paper's seeds still reach the paper's
corpus: open-market posts never carry a hashtag of the paper's sphere that the lexicon matches,
nor a paper seed; they share only generic tags (#plug, #forsale, #instagood) that discovery does
not follow. The paper's sphere reaches into the open market through *bridges*: some of its posts
that carry no paper seed also carry an open-market tag of their own drug. Default discovery
follows only tags that co-occur with the seeds in loop 1, so it never follows a bridge, while
seeds such as ``#fentanyl`` (loop 1 reaches the bridged posts) do.

Sizes are per family (world.yaml: open_market) and scale with ``scale``; the class of a family
(``group`` in the lexicon) decides which other families share its dealers' menus. A family the
lexicon adds that the world has no words for gets menus and captions from its own terms.
"""

from __future__ import annotations

from datetime import timedelta

from ...drugs import Lexicon
from .comments import CommentWriter
from .data import Family, Vocabulary, load
from .dealers import APPS, AdWriter
from .model import Account, DealerProfile, Draft, Timeline
from .personas import PersonaWriter
from .rand import Rand, heavy_tailed_counts, scaled, weighted_sample
from .text import unique

# Compounds that make a family's hashtags: dealers', and their community's.
DEALER_SUFFIXES = ("plug", "forsale", "shop", "connect")
PEOPLE_SUFFIXES = ("life", "gang", "talk")
UNITS = {
    "opioid": ("30mg", "pills", "10/325", "80mg", "patches"),
    "benzodiazepine": ("2mg", "1mg bars", "10mg"),
    "stimulant": ("1g", "3.5g", "30mg", "8ball"),
    "psychedelic": ("tabs", "1/8", "1g", "sheets"),
    "dissociative": ("1g", "crystal 5g"),
    "empathogen": ("pills", "caps", "crystal 1g"),
    "cannabis": ("carts 1g", "wax 1g", "edibles 500mg", "1oz"),
}


def popular(rng: Rand, pool: list[str], k: int) -> list[str]:
    """``k`` distinct tags of ``pool``, the earlier ones more often (Zipf-like, as hashtag
    popularity is)."""
    return weighted_sample(rng, pool, [1.0 / (i + 1) for i in range(len(pool))], min(k, len(pool)))


def paper_vocabulary(vocab: Vocabulary) -> set[str]:
    """Every hashtag the paper's sphere may use (hashtags.yaml, families and groups)."""
    tags: set[str] = set()
    for f in vocab.families.values():
        tags.update((*f.table2, *f.anchors, *f.codewords, *f.part("seed")))
    for group in vocab.groups.values():
        tags.update(group)
    for group in vocab.products.values():
        tags.update(group)
    return {t.lower() for t in tags}


class OpenMarket:
    """Builds the open market's accounts and posts, and bridges the paper's sphere into it."""

    def __init__(
        self,
        seed: int,
        scale: float,
        lexicon: Lexicon,
        timeline: Timeline,
        vocab: Vocabulary,
        writer: AdWriter,
        comments: CommentWriter,
        namer,
        persona_parts: tuple,
    ):
        self.seed, self.scale, self.lexicon = seed, scale, lexicon
        self.timeline, self.comments, self.namer = timeline, comments, namer
        self.cfg = load("world")["open_market"]
        self.base_vocab = vocab
        taken = paper_vocabulary(vocab)
        self.generic = {
            g: [t for t in vocab.groups[g] if lexicon.family_of(t) is None]
            for g in ("plug", "sale", "sphere_generic", "harm", "recovery", "rave")
        }
        self.vocab = self._extended_vocabulary(vocab)
        self.writer = AdWriter(self.vocab, writer.filler, writer.contacts, writer.tags)
        self.dealer_tags: dict[str, list[str]] = {}
        self.people_tags: dict[str, list[str]] = {}
        for fam in lexicon.families:
            self.dealer_tags[fam.key] = self._tags(fam.key, DEALER_SUFFIXES, taken, plain=True)
            self.people_tags[fam.key] = self._tags(fam.key, PEOPLE_SUFFIXES, taken, plain=False)
        self.persona_parts = persona_parts  # (filler, contacts, tagwriter, crowd)

    # -- vocabulary ---------------------------------------------------------------------------
    def _extended_vocabulary(self, vocab: Vocabulary) -> Vocabulary:
        """The world's vocabulary plus one family ``open/<key>`` per lexicon family."""
        ext = Vocabulary()
        ext.families = dict(vocab.families)
        aliases = load("hashtags").get("lexicon_aliases", {})
        for fam in self.lexicon.families:
            known = vocab.families.get(aliases.get(fam.key, fam.key))
            if known is not None:
                words, menu, formal = known.words, known.menu, known.formal
            else:
                words = fam.terms[:6]
                units = UNITS.get(fam.group, ("1g", "pills"))
                menu = tuple(f"{t} {u}" for t in fam.terms[:4] for u in units[:2])
                formal = (fam.name,)
            ext.families[f"open/{fam.key}"] = Family(
                name=f"open/{fam.key}",
                table2=(),
                seed=None,
                anchors=(),
                codewords=(),
                words=tuple(words),
                menu=tuple(menu),
                formal=tuple(formal),
            )
        return ext

    def _tags(self, key: str, suffixes, taken: set[str], plain: bool) -> list[str]:
        """A family's own hashtags: its terms (when the paper's sphere does not use them) and
        term+suffix compounds, each one the lexicon assigns to this family."""
        fam = self.lexicon[key]
        stems = list(fam.terms[:3])
        # Most popular first (weights fall with the position): compounds of the proper name,
        # then of the other terms, then the bare terms.
        cands = [s + x for s in stems for x in suffixes] + (list(fam.terms[:4]) if plain else [])
        return [
            t
            for t in unique(cands)
            if t not in taken and t.isalnum() and self.lexicon.family_of(t) == key
        ]

    # -- sizes --------------------------------------------------------------------------------
    def _ads(self, key: str) -> int:
        per = self.cfg["family_ads"]
        return scaled(per.get(key, self.cfg["default_ads"]), self.scale)

    # -- dealers ------------------------------------------------------------------------------
    def _menu_families(self, rng: Rand, key: str) -> list[str]:
        group = self.lexicon[key].group
        same = [f.key for f in self.lexicon.families if f.group == group and f.key != key]
        other = [f.key for f in self.lexicon.families if f.group != group]
        out = [key]
        for f in same:
            if rng.chance(self.cfg["same_class"]):
                out.append(f)
        if other and rng.chance(self.cfg["other_class"]):
            out.append(rng.pick(other))
        return [f for f in out if self.dealer_tags.get(f)]

    def _dealer(self, rng: Rand, key: str) -> Account:
        acc = Account(
            handle=self.namer.handle("dealer"), persona="dealer", identity=self.namer.identity()
        )
        apps = [a for a in APPS if rng.chance(self.cfg["apps"][a])]
        extras = [k for k, p in (("phone", 0.16), ("email", 0.1), ("bio", 0.35)) if rng.chance(p)]
        if not apps and not extras:
            extras = ["bio"]
        styles = load("dealers")["styles"]
        prof = DealerProfile(
            drugs=[],
            others=[f"open/{f}" for f in self._menu_families(rng, key)],
            apps=apps,
            extras=extras,
            style=rng.pick_weighted(styles),
            affinity={},
        )
        acc.dealer = prof
        for _ in range(rng.choice((1, 1, 2))):
            wording = self.writer.wording(rng, prof.style)
            prof.base_ads.append({**wording, "menu": self.writer.menu(rng, prof)})
        return acc

    def _ad_tags(self, rng: Rand, prof: DealerProfile) -> list[str]:
        tags: list[str] = []
        for i, ofam in enumerate(prof.others):
            pool = self.dealer_tags[ofam.removeprefix("open/")]
            if i == 0:
                tags += popular(rng, pool, rng.randint(1, 3))
            elif rng.chance(0.6):
                tags += popular(rng, pool, rng.randint(1, 2))
        for group, hi in (("plug", 2), ("sale", 3), ("sphere_generic", 3)):
            pool = self.generic[group]
            tags += rng.sample(pool, min(len(pool), rng.randint(0, hi)))
        tags = unique(tags)[:30]
        rng.shuffle(tags)
        return tags

    def _ad(self, rng: Rand, dealer: Account, when) -> Draft:
        prof = dealer.dealer
        image = rng.chance(self.cfg["image_only"])
        descriptive = not image and rng.chance(self.cfg["descriptive_only"])
        offer = rng.chance(self.cfg["offer_to_buy"])
        tags = self._ad_tags(rng, prof)
        caption, first = self.writer.caption(rng, dealer, tags, descriptive, image=image)
        style = "image" if image else prof.base_ads[0]["style"]
        families = [f.removeprefix("open/") for f in prof.others]
        draft = Draft(
            user=dealer.handle,
            time=when,
            persona="dealer",
            label=1,
            caption=caption,
            hashtags=tags,
            meta={
                "kind": "drug_ad",
                "market": "open",
                "style": style,
                "drugs": families,
                "others": [],
                "apps": [] if image else list(prof.apps),
                "offer_to_buy": offer,
                "descriptive_only": descriptive,
                "hard": style in ("terse", "disguised", "image"),
            },
        )
        if first:
            draft.comments.append((dealer.handle, when + timedelta(minutes=1), first))
            draft.meta["hashtags_in"] = "first_comment"
        if offer:
            self.comments.offer_to_buy(rng, draft, load("dealers")["poster_replies"])
        self.comments.chatter(rng, draft, ["reaction", "skeptic"])
        return draft

    # -- people -------------------------------------------------------------------------------
    def _people(self, rng: Rand, key: str, n: int) -> tuple[list[Account], list[Draft]]:
        sphere = load("personas")["sphere"]
        filler, contacts, tagw, crowd = self.persona_parts
        accounts, drafts = [], []
        mix = self.cfg["community"]
        for name, share in mix.items():
            k = round(n * share)
            spec = {**sphere[name], "families": {f"open/{key}": 1}, "anchor": None, "tags": []}
            writer = PersonaWriter(
                name, spec, self.vocab, filler, contacts, tagw, crowd, self.namer
            )
            extra = {"harm_reduction": "harm", "recovery": "recovery"}.get(name, "rave")
            for acc, c in writer.accounts(rng, k):
                accounts.append(acc)
                times = [self.timeline.inside(rng) for _ in range(c)]
                times += self.timeline.outside_times(rng, c)
                for t in times:
                    tags = popular(rng, self.people_tags[key], rng.randint(1, 2))
                    for group, hi in (("sphere_generic", 4), (extra, 2)):
                        g = self.generic[group]
                        tags += rng.sample(g, min(len(g), rng.randint(0, hi)))
                    tags = unique(tags)
                    rng.shuffle(tags)
                    caption, terse = writer.caption(rng, acc, f"open/{key}", tags)
                    d = Draft(
                        user=acc.handle,
                        time=t,
                        persona=name,
                        label=0,
                        caption=caption,
                        hashtags=tags,
                        meta={
                            "kind": name,
                            "market": "open",
                            "family": key,
                            "hard": terse or rng.chance(spec.get("hard", 0.0)),
                        },
                    )
                    self.comments.chatter(rng, d, spec.get("comments", ["reaction"]))
                    drafts.append(d)
        return accounts, drafts

    # -- the market ---------------------------------------------------------------------------
    def build(self) -> tuple[list[Account], list[Draft]]:
        """Every family's dealers (with their ads) and community posts, in lexicon order."""
        accounts: list[Account] = []
        drafts: list[Draft] = []
        for fam in self.lexicon.families:
            if not self.dealer_tags[fam.key] or not self.people_tags[fam.key]:
                continue
            rng = Rand(self.seed, f"open/{fam.key}")
            n_ads = self._ads(fam.key)
            if n_ads <= 0:
                continue
            n_dealers = max(1, round(n_ads / self.cfg["ads_per_dealer"]))
            counts = heavy_tailed_counts(rng, n_dealers, n_ads, 1.0)
            for n_in in counts:
                dealer = self._dealer(rng, fam.key)
                accounts.append(dealer)
                times = [self.timeline.inside(rng) for _ in range(n_in)]
                times += self.timeline.outside_times(rng, max(n_in, 1))
                drafts += [self._ad(rng, dealer, t) for t in times]
            accs, ds = self._people(rng, fam.key, round(n_ads * self.cfg["people_per_ad"]))
            accounts += accs
            drafts += ds
        return accounts, drafts

    def bridge(self, drafts: list[Draft]) -> int:
        """Add an open-market tag of its own drug to some of the paper sphere's community posts
        (a persona's post about one drug) that carry no paper seed and no lifestyle tag. Default discovery follows
        only loop-1 co-occurrences, which carry a paper seed, so it never follows a bridge.
        Dealers' ads are not bridged: their menus span the paper's families, and a bridge there
        would tie every open segment to every other. Returns how many posts were bridged."""
        rng = Rand(self.seed, "open/bridges")
        # Posts tagged like the public's (#love, #family) are not bridged either: a lifestyle
        # seed would reach dealers through them.
        avoid = set(self.base_vocab.seeds) | set(self.base_vocab.groups["lifestyle"])
        p = self.cfg["bridge"]
        n = 0
        for d in drafts:
            if d.label or not d.meta.get("family") or avoid & set(d.hashtags):
                continue
            if len(d.hashtags) >= 30 or not rng.chance(p):
                continue
            fams = [
                f for f in sorted(self.lexicon.families_of(d.hashtags)) if f in self.people_tags
            ]
            if not fams:
                continue
            fam = rng.pick(fams)
            tag = rng.pick(self.people_tags[fam] + self.dealer_tags[fam])
            shown = f" #{tag}"
            if d.meta.get("hashtags_in") == "first_comment":
                u, t, text = d.comments[0]
                d.comments[0] = (u, t, text + shown)
            else:
                d.caption += shown
            d.hashtags = [*d.hashtags, tag]
            n += 1
        return n
