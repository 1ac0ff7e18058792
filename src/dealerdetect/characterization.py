"""Text analysis of drug-dealer posts (paper: Results, Text Analysis of Drug Dealer Posts).

The paper found that dealers give contact information in captions and comments (an e-mail,
a phone number, or an account on a messaging app: Wickr, Telegram, Kik, WhatsApp), sometimes
only point to their profile ("check my bio"), and that buyers answer in comments asking for
more information or offering to buy. This module finds those signals.

Public API:

    find_contacts(text) -> list[Contact]
        Every contact detail, in text order, without overlaps. Kinds: "wickr", "telegram",
        "kik", "whatsapp", "snapchat", "phone", "email", "bio", "handle".
        * An app followed by a handle or number ("wickr: plugdaddy", "kik me @bigbars",
          "whatsapp +1 555 201 3344") is one Contact of the app's kind; its span is the handle
          (with its "@"), or the number. App links ("t.me/rxsupply") span the whole link.
        * An app named with no handle ("hit me on wickr", "#wickr") is a Contact of the app's
          kind spanning the word or the whole hashtag. A hashtag only counts when it is exactly
          the app's name ("#wickr", "#kikme"), not "#wickrplug". Ambiguous short forms ("snap",
          "sc", "tg") only count when a handle follows a ":"/"-"/arrow or an "@".
        * "phone" and "email" are numbers and addresses not tied to an app; "bio" is a pointer
          phrase ("check my bio", "link in bio", "DM for prices", "hmu"); "handle" is an
          @mention not tied to an app.
        Phones: North-American numbers (with or without +1, any of "-", ".", " " or "(555)"),
        or international numbers written with "+" (at least 8 digits).
    contact_kinds(text) -> set[str]
        {c.kind for c in find_contacts(text)}: so "handle" appears only for bare @mentions,
        and an app mentioned without a handle still counts as that app. No handle/number/
        address is ever returned.
    has_offer_to_buy(caption, comments, poster) -> bool
        A comment by someone other than the poster asking to buy, for the price or for contact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAPER_APPS = ("wickr", "telegram", "kik", "whatsapp")
APPS = (*PAPER_APPS, "snapchat")


@dataclass(frozen=True)
class Contact:
    kind: str
    start: int
    end: int


# --- building blocks ---------------------------------------------------------------------

# Characters that may sit between an app's name and the handle: spaces, ":" "-" "=" "|",
# arrows and emoji ("📲 wickr 👉 plugdaddy"). Never "[" or "]", so a redaction placeholder
# such as "wickr: [HANDLE]" is never read as a handle again.
_SEP_CHARS = (
    r"\s:=>|~*•·\-–—»«›‹/"
    r"\u2190-\u21ff\u2794-\u27bf\u2b05-\u2b07\u2600-\u26ff\U0001f000-\U0001faff\ufe0f\u200d"
)
# Filler words between the app and the handle: "wickr me @x", "wickr ID - x", "kik is x".
_FILLER = r"(?:me|id|is|at|name|username|user|handle|acc|account)"
_SEP_RE = re.compile(rf"(?:[{_SEP_CHARS}]|(?<!\w){_FILLER}(?!\w))*", re.IGNORECASE)
# Instagram-style handle: letters, digits, "_" and inner dots; "@" optional. It must hold a
# letter or "_", so "100 pills" or "24/7" after an app name is not a handle.
_HANDLE_BODY = r"[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?"
_HANDLE_RE = re.compile(rf"@?(?=[A-Za-z0-9_.]*[A-Za-z_]){_HANDLE_BODY}(?![\w@])")
# Words that follow an app name in running text and are not handles ("hit me on wickr for
# prices", "join my telegram channel"). Only checked when the candidate has no "@". Any other
# word is taken as a handle: over-redacting a word is the safe error, leaking a handle is not.
_NOT_HANDLES = frozenset(
    """a above account also an and app are asap at available below best bio call channel chat
    contact delivery details dm dms down encrypted fam fast for group guys here hit i if in
    inbox info is it link me message messages messenger more msg my now number ok on only or
    order orders our please pls plug plz preferred price prices quick safe same secure send so
    story text thanks that the then this to today too ty u ur us users via video we with works
    you your""".split()
)
_PUNCT_RE = re.compile(r"[^\s\w]")  # a ":" "-" arrow or emoji, not only spaces and words
_PLACEHOLDER_WORDS = frozenset({"url", "email", "phone", "handle"})

# App names. Strong names are unambiguous as whole words; weak ones ("snap a pic", "tg" as
# slang) need punctuation or "@" before a handle and never count on their own.
_STRONG_APPS = {
    "wickr": r"wickr(?:\s?me)?|wickrme",
    "telegram": r"telegram",
    "kik": r"kik(?:me)?",
    "whatsapp": r"whats\s?app",
    "snapchat": r"snapchat",
}
_WEAK_APPS = {"telegram": r"tg", "snapchat": r"snap|sc"}
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

# Phone numbers. Not after a letter, digit, "$", "+" or "/" (prices, dates, longer numbers).
# NANP area codes and exchanges start with 2-9, so "100 500 1000" is not a number.
PHONE_RE = re.compile(
    r"(?<![\w$€£+/])(?:"
    r"\+(?=(?:[\s.()-]*\d){8})\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){1,3}"
    r"|(?:1[\s.-]?)?(?:\([2-9]\d\d\)\s?|[2-9]\d\d[\s.-]?)[2-9]\d\d[\s.-]?\d{4}"
    r")(?![\w/])"
)

# E-mail addresses, plain or written "rx.store [at] gmail [dot] com" to dodge scrapers.
_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-]@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.[A-Za-z]{2,}\b"
    r"|(?<![\w.%+\[-])[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-]\s*[\[(]\s*at\s*[\])]\s*"
    r"[A-Za-z0-9-]+(?:\s*(?:[\[(]\s*dot\s*[\])]|\.)\s*[A-Za-z]{2,})+\b",
    re.IGNORECASE,
)

# A bare @mention not tied to an app ("@plug_daddy"); not inside e-mails or other handles.
_MENTION_RE = re.compile(rf"(?<![\w.@])@(?=[A-Za-z0-9_.]*[A-Za-z_]){_HANDLE_BODY}(?![\w@])")

# Pointers to the profile or to private messages instead of a contact detail (the paper:
# "referring to their account profile to reference contact information"). "bio" must be a
# whole word in a pointer phrase, so "biology" never counts.
_BIO_RE = re.compile(
    r"\b(?:"
    r"(?:check|see|read|look\s+at|visit)\s+(?:out\s+)?(?:my|the|our)?\s*(?:bio|profile|page)"
    r"|(?:link|info|contact|details|number|prices?|menu)\s+(?:is\s+)?(?:in|on)\s+"
    r"(?:my\s+|the\s+|our\s+)?(?:bio|profile)"
    r"|(?:in|on)\s+(?:my|the|our)\s+(?:bio|profile)"
    r"|bio\s+for\s+(?:info|prices?|contact|details|orders?|more)"
    r"|d\.?m\.?s?(?:\s+(?:me|us|now|to\s+order|for(?:\s+(?:prices?|info|orders?|details|more))?))?"
    r"|(?:pm|inbox|message)\s+(?:me|us|for)|direct\s+message"
    r"|hmu|hit\s+(?:me|us)\s+up"
    r")\b",
    re.IGNORECASE,
)


def _app_handle(text: str, pos: int, weak: bool) -> tuple[int, int] | None:
    """Span of the phone number or handle written after an app name ending at ``pos``."""
    sep = _SEP_RE.match(text, pos)
    at = sep.end()
    # A weak name ("snap", "sc", "tg") needs punctuation or an emoji, not just a space or
    # a filler word, before the handle: "snap: pillsplug" but not "snap a pic".
    punct = _PUNCT_RE.search(sep.group()) is not None
    phone = PHONE_RE.match(text, at)
    if phone and (punct or not weak):
        return phone.span()
    handle = _HANDLE_RE.match(text, at)
    if not handle:
        return None
    word = handle.group().lower()
    if word.startswith("@"):
        return handle.span()
    if weak and not punct:
        return None
    if word in _NOT_HANDLES or word in _PLACEHOLDER_WORDS or APP_MENTION_RE.fullmatch(word):
        return None
    return handle.span()


def find_contacts(text: str) -> list[Contact]:
    """All contact details in ``text`` (see the module docstring), sorted by position."""
    found: list[Contact] = []
    taken = bytearray(len(text))  # 1 = already explained by an earlier, stronger pass

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    def add(kind: str, span: tuple[int, int], claim: tuple[int, int] | None = None) -> None:
        found.append(Contact(kind, *span))
        start, end = claim or span
        taken[start:end] = b"\x01" * (end - start)

    # Order matters: e-mails and links first (they contain "@", "." and app names), then app
    # names with their handle, then loose numbers, bare @mentions, app mentions, pointers.
    for m in _EMAIL_RE.finditer(text):
        add("email", m.span())
    for m in _APP_LINK_RE.finditer(text):
        if free(*m.span()):
            add(_LINK_KIND[m.group("dom").split(".")[0].lower()], m.span())
    mentions: list[tuple[str, tuple[int, int]]] = []
    for m in _APP_LEAD_RE.finditer(text):
        if not free(*m.span()):
            continue
        group = next(g for g, v in m.groupdict().items() if v is not None)
        kind, weak = group[:-1], group.endswith("1")
        span = _app_handle(text, m.end(), weak)
        if span and free(*span):
            add(kind, span, claim=(m.start(), span[1]))
        elif not weak:
            mentions.append((kind, m.span()))
    for m in PHONE_RE.finditer(text):
        if free(*m.span()):
            add("phone", m.span())
    for m in _MENTION_RE.finditer(text):
        if free(*m.span()):
            add("handle", m.span())
    for kind, span in mentions:
        if free(*span):
            add(kind, span)
    for m in _BIO_RE.finditer(text):
        if free(*m.span()):
            add("bio", m.span())
    return sorted(found, key=lambda c: (c.start, c.end))


def contact_kinds(text: str) -> set[str]:
    """Kinds of contact detail in ``text``; never the handle, number or address itself."""
    return {c.kind for c in find_contacts(text)}


# --- offers to buy -------------------------------------------------------------------------

# A buyer's comment: asks the price, asks to buy/order, asks how to reach the seller, or
# gives/asks for a private channel. "not interested" is excluded explicitly.
_OFFER_TO_BUY_RE = re.compile(
    r"\b(?:"
    r"how\s+much|how\s+many\s+for|price|prices|pricing|cost|costs"
    r"|(?<!not\s)(?<!n't\s)interested"
    r"|i(?:\s+(?:want|wanna|need|would\s+like)|'d\s+like)"
    r"|i'?m\s+(?:tryna|trying\s+to)\s+(?:get|buy|cop)"
    r"|need\s+(?:\d+|some|a|an)|want\s+(?:\d+|some)"
    r"|(?:can|could|may)\s+i\s+(?:get|buy|order|have|grab|cop)"
    r"|how\s+(?:do|can)\s+i\s+(?:order|buy|get|pay|contact|reach|cop)"
    r"|where\s+(?:do|can)\s+i\s+(?:order|buy|get|cop)"
    r"|(?:do\s+)?(?:you|u)\s+(?:ship|deliver|sell)|(?:do|did)\s+(?:you|u)\s+(?:have|got)"
    r"|ship\s+to|still\s+(?:selling|available|got|have)|(?:available|selling)\s*\?"
    r"|what'?s\s+(?:your|ur)\s+(?:wickr|kik|telegram|whatsapp|snap|number|email)"
    r"|(?:dm|pm|inbox|text|message)\s+me|dm'?d|hmu|hit\s+me\s+up|check\s+(?:your|ur)\s+dms?"
    r"|plug\s+me|i'?ll\s+take|sign\s+me\s+up|let\s+me\s+get"
    r")(?!\w)",
    re.IGNORECASE,
)


# Contact kinds that, left by a buyer, ask the seller to reach them. Not "bio" or "handle":
# "check my bio" / "@friend look" in comments is mostly spam or tagging, not buying.
_BUYER_CONTACT_KINDS = frozenset({*APPS, "phone", "email"})


def _comment_fields(comment) -> tuple[str, str]:
    if isinstance(comment, dict):
        user, text = comment.get("user"), comment.get("text")
    else:
        user, text = getattr(comment, "user", None), getattr(comment, "text", None)
    return str(user or ""), str(text or "")


def _norm_user(user: str) -> str:
    return user.strip().lstrip("@").lower()


def has_offer_to_buy(caption: str, comments: list, poster: str) -> bool:
    """True when a comment by another user asks to buy, for the price or for contact.

    ``caption`` is accepted for symmetry with the post record; the sale side of the paper's
    "offer for sale and offer to buy" is the post itself. Comments by ``poster`` (compared
    case-insensitively, ignoring a leading "@") and comments with no author are skipped, so a
    seller's own "DM me for prices" never counts as a buyer.
    """
    me = _norm_user(poster or "")
    for comment in comments or ():
        user, text = _comment_fields(comment)
        if not _norm_user(user) or _norm_user(user) == me:
            continue
        if _OFFER_TO_BUY_RE.search(text):
            return True
        # A buyer leaving their own contact ("kik me @x", "my wickr is x") also asks to buy.
        if any(c.kind in _BUYER_CONTACT_KINDS for c in find_contacts(text)):
            return True
    return False
