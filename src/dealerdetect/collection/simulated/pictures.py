"""Pictures of the simulated Instagram: which posts have one, what it shows, and drawing it.

Li et al. (2019), Results, "Manual Image Annotation of Drug Dealer Posts": of the 1,228 dealer
posts, 260 had a picture; 175 showed prescription-controlled substances only, 60 illicit drugs
only, 15 both, 5 suspected drugs the coders could not classify, and the rest (here 5) no drug;
60 pictures carried typed or written contact details (Figure 5). :class:`PictureAssigner`
decides at world build which posts have a picture and stores it in ``SimPost.meta``:

- ``picture`` (bool), ``image_category`` (list of ``prescription``, ``illicit``,
  ``unclassifiable``, ``unrelated``; "both" lists prescription and illicit), ``image_contact``
  (bool: the picture shows contact details);
- ``picture_kind`` (pictures.yaml ``kinds``), ``picture_drugs`` (the families drawn) and, when
  ``image_contact``, ``picture_contact`` (the lines drawn: the dealer's own apps, handle,
  phone and e-mail, written as the captions write them).

Among the in-window dealer ads of the paper's sphere the counts are exact (world.yaml:
``dealers.pictures``, scaled like the other shares): every image ad (menu and contact only in the
picture) has one, and the contact pictures are image ads first. The category follows the
dealer's drugs. Other dealer ads (outside the window, the open market) get a picture with the
same shares as probabilities; other posts by persona (pictures.yaml ``personas``): pharmacy and
pain-patient posts with pill bottles and pharmacy text, recovery posts with pills and a clean-time
count, memes and flyers with text, text-free photos for lifestyle posts.

A share of a seller's pictured ads (world.yaml ``dealers.pictures.repost``) shows a picture
the seller posted before (``picture_of``: the original's id), saved again by
:func:`picture_jpeg` at another quality and size.

Everything draws from streams of its own (``Rand(seed, "pictures")`` for the calibrated
allocation, one per post id otherwise), so the rest of the world is exactly as without pictures.
:func:`render_picture` draws a 320x320 picture from (seed, post) alone with Pillow, using only the
DejaVu fonts shipped with matplotlib; :func:`picture_lines` are the strings it draws;
:func:`picture_jpeg` encodes it (JPEG quality 35-90, chosen per post).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from .model import Account, SimPost
from .rand import Rand, apportion, scaled
from .text import ContactWriter

CATEGORIES = ("prescription", "illicit", "unclassifiable", "unrelated")
# The paper's five groups of dealer pictures; "both" is prescription and illicit.
GROUPS = ("prescription", "illicit", "both", "unclassifiable", "unrelated")
GROUP_CATEGORIES = {
    "prescription": ["prescription"],
    "illicit": ["illicit"],
    "both": ["prescription", "illicit"],
    "unclassifiable": ["unclassifiable"],
    "unrelated": ["unrelated"],
}
FONT_DIR = Path("fonts") / "ttf"
TYPED_FONTS = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold.ttf",
)
HAND_FONTS = (
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
    "DejaVuSerif-Italic.ttf",
    "DejaVuSerif-BoldItalic.ttf",
    "DejaVuSansMono-Oblique.ttf",
)
# Characters a picture may show: emoji of the captions' contact formats are left out (the
# DejaVu fonts have none); an arrow becomes a colon.
_REPLACE = {"➡": ":", "»": ":", "\ufe0f": ""}


@cache
def spec() -> dict:
    text = resources.files(__package__).joinpath("pictures.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / FONT_DIR


@cache
def _font(name: str, size: int):
    from PIL import ImageFont

    if not name.startswith("DejaVu"):
        raise ValueError(f"simulated pictures use the DejaVu fonts only, not {name}")
    return ImageFont.truetype(str(font_dir() / name), size)


def fonts_used() -> tuple[str, ...]:
    """Every font file the renderer may open (tests check none is STIX or Computer Modern)."""
    return TYPED_FONTS + HAND_FONTS


def drawable(text: str) -> str:
    """``text`` as a picture shows it: emoji and other symbols the fonts lack dropped."""
    out = "".join(_REPLACE.get(c, c) for c in text)
    out = "".join(c for c in out if ord(c) < 0x2500)
    return " ".join(out.split())


def family_class(family: str) -> str | None:
    f = spec()["families"].get(family.removeprefix("open/"))
    return f["class"] if f else None


def _families(post: SimPost) -> list[str]:
    """The drug families behind a post, as pictures know them (dealer ads: the menu)."""
    m = post.meta
    fams = list(m.get("drugs") or []) + list(m.get("others") or [])
    if m.get("family"):
        fams.append(str(m["family"]))
    known = spec()["families"]
    return [f for f in dict.fromkeys(f.removeprefix("open/") for f in fams) if f in known]


def _by_class(fams: Iterable[str]) -> tuple[list[str], list[str]]:
    rx = [f for f in fams if family_class(f) == "prescription"]
    ill = [f for f in fams if family_class(f) == "illicit"]
    return rx, ill


def _capable(post: SimPost, group: str) -> bool:
    rx, ill = _by_class(_families(post))
    if group == "prescription":
        return bool(rx)
    if group == "illicit":
        return bool(ill)
    if group == "both":
        return bool(rx) and bool(ill)
    return True


def _uniform_rng(seed: int, post_id: str, what: str) -> Rand:
    return Rand(seed, f"pictures/{what}/{post_id}")


def _look(post: SimPost) -> tuple:
    """What a picture shows as counted: kind, categories, contact or not."""
    m = post.meta
    return (m.get("picture_kind"), tuple(m.get("image_category") or ()), m.get("image_contact"))


def _sells(account: Account) -> set[str]:
    """The families a dealer account sells (a repost shows only what the account sells)."""
    prof = account.dealer
    return {f.removeprefix("open/") for f in prof.families} if prof is not None else set()


def _contact_kinds(account: Account | None) -> list[str]:
    prof = account.dealer if account is not None else None
    if prof is None:
        return []
    return list(dict.fromkeys(k for k in [*prof.apps, *prof.extras] if k != "bio"))


class PictureAssigner:
    """Decides which posts of a freshly built world have a picture, and of what."""

    def __init__(self, seed: int, scale: float, window, dealers_cfg: dict):
        self.seed, self.scale = seed, scale
        self.start, self.end = window.start.timestamp(), window.end.timestamp()
        self.cfg = dealers_cfg["pictures"]
        self.n_ads_cfg = dealers_cfg["ad_posts"]
        self.n_image_cfg = dealers_cfg["image_only"]
        self.contacts = ContactWriter()

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def _none(post: SimPost) -> None:
        post.meta.update(picture=False, image_category=[], image_contact=False)

    def _set(self, post: SimPost, group: str, kind: str | None = None) -> None:
        rx, ill = _by_class(_families(post))
        drugs = {"prescription": rx, "illicit": ill, "both": rx + ill}.get(group, [])
        if kind is None:
            if post.meta.get("style") == "image":
                kind = "menu"
            else:
                kind = {"unclassifiable": "unclassifiable", "unrelated": "photo"}.get(
                    group, "drugs"
                )
        post.meta.update(
            picture=True,
            image_category=list(GROUP_CATEGORIES[group]),
            image_contact=False,
            picture_kind=kind,
            picture_drugs=drugs,
        )

    def _contact(self, post: SimPost, account: Account | None) -> None:
        rng = _uniform_rng(self.seed, post.id, "contact")
        kinds = _contact_kinds(account)
        who = account.identity if account is not None else None
        if who is None or not kinds:
            return  # a dealer reached only through the bio has no contact detail to draw
        lines = [drawable(self.contacts.line(rng, k, who)) for k in kinds]
        post.meta.update(image_contact=True, picture_contact=lines)
        if post.meta["picture_kind"] != "menu":
            post.meta["picture_kind"] = "menu"  # contact details are written, so a menu card

    def _group_by_chance(self, rng: Rand, post: SimPost, image: bool) -> str:
        shares = dict(self.cfg["categories"])
        if image:  # an image ad's picture always shows a drug (it is the ad)
            shares = {g: shares[g] for g in ("prescription", "illicit", "both")}
        able = {g: w for g, w in shares.items() if _capable(post, g)}
        return rng.pick_weighted(able or {"unclassifiable": 1.0})

    # -- the calibrated ads -------------------------------------------------------------------
    def _calibrated(self, ads: list[SimPost], accounts: dict[str, Account]) -> None:
        rng = Rand(self.seed, "pictures")
        factor = len(ads) / self.n_ads_cfg if self.n_ads_cfg else 1.0
        image = [p for p in ads if p.meta.get("style") == "image"]
        text = [p for p in ads if p.meta.get("style") != "image"]
        n_pic = min(len(ads), max(len(image), scaled(self.cfg["total"], factor)))
        weights = [self.cfg["categories"][g] for g in GROUPS]
        target = dict(zip(GROUPS, apportion(n_pic, weights), strict=True))
        drug_groups = ("both", "illicit", "prescription")  # scarcest first
        img_target = dict(
            zip(drug_groups, apportion(len(image), [target[g] for g in drug_groups]), strict=True)
        )
        group: dict[str, str] = {}
        pool = list(image)
        rng.shuffle(pool)
        for g in drug_groups:
            able = [p for p in pool if p.id not in group and _capable(p, g)]
            for p in able[: img_target[g]]:
                group[p.id] = g
        for p in pool:  # what the shares could not place: the dealer's own class
            if p.id not in group:
                group[p.id] = next((g for g in drug_groups[::-1] if _capable(p, g)), "unrelated")
        done = {g: sum(1 for v in group.values() if v == g) for g in GROUPS}
        left = {g: max(0, target[g] - done[g]) for g in GROUPS}
        room = n_pic - len(image)
        tpool = list(text)
        rng.shuffle(tpool)
        for g in (*drug_groups, "unclassifiable", "unrelated"):
            k = min(left[g], room)
            able = [p for p in tpool if p.id not in group and _capable(p, g)]
            for p in able[:k]:
                group[p.id] = g
            room -= min(k, len(able))
        for p in tpool:  # capability shortfalls: fill with whatever the dealer sells
            if room <= 0:
                break
            if p.id not in group:
                group[p.id] = next((g for g in drug_groups[::-1] if _capable(p, g)), "unrelated")
                room -= 1
        by_id = {p.id: p for p in ads}
        for p in ads:
            if p.id in group:
                self._set(p, group[p.id])
            else:
                self._none(p)
        # Contact details: image ads first, then text ads; only dealers with a contact detail
        # to write (the paper counts pictures "with contact details", not "check my bio").
        n_contact = min(scaled(self.cfg["contact"], factor), n_pic)
        pictured_image = [p for p in pool if p.id in group]
        rest = [p for p in tpool if p.id in group and group[p.id] != "unrelated"]
        able = [p for p in pictured_image + rest if _contact_kinds(accounts.get(p.user))]
        for p in able[:n_contact]:
            self._contact(by_id[p.id], accounts.get(p.user))

    # -- everything else ----------------------------------------------------------------------
    def _by_chance(self, post: SimPost, accounts: dict[str, Account]) -> None:
        rng = _uniform_rng(self.seed, post.id, "assign")
        if post.label == 1 and post.meta.get("kind") == "drug_ad":
            image = post.meta.get("style") == "image"
            n_img, n_ads = self.n_image_cfg, self.n_ads_cfg
            p_text = (self.cfg["total"] - n_img) / max(1, n_ads - n_img)
            if not (image or rng.chance(p_text)):
                return self._none(post)
            self._set(post, self._group_by_chance(rng, post, image))
            if image and rng.chance(self.cfg["contact"] / max(1, n_img)):
                self._contact(post, accounts.get(post.user))
            return None
        personas = spec()["personas"]
        rule = personas.get(post.persona, spec()["default_persona"])
        if not rng.chance(rule["p"]):
            return self._none(post)
        kind = rng.pick_weighted(rule["kinds"])
        fams = _families(post)
        if kind == "drugs" and not fams:
            fams = ["cannabis" if post.persona == "stoner" else "xanax"]
        if kind in ("pharmacy", "recovery"):
            fams = [f for f in fams if family_class(f) == "prescription"] or ["xanax"]
            if kind == "recovery" and rng.chance(0.3):
                fams = []  # the count alone, no pills
        if kind in ("drugs", "pharmacy", "recovery") and fams:
            fam = rng.pick(fams)
            group = family_class(fam) or "unclassifiable"
            post.meta.update(
                picture=True,
                image_category=[group],
                image_contact=False,
                picture_kind=kind,
                picture_drugs=[fam],
            )
            return None
        post.meta.update(
            picture=True,
            image_category=["unrelated"],
            image_contact=False,
            picture_kind=kind if kind != "drugs" else "photo",
            picture_drugs=[],
        )
        return None

    def assign(
        self, sphere: list[SimPost], open_posts: list[SimPost], accounts: dict[str, Account]
    ) -> None:
        ads = [
            p
            for p in sphere
            if p.label == 1
            and p.meta.get("kind") == "drug_ad"
            and self.start <= p.epoch <= self.end
        ]
        self._calibrated(ads, accounts)
        calibrated = {p.id for p in ads}
        for p in [*sphere, *open_posts]:
            if p.id not in calibrated:
                self._by_chance(p, accounts)
        self._reposts([*sphere, *open_posts], accounts, calibrated)

    # -- the same picture again ---------------------------------------------------------------
    def _reposts(
        self, posts: list[SimPost], accounts: dict[str, Account], calibrated: set[str]
    ) -> None:
        """A seller posts an ad's picture again, re-encoded: a share ``repost`` of a seller's
        pictured ads copy an earlier picture of the seller, one of another account first when
        the seller runs several (ring members sharing one identity), else its own. A calibrated
        ad copies only a picture that shows the same (kind, categories, contact), so every
        calibrated count stays as it was; and only drugs the account sells."""
        share = float(self.cfg.get("repost", 0.0))
        if share <= 0:
            return
        sellers: dict[int, list[SimPost]] = {}
        for p in sorted(posts, key=lambda q: (q.epoch, q.id)):
            acc = accounts.get(p.user)
            if acc is None or acc.dealer is None or acc.identity is None:
                continue
            if p.meta.get("picture") and p.label == 1 and p.meta.get("kind") == "drug_ad":
                sellers.setdefault(id(acc.identity), []).append(p)  # an ad, not a selfie
        for group in sellers.values():
            for i, post in enumerate(group):
                if i == 0 or not _uniform_rng(self.seed, post.id, "repost").chance(share):
                    continue
                look = _look(post) if post.id in calibrated else None
                sells = _sells(accounts[post.user])
                able = [
                    q
                    for q in group[:i]
                    if look in (None, _look(q)) and set(q.meta.get("picture_drugs") or ()) <= sells
                ]
                src = next((q for q in able if q.user != post.user), able[0] if able else None)
                if src is not None:
                    m = src.meta
                    post.meta.update(
                        picture_of=m.get("picture_of", src.id),
                        picture_kind=m.get("picture_kind"),
                        image_category=list(m.get("image_category") or []),
                        image_contact=bool(m.get("image_contact")),
                        picture_drugs=list(m.get("picture_drugs") or []),
                    )
                    post.meta.pop("picture_contact", None)
                    if m.get("picture_contact"):
                        post.meta["picture_contact"] = list(m["picture_contact"])


def assign_pictures(
    seed: int,
    scale: float,
    window,
    sphere: list[SimPost],
    open_posts: list[SimPost],
    accounts: dict[str, Account],
) -> None:
    """Store each post's picture in its meta (see the module docstring)."""
    from .data import load

    PictureAssigner(seed, scale, window, load("world")["dealers"]).assign(
        sphere, open_posts, accounts
    )


