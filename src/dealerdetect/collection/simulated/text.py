"""Writing helpers: templates, invented names and contact details, hashtags in captions."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ...posts import MENTION_RE
from .data import Vocabulary, load
from .rand import Rand

SLOT_RE = re.compile(r"\{(\w+)\}")
Value = str | Sequence[str] | Callable[[], str]


class Filler:
    """Fills ``{slot}`` templates from named word lists and per-call values.

    A value may be a string, a list to pick from, or a callable; filled text may itself hold
    slots (up to three levels deep).
    """

    def __init__(self, lists: Mapping[str, Value]):
        self.lists = dict(lists)

    def fill(self, rng: Rand, template: str, values: Mapping[str, Value] | None = None) -> str:
        values = values or {}

        def sub(m: re.Match) -> str:
            key = m.group(1)
            v = values[key] if key in values else self.lists.get(key)
            if v is None:
                raise KeyError(f"simulated world: no words for slot {{{key}}} in {template!r}")
            if callable(v):
                return v()
            if isinstance(v, str):
                return v
            return rng.pick(v)

        out = template
        for _ in range(3):
            new = SLOT_RE.sub(sub, out)
            if new == out:
                break
            out = new
        return out


@dataclass(frozen=True)
class Identity:
    """How an account can be reached off Instagram (all invented)."""

    handle: str  # the Wickr / Kik / Telegram / Snapchat name
    phone: str
    email: str


class Namer:
    """Invents unique account handles, contact handles, phone numbers and e-mail addresses."""

    def __init__(self, rng: Rand, names: dict | None = None):
        self.rng = rng
        self.names = names if names is not None else load("names")
        self.used: set[str] = set()

    def _compose(self, parts: dict) -> str:
        r = self.rng
        sep = r.pick(("", "", "_", "."))
        return f"{r.pick(parts['first'])}{sep}{r.pick(parts['second'])}{r.pick(parts['suffix'])}"

    def handle(self, kind: str) -> str:
        """A fresh Instagram handle; ``kind`` is "dealer", "person" or "news"."""
        parts = self.names[kind]
        for attempt in range(50):
            h = self._compose(parts)
            if attempt > 5:
                h = f"{h}{self.rng.randint(2, 999)}"
            h = h.replace("..", ".").strip(".")
            if h not in self.used:
                self.used.add(h)
                return h
        raise RuntimeError("simulated world: ran out of handles")

    def contact_handle(self) -> str:
        return self._compose(self.names["contact_handle"]).replace(".", "_")

    def phone(self) -> str:
        r = self.rng
        fmt = r.pick(load("lexicon")["phone_formats"])
        return (
            fmt.replace("{area}", str(r.pick(self.names["area_codes"])))
            .replace("{nnn}", f"{r.randint(0, 999):03d}")
            .replace("{nn}", f"{r.randint(0, 99):02d}")
            .replace("{dddd}", f"{r.randint(0, 9999):04d}")
            .replace("{d}", str(r.randint(0, 9)))
        )

    def email(self, handle: str) -> str:
        r = self.rng
        local = r.pick(
            (handle, f"{handle}.store", f"orders.{handle}", f"{handle}{r.randint(1, 99)}")
        )
        return f"{local}@{r.pick(self.names['email_domains'])}"

    def identity(self) -> Identity:
        h = self.contact_handle()
        return Identity(handle=h, phone=self.phone(), email=self.email(h))

    def link(self, path_hint: str = "") -> str:
        r = self.rng
        slug = path_hint or "".join(r.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(6))
        return f"https://{r.pick(self.names['link_domains'])}/{slug}"


class ContactWriter:
    """Writes a contact detail of a given kind the way people type it (lexicon.yaml: contact)."""

    KINDS = ("wickr", "telegram", "kik", "whatsapp", "snapchat", "phone", "email", "bio")

    def __init__(self, lexicon: dict | None = None):
        lex = lexicon if lexicon is not None else load("lexicon")
        self.formats: dict[str, list[str]] = lex["contact"]

    def line(self, rng: Rand, kind: str, who: Identity) -> str:
        fmt = rng.pick(self.formats[kind])
        return (
            fmt.replace("{h}", who.handle)
            .replace("{phone}", who.phone)
            .replace("{email}", who.email)
        )


class TagWriter:
    """Puts hashtags into captions the way people type them (mixed case, blocks, inline)."""

    LAYOUTS = {"end": 5, "newline": 3, "dots": 2, "start": 1, "split": 2}

    def __init__(self, vocab: Vocabulary):
        self.display = vocab.display

    # How a caption's author capitalises hashtags: all lower case, mixed, or ALL CAPS.
    CASES = {"lower": 0.62, "mixed": 0.3, "upper": 0.08}

    def render(self, rng: Rand, tag: str, case: str = "mixed") -> str:
        if case == "lower":
            return "#" + tag
        if case == "upper":
            return "#" + tag.upper()
        alts = self.display.get(tag)
        u = rng.random()
        if alts and u < 0.5:
            return "#" + rng.pick(alts)
        if u < 0.7:
            return "#" + tag.capitalize()
        return "#" + tag

    def caption(self, rng: Rand, body: str, tags: Sequence[str], layout: str | None = None) -> str:
        if not tags:
            return body
        case = rng.pick_weighted(self.CASES)
        shown = [self.render(rng, t, case) for t in tags]
        layout = layout or rng.pick_weighted(self.LAYOUTS)
        block = " ".join(shown)
        if not body:
            return block
        if layout == "start":
            return f"{block} {body}"
        if layout == "newline":
            return f"{body}\n{block}"
        if layout == "dots":
            return f"{body}\n.\n.\n.\n{block}"
        if layout == "split" and len(shown) > 1:
            cut = rng.randint(1, len(shown) - 1)
            lines = body.split("\n")
            if len(lines) > 1:
                at = rng.randint(1, len(lines) - 1)
                head, tail = "\n".join(lines[:at]), "\n".join(lines[at:])
                return f"{head} {' '.join(shown[:cut])}\n{tail} {' '.join(shown[cut:])}"
            return f"{' '.join(shown[:cut])} {body} {' '.join(shown[cut:])}"
        return f"{body} {block}"


def price(filler: Filler, rng: Rand) -> str:
    """A price the way sellers write it ("10 for $50", "$15/ea"): lexicon.yaml prices."""
    return filler.fill(
        rng,
        rng.pick(load("lexicon")["prices"]),
        {"n": str(rng.choice((5, 10, 20, 50, 100))), "p": str(rng.randint(2, 60) * 5)},
    )


def mentions_of(text: str) -> list[str]:
    """@mentions in a caption, in order, once each."""
    seen: dict[str, None] = {}
    for m in MENTION_RE.findall(text or ""):
        m = m.rstrip(".")
        if m:
            seen.setdefault(m, None)
    return list(seen)


def unique(seq: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(seq))
