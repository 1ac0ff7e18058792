"""Contact details in post text: the one detector that redaction and the characterization share.

The paper found that dealers give contact information (an e-mail, a phone number, or an
account on a messaging app: Wickr, Telegram, Kik, WhatsApp), or only point to their profile
("check my bio"). ``privacy.redact`` replaces what this module finds; ``characterization``
counts its kinds. Measured on a hand-labelled fixture (tests/data/detectors/, docs/reproduction.md).

Public API:

    find_contacts(text, phone_regions=None) -> list[Contact]
        Every contact detail, in text order, without overlaps. Kinds: "wickr", "telegram",
        "kik", "whatsapp", "snapchat", "phone", "email", "bio", "handle"; ``detail`` says what
        the span holds: "handle", "phone", "email", "link", "name" (an app named without a
        handle, kept by redaction), "pointer" (a "check my bio" phrase, kept) or "mention".
        * An app followed by a handle or number ("wickr: plugdaddy", "kik me @bigbars",
          "whatsapp +1 555 201 3344", "add me on snap xanplug", "#wickrbigplug99") is one
          Contact of the app's kind spanning the handle or number. App links span the link.
        * An app named without a handle counts only as a pointer: after "on"/"via"/"add me"
          ("hit me on wickr"), before "me" ("whatsapp me"), or as the exact hashtag ("#kik").
          "telegram from grandma", "kik-off at 3", "snap of the game" are not contacts.
          Short forms ("snap", "sc", "tg", "tele") need ":"/"-"/an arrow, an "@", or a lead such
          as "add me on" before the handle. "ig: name" is a "handle".
        * Phone numbers come from Google's libphonenumber (``phones.find_phones``).
    contact_kinds(text, phone_regions=None) -> set[str]
        The kinds found, plus "phone" when an app was given as a number.
    find_phones, regions_key, DEFAULT_PHONE_REGIONS: see ``dealerdetect.phones``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .phones import DEFAULT_PHONE_REGIONS, find_phones, regions_key
from .phones import _phones as _phone_spans

__all__ = [
    "APPS",
    "APP_MENTION_RE",
    "DEFAULT_PHONE_REGIONS",
    "PAPER_APPS",
    "Contact",
    "contact_kinds",
    "find_contacts",
    "find_phones",
    "regions_key",
]

PAPER_APPS = ("wickr", "telegram", "kik", "whatsapp")
APPS = (*PAPER_APPS, "snapchat")


@dataclass(frozen=True)
class Contact:
    kind: str
    start: int
    end: int
    detail: str = ""


# --- messaging apps and handles --------------------------------------------------------------

# Characters that may sit between an app's name and the handle: spaces, ":" "-" "=" "|",
# arrows and emoji ("📲 wickr 👉 plugdaddy"). Never "[" or "]", so a redaction placeholder
# such as "wickr: [HANDLE]" is never read as a handle again.
_SEP_CHARS = (
    r"\s:=>|~*•·\-–—»«›‹/()"
    r"\u2190-\u21ff\u2794-\u27bf\u2b05-\u2b07\u2600-\u26ff\U0001f000-\U0001faff\ufe0f\u200d"
)
# Filler words between the app and the handle: "wickr me @x", "wickr ID - x", "kik is x".
_FILLER = r"(?:me|id|is|at|name|username|user|handle|acc|account|only|channel|group)"
_SEP_RE = re.compile(rf"(?:[{_SEP_CHARS}]|(?<!\w){_FILLER}(?!\w))*", re.IGNORECASE)
# Instagram-style handle: letters, digits, "_" and inner dots; "@" optional. It must hold a
# letter or "_", so "100 pills" or "24/7" after an app name is not a handle.
_HANDLE_BODY = r"[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?"
_HANDLE_RE = re.compile(rf"@?(?=[A-Za-z0-9_.]*[A-Za-z_]){_HANDLE_BODY}(?![\w@]|['’]\w)")
# Words that follow an app name in running text and are not handles ("hit me on wickr for
# prices", "join my telegram channel"). Only checked when the candidate has no "@". Any other
# word is taken as a handle: over-redacting a word is the safe error, leaking a handle is not.
_NOT_HANDLES = frozenset(
    """a above account also an and app are asap at available below best bio call channel chat
    contact delivery details dm dms down encrypted fam fast for from group guys here hit i if in
    inbox info is it link me message messages messenger more msg my now number ok on only or
    order orders our please pls plug plz preferred price prices quick safe same secure send so
    story text thanks that the then this to today too ty u ur us users via video we with works
    you your later vs was better bot tutorial bro bruh lol lmao tbh tho though rn""".split()
)
_PUNCT_RE = re.compile(r"[^\s\w]")  # a ":" "-" arrow or emoji, not only spaces and words
_PLACEHOLDER_WORDS = frozenset({"url", "email", "phone", "handle"})

# App names. Strong names are unambiguous as whole words; weak ones ("snap a pic", "tg" as
# slang) need punctuation, "@" or a lead ("add me on") before a handle, and never count alone.
_STRONG_APPS = {
    "wickr": r"wickr(?:\s?me)?|wickrme",
    "telegram": r"telegram",
    "kik": r"kik(?:me)?",
    "whatsapp": r"whats\s?app",
    "snapchat": r"snapchat",
}
_WEAK_APPS = {"telegram": r"tg|tele", "snapchat": r"snap|sc", "handle": r"ig|insta|instagram"}
# A whole name: not inside another word ("kicking", "telegraph", "wicker") nor a handle/link.
_EDGE_L, _EDGE_R = r"(?<![\w@./])", r"(?![\w/]|\.[A-Za-z])"
_APP_LEAD_RE = re.compile(
    "|".join(
        rf"{_EDGE_L}#?(?P<{kind}{i}>{pat}){_EDGE_R}"
        for i, table in enumerate((_STRONG_APPS, _WEAK_APPS))
        for kind, pat in table.items()
    ),
    re.IGNORECASE,
)
# The exact text of an app mention (word or hashtag); privacy uses it to keep app names.
APP_MENTION_RE = re.compile(rf"#?(?:{'|'.join(_STRONG_APPS.values())})", re.IGNORECASE)
# Words before an app that make it a way to reach the writer: "hit me on wickr", "add me on
# snap x", "order via telegram", "my kik", "hmu on tele".
# A bare "on" is not enough: "send this to someone on snapchat".
_LEAD_RE = re.compile(
    r"(?:\b(?:via|thru|through|add|hmu|msg|message|text|my|our)\s+"
    r"|\b(?:me|us|hmu|contact|order|orders|available|reach|find\s+(?:me|us))\s+(?:up\s+)?"
    r"(?:on|at|via|in|thru|through)\s+)$",
    re.IGNORECASE,
)
# The app talked about, not a way to reach the writer: "what's your wickr" asks for someone
# else's, "whatsapp vs telegram", "who uses kik", "deleted wickr" speak of the app itself.
_NOT_OURS_RE = re.compile(
    r"\b(?:your|ur|ya|yo|vs\.?|versus|than|uses|using|deleted?|installed?|downloaded?|hate"
    r"|love|about|what'?s)\s+$",
    re.IGNORECASE,
)
# Two-letter forms ("tg", "sc" are also slang and place names) need a handle that looks like
# one: with a digit, "_", "." or "@" ("sc 👉 molly_plug", not "TG: thanksgiving").
_SHORT_FORMS = frozenset({"tg", "sc"})
_HANDLE_LIKE_RE = re.compile(r"@|[\d_.]")
# An app named right after a number: "+1 (213) 555-0114 WhatsApp only", "... auch WhatsApp".
_AFTER_PHONE_RE = re.compile(
    rf"[{_SEP_CHARS}]*(?:(?:also|auch|aussi|or|and|on|via|for|&|\+)[{_SEP_CHARS}]*)*",
    re.IGNORECASE,
)
# An app name used as a verb towards the writer: "whatsapp me", "kik us".
# ... or as the one channel: "telegram only".
_TO_ME_RE = re.compile(r"\s+(?:me|us|only)\b", re.IGNORECASE)
# Apps listed as the channels: "wickr, kik, telegram or whatsapp", "kik/wickr".
_APP_LIST_RE = re.compile(
    rf"\s*(?:,|/|\||\bor\b)\s*#?(?:{'|'.join(_STRONG_APPS.values())})(?!\w)", re.IGNORECASE
)
# A hashtag that glues a handle to the app: "#wickrbigplug99", "#wickr_plugdaddy"; not the
# generic tags dealers use ("#wickrplug", "#kikme").
_APP_TAG_RE = re.compile(
    rf"(?<![\w#])#(?P<app>{'|'.join(_STRONG_APPS.values())})_?(?P<h>\w+)", re.IGNORECASE
)
_GENERIC_TAG_TAILS = frozenset(
    "me plug plugs plugz only dealer dealers connect vendor vendors shop store sale sales id us "
    "available ready friendly".split()
)

# Links that open a chat on the app; the whole link identifies the account.
_APP_LINK_RE = re.compile(
    r"(?<![\w.])(?:https?://)?(?:www\.)?"
    r"(?P<dom>wickr\.me|t\.me|telegram\.(?:me|dog)|wa\.me|api\.whatsapp\.com/send\?phone="
    r"|kik\.me|snapchat\.com/add)/?(?<=[/=])[A-Za-z0-9_.+-]*[A-Za-z0-9_]",
    re.IGNORECASE,
)
_LINK_KIND = {
    "wickr": "wickr",
    "t": "telegram",
    "telegram": "telegram",
    "wa": "whatsapp",
    "api": "whatsapp",
    "kik": "kik",
    "snapchat": "snapchat",
}

# E-mail addresses, plain or written "rx.store [at] gmail [dot] com" / "rx at gmail dot com".
_PROVIDERS = r"(?:gmail|g?mail|yahoo|hotmail|outlook|live|aol|icloud|proton(?:mail)?|tutanota)"
_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-]@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.[A-Za-z]{2,}\b"
    r"|(?<![\w.%+\[-])[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-]\s*[\[(]\s*at\s*[\])]\s*"
    r"[A-Za-z0-9-]+(?:\s*(?:[\[(]\s*dot\s*[\])]|\.)\s*[A-Za-z]{2,})+\b"
    rf"|(?<![\w.%+-])[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-]\s+at\s+{_PROVIDERS}"
    r"(?:\s+dot\s+|\s*\.\s*)(?:com|net|org|me|ch|de|co\.uk|ru)\b",
    re.IGNORECASE,
)

# A bare @mention not tied to an app ("@plug_daddy"); not inside e-mails or other handles.
_MENTION_RE = re.compile(rf"(?<![\w.@])@(?=[A-Za-z0-9_.]*[A-Za-z_]){_HANDLE_BODY}(?![\w@])")

# Pointers to the profile or to private messages instead of a contact detail (the paper:
# "referring to their account profile to reference contact information"). "bio" must be a
# whole word in a pointer phrase, so "biology" never counts. A DM pointer that names the
# channel ("hmu on tele", "DM me on wickr") is that app's contact, not a pointer; "dm'd" is
# past, not a pointer.
_APP_WORD = r"(?:wickr|tele(?:gram)?|tg|kik|whats\s?app|snap(?:chat)?|sc)\b"
_BIO_RE = re.compile(
    r"\b(?:"
    r"(?:check|see|read|look\s+at|visit)\s+(?:out\s+)?(?:my|the|our)?\s*(?:bio|profile|page)"
    r"|(?:link|info|contact|details|number|prices?|menu|name|handle|username)\s+(?:is\s+)?"
    r"(?:in|on)\s+(?:my\s+|the\s+|our\s+)?(?:bio|profile|page)"
    r"|(?:my|our)\s+dm'?s\s+(?:are\s+)?open"
    r"|(?:in|on)\s+(?:my|the|our)\s+(?:bio|profile)"
    r"|bio\s+for\s+(?:info|prices?|contact|details|orders?|more)"
    r"|(?<!my\s)(?<!your\s)(?<!ur\s)(?<!the\s)(?:d\.?m\.?s?|dm'?s)(?!'d|ed)"
    r"(?:\s+(?:me|us|now|only|open|to\s+order|for(?:\s+(?:prices?|info|orders?|details|more))?))?"
    r"|(?:pm|inbox|message)\s+(?:me|us|for)|direct\s+message"
    r"|hmu|hit\s+(?:me|us)\s+up"
    rf")\b(?!(?:\s+(?:me|us))?\s+(?:(?:on|via)\s+{_APP_WORD}|there\b))",
    re.IGNORECASE,
)


@functools.cache
def _stopwords() -> frozenset[str]:
    from .preprocessing import load_stopwords

    return load_stopwords("english")


def _app_handle(
    text: str, pos: int, weak: bool, lead: bool, phone_at: dict[int, int]
) -> tuple[tuple[int, int], str] | None:
    """Span and detail of the number or handle written after an app name ending at ``pos``."""
    sep = _SEP_RE.match(text, pos)
    at = sep.end()
    # "kik-off", "snap-back": a hyphen straight into a word is a compound, not a handle.
    if sep.group() == "-" and at < len(text) and text[at].isalpha():
        return None
    # A weak name ("snap", "sc", "tg") needs punctuation, an emoji or a lead ("add me on"),
    # not just a space or a filler word, before the handle: "snap: pillsplug", not "snap a pic".
    punct = _PUNCT_RE.search(sep.group()) is not None
    # The separator may have eaten the number's own "(" or "+": "whatsapp (213) 555-0138".
    for start in (at - 1, at):
        if start in phone_at and start >= pos and (punct or lead or not weak):
            return (start, phone_at[start]), "phone"
    handle = _HANDLE_RE.match(text, at)
    if not handle:
        return None
    word = handle.group().lower()
    if word.startswith("@"):
        return handle.span(), "handle"
    if weak and not (punct or lead):
        return None
    if (
        word in _NOT_HANDLES
        or word in _PLACEHOLDER_WORDS
        or word in _stopwords()  # "who needs wickr when ...": English words, not handles
        or APP_MENTION_RE.fullmatch(word)
    ):
        return None
    return handle.span(), "handle"


def find_contacts(text: str, phone_regions: Iterable[str] | None = None) -> list[Contact]:
    """All contact details in ``text`` (see the module docstring), sorted by position."""
    return list(_find_contacts(str(text), regions_key(phone_regions)))


@functools.lru_cache(maxsize=65536)
def _find_contacts(text: str, regions: tuple[str, ...]) -> tuple[Contact, ...]:
    found: list[Contact] = []
    taken = bytearray(len(text))  # 1 = already explained by an earlier, stronger pass

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    def add(kind: str, span, detail: str, claim=None) -> None:
        found.append(Contact(kind, span[0], span[1], detail))
        start, end = claim or span
        taken[start:end] = b"\x01" * (end - start)

    # Order matters: e-mails and links first (they contain "@", "." and app names), then app
    # names with their handle, then loose numbers, bare @mentions, app mentions, pointers.
    for m in _EMAIL_RE.finditer(text):
        add("email", m.span(), "email")
    for m in _APP_LINK_RE.finditer(text):
        if free(*m.span()):
            add(_LINK_KIND[m.group("dom").split(".")[0].lower()], m.span(), "link")
    phones = [s for s in _phone_spans(text, regions) if free(*s)]
    phone_at = dict(phones)
    for m in _APP_TAG_RE.finditer(text):
        tail = m.group("h")
        if free(*m.span()) and tail.lower().strip("_") not in _GENERIC_TAG_TAILS:
            kind = next(k for k, p in _STRONG_APPS.items() if re.fullmatch(p, m["app"], re.I))
            add(kind, m.span("h"), "handle", claim=m.span())
    mentions: list[tuple[str, tuple[int, int]]] = []
    for m in _APP_LEAD_RE.finditer(text):
        if not free(*m.span()):
            continue
        group = next(g for g, v in m.groupdict().items() if v is not None)
        kind, weak = group[:-1], group.endswith("1")
        if _NOT_OURS_RE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        lead = _LEAD_RE.search(text[max(0, m.start() - 30) : m.start()]) is not None
        got = _app_handle(text, m.end(), weak, lead, phone_at)
        if got and m.group(group).lower() in _SHORT_FORMS and got[1] == "handle":
            if not _HANDLE_LIKE_RE.search(text[got[0][0] : got[0][1]]):
                kind = "handle"  # "TG: thanksgiving": maybe a handle (redacted), not an app
        if got and free(*got[0]):
            add(kind, got[0], got[1], claim=(m.start(), got[0][1]))
            continue
        if got and not weak:  # "wickr: rx.store@gmail.com": the address is the handle
            mentions.append((kind, m.span()))
            continue
        before = [p for p in phones if p[1] <= m.start() and free(*p)]
        if not weak and before and _AFTER_PHONE_RE.fullmatch(text, before[-1][1], m.start()):
            add(kind, before[-1], "phone", claim=(before[-1][0], m.end()))
        elif not weak and (
            m.group().startswith("#")
            or lead
            or _TO_ME_RE.match(text, m.end())
            or _APP_LIST_RE.match(text, m.end())
            or _APP_LIST_RE.search(text[max(0, m.start() - 40) : m.end()])
            or re.search(r"\sme$", m.group(), re.I)
        ):
            mentions.append((kind, m.span()))
    for span in phones:
        if free(*span):
            add("phone", span, "phone")
    for m in _MENTION_RE.finditer(text):
        if free(*m.span()):
            add("handle", m.span(), "mention")
    if len({k for k, _ in mentions}) >= 3 and all(text[s] == "#" for _, (s, _) in mentions):
        mentions = []  # "#wickr #kik #telegram #whatsapp #apps": hashtags about apps
    for kind, span in mentions:
        if free(*span):
            add(kind, span, "name")
    for m in _BIO_RE.finditer(text):
        if free(*m.span()):
            add("bio", m.span(), "pointer")
    return tuple(sorted(found, key=lambda c: (c.start, c.end)))


def contact_kinds(text: str, phone_regions: Iterable[str] | None = None) -> set[str]:
    """Kinds of contact detail in ``text``; never the handle, number or address itself.

    An app given as a number ("whatsapp +44 7700 900461", "wa.me/4477...") is both that app
    and a phone number.
    """
    found = find_contacts(text, phone_regions)
    kinds = {c.kind for c in found}
    for c in found:
        # "wa.me/447700900512" opens a chat with a phone number.
        digits = sum(ch.isdigit() for ch in text[c.start : c.end])
        if c.detail == "phone" or (c.kind == "whatsapp" and c.detail == "link" and digits >= 8):
            kinds.add("phone")
    return kinds