# ---------------------------------------------------------------------------------------------
# Drawing


@dataclass
class Plan:
    """What one picture shows: its kind, the text lines drawn, and the drawing's style."""

    kind: str
    lines: list[str]
    header: str
    drugs: list[str]
    hand: bool
    font: str
    size: int
    ink: tuple[int, int, int]
    paper: tuple[int, int, int]
    quality: int


def _price(rng: Rand, lo: int, hi: int) -> str:
    p = rng.randint(lo, hi)
    return rng.pick((f"${p}", f"${p} ea", f"${p}/ea", f"10 for ${p * 9}"))


def _menu_lines(rng: Rand, drugs: list[str]) -> list[str]:
    fams = spec()["families"]
    out = []
    for d in drugs[:4]:
        f = fams[d]
        for item in rng.sample(f["menu"], min(len(f["menu"]), rng.randint(1, 2))):
            sep = rng.pick(("  ", " - ", " ... ", ": "))
            out.append(f"{item}{sep}{_price(rng, *f['price'])}")
    return out[:6]


def plan(seed: int, post: SimPost) -> Plan | None:
    """The picture of ``post`` as planned from (seed, post id); None when it has none."""
    m = post.meta
    if not m.get("picture"):
        return None
    s = spec()
    rng = Rand(seed, f"picture/{_drawn_from(post)}")
    kind = m.get("picture_kind", "photo")
    drugs = list(m.get("picture_drugs") or [])
    hand = kind in ("menu", "recovery") and rng.chance(0.45)
    font = rng.pick(HAND_FONTS if hand else TYPED_FONTS)
    header, lines = "", []
    if kind == "menu":
        header = rng.pick(s["menu_headers"])
        lines = _menu_lines(rng, drugs) or [rng.pick(s["menu_footers"])]
        if m.get("image_contact"):
            lines += list(m.get("picture_contact") or [])
        elif rng.chance(0.6):
            lines.append(rng.pick(s["menu_footers"]))
    elif kind == "unclassifiable":
        lines = [rng.pick(s["scale_readings"])] if rng.chance(0.6) else []
    elif kind == "pharmacy":
        fam = s["families"][drugs[0]] if drugs else None
        header = rng.pick(s["pharmacy_names"])
        name = rng.pick(fam["menu"]).upper() if fam else "MEDICATION"
        lines = [f"RX# {rng.randint(100000, 999999)}", name, rng.pick(s["pharmacy_dose"])]
        lines.append(rng.pick(s["pharmacy_lines"]))
    elif kind == "recovery":
        n = rng.pick(s["recovery_days"])
        header = rng.pick(s["recovery_lines"]).replace("{n}", str(n))
    elif kind == "meme":
        header = rng.pick(s["meme_top"])
        lines = [rng.pick(s["meme_bottom"])]
    elif kind == "flyer":
        pool = s["seller_lines"] if post.persona == "other_seller" else s["flyer_lines"]
        picked = rng.sample(pool, min(len(pool), rng.randint(2, 3)))
        header, lines = picked[0].upper(), picked[1:]
    lines = [drawable(x) for x in lines if drawable(x)]
    size = rng.randint(15, 22) if kind == "menu" else rng.randint(16, 26)
    lo, hi = s["render"]["jpeg_quality"]
    return Plan(
        kind=kind,
        lines=lines,
        header=drawable(header),
        drugs=drugs,
        hand=hand,
        font=font,
        size=size,
        ink=tuple(rng.pick(s["ink"])),
        paper=tuple(rng.pick(s["paper"])),
        quality=rng.randint(lo, hi),
    )


