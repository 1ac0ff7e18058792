"""Drug dealers of the simulated Instagram: who they are, what they sell, how they advertise.

The market is calibrated to the paper (world.yaml: dealers). At scale 1 it holds 267 dealers
with 1,228 ads inside the window; which drugs and messaging apps each dealer advertises is
allocated per *dealer* (a dealer names the same apps in every ad) so that the share of ads per
drug and per app comes out as reported, and the Table-2 hashtags are allocated per *ad*,
weighted by each dealer's taste for them, so that each hashtag's share does too. Dealers
advertising MDMA are "party plugs" who do not also advertise Xanax (the paper's shares allow it:
87.78% + 7.65% < 100%), which keeps an MDMA-seeded discovery away from the big Xanax feeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .comments import CommentWriter
from .data import Vocabulary, load
from .model import Account, DealerProfile, Draft, Timeline
from .rand import Rand, apportion, heavy_tailed_counts, scaled, subset_with_weight, weighted_sample
from .text import ContactWriter, Filler, Namer, TagWriter, price, unique

APPS = ("wickr", "telegram", "kik", "whatsapp")
# Further drugs on a dealer's menu: (family, probability for a pill dealer, for a party plug).
OTHER_FAMILIES = (
    ("percocet", 0.45, 0.0),
    ("hydrocodone", 0.09, 0.0),
    ("adderall", 0.12, 0.55),
    ("lean", 0.12, 0.05),
    ("coke", 0.05, 0.35),
    ("ketamine", 0.01, 0.3),
    ("shrooms", 0.02, 0.35),
    ("fentanyl", 0.03, 0.0),
    ("tramadol", 0.04, 0.0),
)
# Share of ads whose text is pasted unchanged from the dealer's previous ad.
REPOST_VERBATIM = 0.15


def share_ring_contacts(dealers: list[Account], rate: float, rng: Rand) -> int:
    """Ring members who also give the ring's contact details: each member after a ring's first
    takes the first member's identity (its app handle, phone number and e-mail) with
    probability ``rate`` (world.yaml: dealers.ring_contact_share), as one seller running
    several accounts does. Returns how many took it. Its own random stream, so the rest of the
    world is drawn as before."""
    first: dict[int, Account] = {}
    shared = 0
    for d in dealers:
        ring = d.dealer.ring
        if ring is None:
            continue
        if ring not in first:
            first[ring] = d
        elif rng.chance(rate):
            d.identity = first[ring].identity
            shared += 1
    return shared


# How readily a dealer adds a family's seed hashtag (times the dealer's taste for it).
SEED_RATE = {"xanax": 0.15, "percocet": 0.2, "adderall": 0.25, "hydrocodone": 0.06}


@dataclass
class Ad:
    """One planned ad: whose, and the Table-2 hashtags allocated to it."""

    dealer: Account
    table2: list[str]
    image: bool = False  # the contact and menu are in the picture; the caption has neither


class AdWriter:
    """Writes a dealer's ad from the dealer's base ads, with small variations per post."""

    def __init__(self, vocab: Vocabulary, filler: Filler, contacts: ContactWriter, tags: TagWriter):
        self.vocab = vocab
        self.filler = filler
        self.contacts = contacts
        self.tags = tags
        self.d = load("dealers")
        self.lex = load("lexicon")

    # -- base ads (built once per dealer or ring) -------------------------------------------
    def wording(self, rng: Rand, style: str) -> dict:
        """The words an ad is built from; dealers of a ring share them."""
        d, lex = self.d, self.lex
        return {
            "style": style,
            "opener": rng.pick(d["openers"]),
            "header": rng.pick(d["menu_headers"]),
            "sale": rng.sample(lex["sale"], 3),
            "payment": rng.pick(lex["payment"]) if rng.chance(0.45) else "",
            "closer": rng.pick(d["closers"]),
            "pharmacy": rng.pick(d["pharmacy"]),
            "terse": rng.pick(d["terse"]),
            "disguised": rng.pick(d["disguised"]),
            "foreign": rng.sample(lex["foreign"], 2),
            "foreign_opener": rng.pick(d["foreign_openers"]),
            "join": rng.pick(("\n", "\n", " ", " | ", ". ")),
        }

    def menu(self, rng: Rand, profile: DealerProfile) -> list[str]:
        items = []
        for fam in profile.families:
            f = self.vocab.families[fam]
            for item in rng.sample(f.menu, min(len(f.menu), rng.randint(1, 2))):
                items.append(f"{item} - {price(self.filler, rng)}" if rng.chance(0.7) else item)
        rng.shuffle(items)
        return items[:6]

    # -- one ad ------------------------------------------------------------------------------
    def contact_lines(self, rng: Rand, dealer: Account) -> list[str]:
        prof = dealer.dealer
        kinds = list(prof.apps) + [k for k in prof.extras if rng.chance(0.55)]
        if not kinds:
            kinds = prof.extras[:1] or ["bio"]
        rng.shuffle(kinds)
        return [self.contacts.line(rng, k, dealer.identity) for k in kinds]

    def body(self, rng: Rand, dealer: Account, style: str | None = None) -> str:
        prof = dealer.dealer
        base = rng.pick(prof.base_ads)
        style = style or base["style"]
        menu = [m for m in base["menu"] if rng.chance(0.85)] or base["menu"][:1]
        sale = [s for s in base["sale"] if rng.chance(0.6)]
        contact = self.contact_lines(rng, dealer)
        emo = lambda: rng.pick(self.lex["emoji"]["sale"])  # noqa: E731
        fam = self.vocab.families[rng.pick(prof.families)]
        if style == "full":
            parts = [
                f"{base['opener']} {emo()}",
                base["header"],
                *menu,
                *sale,
                base["payment"],
                *contact,
                self.filler.fill(rng, base["closer"], {"sale_emoji": emo}),
            ]
        elif style == "menu":
            parts = [f"{base['header']} {emo()}", *menu, *contact]
        elif style == "pharmacy":
            lead = base["pharmacy"].replace("{drug_formal}", rng.pick(fam.formal))
            parts = [lead, *sale[:2], "We offer: " + ", ".join(menu[:4]), *contact, base["payment"]]
        elif style == "terse":
            parts = [f"{base['terse']} {emo()}", *contact]
        elif style == "disguised":
            parts = [f"{base['disguised']}", *(sale[:1] if rng.chance(0.4) else []), *contact]
        else:  # foreign
            parts = [base["foreign_opener"] + " " + emo(), *base["foreign"], *menu[:3], *contact]
        return base["join"].join(p for p in parts if p)

    def caption(
        self, rng: Rand, dealer: Account, tags: list[str], descriptive: bool, image: bool = False
    ) -> tuple[str, str]:
        """(caption, first comment): a descriptive-only ad keeps its hashtags in the comment;
        an image ad's caption is a line like a dealer's flex post (the picture sells)."""
        prof = dealer.dealer
        if image:
            lines = self.d["image_only"] if rng.chance(0.5) else self.d["flex"]
            body = f"{rng.pick(lines)} {rng.pick(self.lex['emoji']['sale'])}"
        elif prof.last_body and rng.chance(REPOST_VERBATIM):
            body = prof.last_body  # copy-paste of the previous ad; only the hashtags change
        else:
            body = prof.last_body = self.body(rng, dealer)
        if descriptive:
            lead = rng.pick(self.d["first_comment_lead"])
            return body, self.tags.caption(rng, lead, tags, layout="end")
        return self.tags.caption(rng, body, tags), ""


class DealerMarket:
    """Creates the dealers, plans their ads to match the calibration, and writes them."""

    def __init__(
        self,
        seed: int,
        scale: float,
        timeline: Timeline,
        namer: Namer,
        vocab: Vocabulary,
        writer: AdWriter,
        comments: CommentWriter,
    ):
        self.rng = Rand(seed, "dealers")
        self.ring_rng = Rand(seed, "ring_contacts")
        self.timeline, self.namer, self.vocab = timeline, namer, vocab
        self.writer, self.comments = writer, comments
        self.cfg = load("world")["dealers"]
        self.n_active = scaled(self.cfg["active_users"], scale, 1)
        self.n_ads = max(self.n_active, scaled(self.cfg["ad_posts"], scale, 1))
        self.n_dormant = scaled(self.cfg["dormant_users"], scale)
        self.factor = self.n_ads / self.cfg["ad_posts"]
        self.groups = vocab.groups
        self.styles: dict[str, float] = load("dealers")["styles"]

    def quota(self, n: float) -> int:
        return scaled(n, self.factor)

    # -- accounts ---------------------------------------------------------------------------
    def _account(self) -> Account:
        return Account(
            handle=self.namer.handle("dealer"), persona="dealer", identity=self.namer.identity()
        )

    def _allocate(
        self, dealers: list[Account], ads: dict[str, int], text_ads: dict[str, int]
    ) -> dict[str, set[str]]:
        """Which dealers advertise which Table-2 drug (counted over all their ads) and which
        app (counted over the ads whose caption carries the contact), with exact ad counts."""
        rng, w = self.rng, ads.__getitem__
        handles = [d.handle for d in dealers]
        q = {k: self.quota(v) for k, v in self.cfg["drugs"].items()}
        out: dict[str, set[str]] = {}
        # Dealers without Xanax are picked first, among the smaller accounts, so that the
        # party plugs (MDMA) can be found among them with the exact ad count.
        small = [h for h in handles if ads[h] <= 4]
        no_xanax_set = set(
            subset_with_weight(rng, handles, w, sum(ads.values()) - q["xanax"], small)
        )
        no_xanax = [h for h in handles if h in no_xanax_set]
        out["xanax"] = set(handles) - no_xanax_set
        out["mdma"] = set(subset_with_weight(rng, no_xanax, w, q["mdma"]))
        party = [h for h in no_xanax if h in out["mdma"] and rng.chance(0.8)]  # list: fixed order
        out["lsd"] = set(subset_with_weight(rng, handles, w, q["lsd"], first=party))
        pill = [h for h in handles if h not in out["mdma"]]
        out["oxycodone"] = set(subset_with_weight(rng, pill, w, q["oxycodone"]))
        for app, n in self.cfg["apps"].items():
            out[app] = set(subset_with_weight(rng, handles, text_ads.__getitem__, self.quota(n)))
        return out

    def _profile(self, rng: Rand, drugs: list[str], apps: list[str]) -> DealerProfile:
        party = "mdma" in drugs
        others = [
            f for f, p_pill, p_party in OTHER_FAMILIES if rng.chance(p_party if party else p_pill)
        ]
        if not drugs and not others:
            others = [rng.pick(("percocet", "percocet", "hydrocodone", "adderall", "lean"))]
        extras = [
            k
            for k, p in (("phone", 0.16), ("email", 0.1), ("bio", 0.35), ("snapchat", 0.05))
            if rng.chance(p)
        ]
        if not apps and not extras:
            extras = [rng.pick(("bio", "bio", "phone", "email"))]
        style = rng.pick_weighted(self.styles)
        if style == "pharmacy" and "email" not in extras and rng.chance(0.5):
            extras.append("email")
        affinity = {}
        for fam in drugs + others:
            f = self.vocab.families[fam]
            for t in (*f.table2, *f.anchors, *f.codewords):
                affinity[t] = rng.lognormvariate(0, 1.3)
        for t in (*self.groups["plug"], *self.groups["sale"], *self.groups["sphere_generic"]):
            affinity[t] = rng.lognormvariate(0, 1.3)
        return DealerProfile(
            drugs=drugs, others=others, apps=apps, extras=extras, style=style, affinity=affinity
        )

    def _base_ads(self, rng: Rand, dealers: list[Account]) -> None:
        """One to three base ads per dealer; ring members copy a shared wording."""
        w = self.writer
        rings: list[list[dict]] = []
        for d in dealers:
            prof = d.dealer
            if rings and rng.chance(self.cfg["ring_share"]) and rng.chance(0.6):
                prof.ring = rng.randrange(len(rings))
                wordings = rings[prof.ring]
            else:
                wordings = [w.wording(rng, prof.style) for _ in range(rng.choice((1, 1, 2, 3)))]
                if rng.chance(self.cfg["ring_share"]):
                    rings.append(wordings)
                    prof.ring = len(rings) - 1
            for wording in wordings:
                style = wording["style"] if rng.chance(0.85) else rng.pick_weighted(self.styles)
                prof.base_ads.append({**wording, "style": style, "menu": w.menu(rng, prof)})

    def accounts(self) -> list[Account]:
        """The active dealers (with their in-window ad counts) and the dormant ones."""
        rng = self.rng
        active = [self._account() for _ in range(self.n_active)]
        counts = heavy_tailed_counts(
            rng, self.n_active, self.n_ads, self.cfg["posts_per_user_sigma"]
        )
        self.ads_of = {a.handle: n for a, n in zip(active, counts, strict=True)}
        # Ads whose menu and contact are only in the picture, chosen uniformly among all ads.
        slots = [a.handle for a in active for _ in range(self.ads_of[a.handle])]
        picked = weighted_sample(rng, slots, [1.0] * len(slots), self.quota(self.cfg["image_only"]))
        self.image_ads = {h: 0 for h in self.ads_of}
        for h in picked:
            self.image_ads[h] += 1
        text_ads = {h: n - self.image_ads[h] for h, n in self.ads_of.items()}
        alloc = self._allocate(active, self.ads_of, text_ads)
        for a in active:
            drugs = [d for d in ("xanax", "oxycodone", "lsd", "mdma") if a.handle in alloc[d]]
            apps = [p for p in APPS if a.handle in alloc[p]]
            a.dealer = self._profile(rng, drugs, apps)
        dormant = [self._account() for _ in range(self.n_dormant)]
        for a in dormant:
            drugs = [
                d for d, p in (("xanax", 0.85), ("oxycodone", 0.25), ("lsd", 0.1)) if rng.chance(p)
            ]
            apps = [
                p
                for p, share in self.cfg["apps"].items()
                if rng.chance(share / self.cfg["ad_posts"])
            ]
            a.dealer = self._profile(rng, drugs, apps)
            self.ads_of[a.handle] = 0
        self._base_ads(rng, active + dormant)
        share_ring_contacts(active + dormant, self.cfg["ring_contact_share"], self.ring_rng)
        self.active, self.dormant = active, dormant
        return active + dormant

    # -- hashtags -----------------------------------------------------------------------------
    def _allocate_table2(self, ads: list[Ad]) -> None:
        """Give each in-window ad its Table-2 hashtags so every hashtag's count is exact."""
        rng = self.rng
        for drug, tag_counts in self.cfg["table2"].items():
            posts = [a for a in ads if drug in a.dealer.dealer.drugs]
            if not posts:
                continue
            tags = sorted(tag_counts, key=lambda t: -tag_counts[t])
            quota = {t: min(len(posts), self.quota(tag_counts[t])) for t in tags}
            anchors = apportion(len(posts), [quota[t] for t in tags])
            free = list(posts)
            for t, k in zip(tags, anchors, strict=True):  # every ad gets one of the drug's tags
                k = min(k, quota[t], len(free))
                picked = weighted_sample(rng, free, [a.dealer.dealer.affinity[t] for a in free], k)
                ids = {id(a) for a in picked}
                for a in picked:
                    a.table2.append(t)
                free = [a for a in free if id(a) not in ids]
            for a in free:  # rounding leftovers
                a.table2.append(tags[0])
            for t in tags:  # then the rest of each hashtag's count
                lacking = [a for a in posts if t not in a.table2]
                need = quota[t] - (len(posts) - len(lacking))
                picked = weighted_sample(
                    rng, lacking, [a.dealer.dealer.affinity[t] for a in lacking], need
                )
                for a in picked:
                    a.table2.append(t)

    def _table2_free(self, rng: Rand, prof: DealerProfile) -> list[str]:
        """Table-2 hashtags of an ad outside the window (not calibrated)."""
        out = []
        for drug in prof.drugs:
            f = self.vocab.families[drug]
            k = rng.randint(1, min(3, len(f.table2)))
            out += weighted_sample(rng, list(f.table2), [prof.affinity[t] for t in f.table2], k)
        return out

    def _extra_tags(self, rng: Rand, prof: DealerProfile) -> list[str]:
        """The rest of an ad's hashtags: seeds, codewords, plug, sale and generic tags."""
        out: list[str] = []
        for i, fam in enumerate(prof.families):
            f = self.vocab.families[fam]
            if f.seed and rng.chance(prof.affinity[f.seed] * SEED_RATE.get(fam, 0.1)):
                out.append(f.seed)
            # A dealer without Table-2 drugs still tags at least one anchor (a reachable tag).
            least = 1 if i == 0 and not prof.drugs else 0
            for pool, hi in (
                ([t for t in f.anchors if t not in f.table2 and t != f.seed], 2),
                (list(f.codewords), 2),
            ):
                k = min(len(pool), rng.randint(least, hi))
                out += weighted_sample(rng, pool, [prof.affinity[t] for t in pool], k)
                least = 0
        party = "mdma" in prof.drugs
        for group, hi in (("plug", 2), ("sale", 3), ("sphere_generic", 3)):
            pool = list(self.groups[group])
            if group == "plug":  # party plugs say so; pill dealers never do
                pool = ["partyplug"] if party else [t for t in pool if t != "partyplug"]
            k = rng.randint(0, hi)
            out += weighted_sample(rng, pool, [prof.affinity[t] for t in pool], k)
        return out

    def _tags(self, rng: Rand, prof: DealerProfile, table2: list[str]) -> list[str]:
        """Table-2 tags plus extras, shuffled; Instagram's limit of 30 never drops a Table-2 tag."""
        extras = [t for t in unique(self._extra_tags(rng, prof)) if t not in table2]
        tags = unique(table2) + extras[: max(0, 30 - len(table2))]
        rng.shuffle(tags)
        return tags

    # -- posts --------------------------------------------------------------------------------
    def _ad_draft(self, rng: Rand, ad: Ad, t: datetime, descriptive: bool, offer: bool) -> Draft:
        d, prof = ad.dealer, ad.dealer.dealer
        base_style = prof.base_ads[0]["style"]
        tags = self._tags(rng, prof, ad.table2)
        caption, first = self.writer.caption(rng, d, tags, descriptive, image=ad.image)
        style = "image" if ad.image else base_style
        draft = Draft(
            user=d.handle,
            time=t,
            persona="dealer",
            label=1,
            caption=caption,
            meta={
                "kind": "drug_ad",
                "style": style,
                "drugs": list(prof.drugs),
                "others": list(prof.others),
                "apps": [] if ad.image else list(prof.apps),
                "offer_to_buy": offer,
                "descriptive_only": descriptive,
                "hard": style in ("terse", "disguised", "image"),
            },
        )
        if first:
            draft.comments.append((d.handle, t + timedelta(minutes=1), first))
            draft.meta["hashtags_in"] = "first_comment"
        draft.hashtags = tags
        if offer:
            self.comments.offer_to_buy(rng, draft, load("dealers")["poster_replies"])
        self.comments.chatter(rng, draft, ["reaction", "skeptic"])
        return draft

    def ads(self) -> list[Draft]:
        """All ads: the calibrated in-window ones, then those before and after the window."""
        rng = self.rng
        inside = [
            Ad(a, [], image=i < self.image_ads[a.handle])
            for a in self.active
            for i in range(self.ads_of[a.handle])
        ]
        self._allocate_table2(inside)
        n = len(inside)
        texts = [a for a in inside if not a.image]
        n_desc = min(len(texts), self.quota(self.cfg["descriptive_only"]))
        descriptive = {id(a) for a in rng.sample(texts, n_desc)}
        offers = {id(a) for a in rng.sample(inside, min(n, self.quota(self.cfg["offer_to_buy"])))}
        drafts = [
            self._ad_draft(rng, a, self.timeline.inside(rng), id(a) in descriptive, id(a) in offers)
            for a in inside
        ]
        p_desc = self.cfg["descriptive_only"] / self.cfg["ad_posts"]
        p_offer = self.cfg["offer_to_buy"] / self.cfg["ad_posts"]
        p_image = self.cfg["image_only"] / self.cfg["ad_posts"]
        for a in self.active + self.dormant:
            n_in = self.ads_of[a.handle] or rng.lognormvariate(1.0, 0.8)
            for t in self.timeline.outside_times(rng, n_in):
                ad = Ad(a, self._table2_free(rng, a.dealer), image=rng.chance(p_image))
                drafts.append(self._ad_draft(rng, ad, t, rng.chance(p_desc), rng.chance(p_offer)))
        return drafts

    def quote(self, rng: Rand) -> str:
        """The text of some dealer's ad, as a warning post would copy it."""
        return self.writer.body(rng, rng.pick(self.active))

    def flex(self, n: int) -> list[Draft]:
        """Dealers' own posts without contact or offer (label 0): lifestyle and bragging."""
        rng = self.rng
        lines = load("dealers")["flex"]
        emoji = load("lexicon")["emoji"]["sale"]
        weights = [self.ads_of[a.handle] for a in self.active]
        out = []
        for _ in range(n):
            d = rng.choices(self.active, weights=weights)[0]
            prof = d.dealer
            tags = self._tags(rng, prof, self._table2_free(rng, prof))
            body = f"{rng.pick(lines)} {rng.pick(emoji)}"
            draft = Draft(
                user=d.handle,
                time=self.timeline.inside(rng),
                persona="dealer_flex",
                label=0,
                caption=self.writer.tags.caption(rng, body, tags),
                hashtags=tags,
                meta={"kind": "dealer_flex", "drugs": list(prof.drugs), "hard": rng.chance(0.3)},
            )
            self.comments.chatter(rng, draft, ["reaction"])
            out.append(draft)
        return out