def _drawn_from(post: SimPost) -> str:
    """The post whose picture this one shows: itself, or the original of a repost."""
    return post.meta.get("picture_of") or post.id


def picture_lines(seed: int, post: SimPost) -> list[str]:
    """Every string the picture of ``post`` shows (header first); [] without a picture."""
    p = plan(seed, post)
    if p is None:
        return []
    return ([p.header] if p.header else []) + list(p.lines)


def _colour(name: str) -> tuple[int, int, int]:
    return tuple(spec()["colours"].get(name, (200, 200, 200)))


def _darker(c, k: float = 0.55) -> tuple[int, int, int]:
    return tuple(int(v * k) for v in c)


def _gradient(rng: Rand, size: int):
    from PIL import Image

    a, b = rng.sample(spec()["photo"], 2)
    small = Image.new("RGB", (1, 2))
    small.putpixel((0, 0), tuple(a))
    small.putpixel((0, 1), tuple(b))
    img = small.resize((size, size), Image.BILINEAR)
    return img


def _shapes(rng: Rand, draw, size: int, n: int) -> None:
    for _ in range(n):
        c = tuple(rng.pick(spec()["photo"]))
        x, y = rng.randint(-40, size), rng.randint(-40, size)
        w, h = rng.randint(30, 160), rng.randint(30, 160)
        if rng.chance(0.5):
            draw.ellipse((x, y, x + w, y + h), fill=c)
        else:
            draw.rectangle((x, y, x + w, y + h), fill=c)


def _fit(name: str, size: int, lines: list[str], width: int):
    f = _font(name, size)
    while size > 11 and any(f.getlength(x) > width for x in lines):
        size -= 1
        f = _font(name, size)
    return f


def _write(draw, rng: Rand, xy, text: str, font, fill, hand: bool, stroke: int = 0) -> None:
    x, y = xy
    if not hand:
        draw.text((x, y), text, font=font, fill=fill, stroke_width=stroke, stroke_fill=(0, 0, 0))
        return
    for ch in text:  # handwriting: every character a little off the line
        draw.text(
            (x + rng.uniform(-0.6, 0.6), y + rng.uniform(-1.6, 1.6)), ch, font=font, fill=fill
        )
        x += font.getlength(ch) + rng.uniform(-0.4, 0.8)


def _pill(draw, rng: Rand, fam: dict, cx: float, cy: float, scale: float = 1.0) -> None:
    colour = _colour(rng.pick(fam["colours"]))
    edge = _darker(colour, 0.7)
    imprint = rng.pick(fam["imprints"]) if fam.get("imprints") else ""
    shape = rng.pick(fam.get("shapes") or ["round"])
    if shape == "bar":
        w, h = 96 * scale, 28 * scale
        draw.rounded_rectangle(
            (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), h / 2, colour, edge
        )
        for i in (1, 2, 3):
            x = cx - w / 2 + i * w / 4
            draw.line((x, cy - h / 2 + 3, x, cy + h / 2 - 3), fill=edge, width=2)
    elif shape == "oval":
        w, h = 58 * scale, 32 * scale
        draw.ellipse((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), colour, edge, 2)
    elif shape == "pentagon":
        r = 26 * scale
        pts = [
            (cx + r * math.sin(2 * math.pi * i / 5), cy - r * math.cos(2 * math.pi * i / 5))
            for i in range(5)
        ]
        draw.polygon(pts, fill=colour, outline=edge)
    else:
        r = 22 * scale
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), colour, edge, 2)
    if imprint:
        room = {"bar": 90, "oval": 50, "pentagon": 38}.get(shape, 40) * scale
        size = max(6, int(11 * scale))
        f = _font("DejaVuSans-Bold.ttf", size)
        while size > 6 and f.getlength(imprint) > room:
            size -= 1
            f = _font("DejaVuSans-Bold.ttf", size)
        draw.text((cx, cy), imprint, font=f, fill=_darker(colour, 0.45), anchor="mm")


def _blotter(draw, rng: Rand, fam: dict, x0: float, y0: float, n: int, cell: int) -> None:
    a, b = (_colour(c) for c in rng.sample(fam["colours"], 2))
    for i in range(n):
        for j in range(n):
            t = (i + j) / max(1, 2 * n - 2)
            c = tuple(int(a[k] * (1 - t) + b[k] * t) for k in range(3))
            draw.rectangle(
                (x0 + i * cell, y0 + j * cell, x0 + (i + 1) * cell, y0 + (j + 1) * cell), c
            )
    for i in range(n + 1):  # perforations
        draw.line((x0 + i * cell, y0, x0 + i * cell, y0 + n * cell), fill=(230, 230, 230), width=1)
        draw.line((x0, y0 + i * cell, x0 + n * cell, y0 + i * cell), fill=(230, 230, 230), width=1)
    cx, cy, r = x0 + n * cell / 2, y0 + n * cell / 2, n * cell / 4
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=_darker(a), width=3)


def _item(draw, rng: Rand, family: str, cx: float, cy: float, scale: float = 1.0) -> None:
    fam = spec()["families"][family]
    how = fam["draw"]
    colour = _colour(rng.pick(fam["colours"]))
    if how == "pill":
        _pill(draw, rng, fam, cx, cy, scale)
    elif how == "blotter":
        cell = int(16 * scale)
        _blotter(draw, rng, fam, cx - 2 * cell, cy - 2 * cell, 4, cell)
    elif how == "powder":
        w, h = 70 * scale, 50 * scale  # a baggie with a heap
        draw.rectangle(
            (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), (235, 240, 245), (150, 150, 160)
        )
        draw.ellipse(
            (cx - w / 3, cy - h / 5, cx + w / 3, cy + h / 2.5), colour, _darker(colour, 0.85)
        )
    elif how == "mushroom":
        r = 20 * scale
        draw.rectangle((cx - r / 4, cy, cx + r / 4, cy + 1.6 * r), (236, 226, 200))
        draw.pieslice((cx - r, cy - r, cx + r, cy + r), 180, 360, fill=colour)
    elif how == "bud":
        for _ in range(7):
            dx, dy = rng.uniform(-14, 14) * scale, rng.uniform(-14, 14) * scale
            r = rng.uniform(8, 14) * scale
            draw.ellipse(
                (cx + dx - r, cy + dy - r, cx + dx + r, cy + dy + r), colour, _darker(colour)
            )
    elif how == "syrup":
        w, h = 44 * scale, 90 * scale
        draw.rectangle((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), colour, _darker(colour))
        draw.rectangle((cx - w / 2 + 4, cy - h / 6, cx + w / 2 - 4, cy + h / 4), (245, 245, 245))
        f = _font("DejaVuSans-Bold.ttf", max(6, int(6 * scale)))
        draw.text(
            (cx, cy + h / 24),
            rng.pick(fam["imprints"])[:12],
            font=f,
            fill=(20, 20, 20),
            anchor="mm",
        )
    elif how == "patch":
        w, h = 70 * scale, 56 * scale
        draw.rounded_rectangle(
            (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), 8, colour, (160, 150, 140)
        )
        f = _font("DejaVuSans.ttf", max(7, int(8 * scale)))
        draw.text((cx, cy), rng.pick(fam["imprints"])[:18], font=f, fill=(60, 60, 60), anchor="mm")


def _scatter(draw, rng: Rand, drugs: list[str], box, n: int, scale: float) -> None:
    x0, y0, x1, y1 = box
    cols = max(1, int((x1 - x0) // (110 * scale)))
    rows = max(1, int((y1 - y0) // (70 * scale)))
    cells = [(i, j) for i in range(cols) for j in range(rows)]
    rng.shuffle(cells)
    cw, ch = (x1 - x0) / cols, (y1 - y0) / rows
    for k, (i, j) in enumerate(cells[:n]):
        cx = x0 + (i + 0.5) * cw + rng.uniform(-cw / 8, cw / 8)
        cy = y0 + (j + 0.5) * ch + rng.uniform(-ch / 8, ch / 8)
        _item(draw, rng, drugs[k % len(drugs)], cx, cy, scale)


def _text_block(draw, rng: Rand, p: Plan, top: float, width: int, size: int) -> float:
    if p.header:
        hf = _fit(p.font, size + 6, [p.header], width)
        _write(draw, rng, (24, top), p.header, hf, p.ink, p.hand)
        top += hf.size + 10
    f = _fit(p.font, size, p.lines, width)
    for line in p.lines:
        _write(draw, rng, (24, top), line, f, p.ink, p.hand)
        top += f.size + rng.randint(5, 9)
    return top


def render_picture(seed: int, post: SimPost):
    """The picture of ``post`` (a 320x320 RGB ``PIL.Image``); None when it has none."""
    p = plan(seed, post)
    if p is None:
        return None
    from PIL import Image, ImageDraw, ImageFilter

    s = spec()
    size = s["size"]
    rng = Rand(seed, f"picture/{_drawn_from(post)}/draw")
    width = size - 48
    if p.kind in ("menu", "recovery") or (p.kind == "flyer" and rng.chance(0.5)):
        img = Image.new("RGB", (size, size), p.paper)
        draw = ImageDraw.Draw(img)
        if p.hand or rng.chance(0.3):  # ruled paper
            for y in range(30, size, rng.randint(22, 28)):
                draw.line((0, y, size, y), fill=(180, 200, 225), width=1)
    elif p.kind == "flyer":
        img = Image.new("RGB", (size, size), tuple(rng.pick(s["photo"])))
        draw = ImageDraw.Draw(img)
        p.ink = (255, 255, 255) if sum(img.getpixel((0, 0))) < 380 else (15, 15, 15)
    else:
        img = _gradient(rng, size)
        draw = ImageDraw.Draw(img)
    if p.kind == "menu":
        bottom = _text_block(draw, rng, p, 22, width, p.size)
        if p.drugs and bottom < size - 60:
            _scatter(draw, rng, p.drugs, (20, bottom + 4, size - 20, size - 10), 3, 0.7)
    elif p.kind == "drugs":
        _scatter(draw, rng, p.drugs, (10, 10, size - 10, size - 10), rng.randint(3, 8), 1.0)
    elif p.kind == "unclassifiable":
        draw.rectangle((40, 200, 200, 290), (40, 40, 44))  # a digital scale
        if p.lines:
            f = _font("DejaVuSansMono-Bold.ttf", 28)
            draw.text((60, 226), p.lines[0], font=f, fill=(120, 230, 140))
        for _ in range(rng.randint(2, 4)):
            x, y = rng.randint(30, 230), rng.randint(30, 150)
            draw.rectangle((x, y, x + 50, y + 40), (230, 234, 240), (140, 140, 150))
            c = rng.pick(((245, 245, 240), (200, 180, 150), (230, 230, 200)))
            draw.ellipse((x + 10, y + 12, x + 40, y + 36), c)
    elif p.kind == "pharmacy":
        draw.rounded_rectangle((20, 20, 200, 300), 12, (230, 130, 40), (180, 90, 20))
        draw.rectangle((28, 70, 192, 250), (250, 250, 250))
        _text_block(draw, rng, Plan(**{**p.__dict__, "lines": p.lines[:3], "ink": (20, 20, 20)}),
                    78, 160, 11)  # fmt: skip
        if p.drugs:
            _scatter(draw, rng, p.drugs, (205, 30, 315, 250), 3, 0.7)
        f = _fit(p.font, 16, p.lines[3:], width)
        for i, line in enumerate(p.lines[3:]):
            draw.text((12, 262 + i * 20), line, font=f, fill=(20, 20, 20))
    elif p.kind == "recovery":
        if p.drugs:
            _scatter(draw, rng, p.drugs, (20, 140, size - 20, size - 20), 3, 0.9)
        hf = _fit(p.font, p.size + 8, [p.header], width)
        _write(draw, rng, (24, 50), p.header, hf, p.ink, p.hand)
    elif p.kind == "meme":
        _shapes(rng, draw, size, rng.randint(2, 5))
        f = _fit("DejaVuSans-Bold.ttf", 26, [p.header, *p.lines], size - 24)
        draw.text((size / 2, 30), p.header, font=f, fill=(255, 255, 255), anchor="mm",
                  stroke_width=2, stroke_fill=(0, 0, 0))  # fmt: skip
        if p.lines:
            draw.text((size / 2, size - 34), p.lines[0], font=f, fill=(255, 255, 255),
                      anchor="mm", stroke_width=2, stroke_fill=(0, 0, 0))  # fmt: skip
    elif p.kind == "flyer":
        _text_block(draw, rng, p, 60, width, p.size)
    else:  # photo: no text
        _shapes(rng, draw, size, rng.randint(3, 8))
    r = s["render"]
    angle = rng.uniform(-r["rotation"], r["rotation"])
    if abs(angle) > 0.5:
        fill = img.getpixel((2, 2))
        img = img.rotate(angle, Image.BILINEAR, expand=True, fillcolor=fill)
        img = img.resize((size, size), Image.BILINEAR)
    if rng.chance(r["blur"]):
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(*r["blur_radius"])))
    alpha = rng.uniform(*r["noise"])
    if alpha > 0.01:
        # Seeded noise (Image.effect_noise draws from C's global rand(): not reproducible).
        noise = Image.frombytes("L", (size, size), rng.randbytes(size * size)).convert("RGB")
        img = Image.blend(img, noise, alpha)
    return img


def picture_jpeg(seed: int, post: SimPost) -> bytes | None:
    """The picture of ``post`` as JPEG bytes (quality 35-90, per post); None without one."""
    img = render_picture(seed, post)
    if img is None:
        return None
    quality = plan(seed, post).quality
    if post.meta.get("picture_of"):  # a repost: saved again, at its own size and quality
        from PIL import Image

        rng = Rand(seed, f"picture/{post.id}/repost")
        lo, hi = spec()["render"]["jpeg_quality"]
        again = rng.randint(lo, hi)
        if again == quality:  # never the same bytes: the perceptual hash must match it
            again = lo + (again - lo + 7) % (hi - lo + 1)
        quality = again
        side = rng.pick((img.width, img.width, 288, 256))
        if side != img.width:
            img = img.resize((side, side), Image.BILINEAR)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()
