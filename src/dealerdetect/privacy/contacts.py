"""Contact details in post text: the one detector that redaction and the characterization share.

The paper found that dealers give contact information (an e-mail, a phone number, or an
account on a messaging app: Wickr, Telegram, Kik, WhatsApp), or only point to their profile
("check my bio"). ``privacy.redact`` replaces what this module finds; ``characterization``
counts its kinds. Measured on a hand-labelled fixture (tests/data/detectors/, docs/reproduction.md).

Public API:

    find_contacts(text, phone_regions=None) -> list[Contact]
        Every contact detail, in text order, without overlaps, spans on ``text`` as given;
        detection reads ``text.normalize(text)`` (look-alike letters, full-width and math
        letters, zero-width characters, leet and letter-spaced app names, app emoji, an O for
        a 0), and a second reading with line breaks inside a contact joined. Kinds: the
        messaging apps of :data:`APPS` (the paper's four, Snapchat, :data:`LATER_APPS`),
        "phone", "email", "link" (short links and link-in-bio pages), "bio", "handle";
        ``detail`` says what the span holds: "handle", "phone", "email", "link", "name" (an
        app named without a handle, kept by redaction), "pointer" (a "check my bio" phrase,
        kept) or "mention".
        * An app followed by a handle or number ("wickr: plugdaddy", "kik me @bigbars",
          "whatsapp +1 555 201 3344", "add me on snap xanplug", "#wickrbigplug99") is one
          Contact of the app's kind spanning the handle or number. App links span the link.
          A strong name followed by a plain word takes it as the handle ("kik tournament"):
          the detector leans to redacting. A handle in two words is taken whole where the
          second ends the clause, looks like a handle ("fast kid99") or the next app's name
          follows ("wickr: candy man kik: ..."), as OCR reads a line of contacts.
        * An app named without a handle counts only as a pointer: after "on"/"via"/"add me"
          ("hit me on wickr"), before "me" ("whatsapp me"), or as the exact hashtag ("#kik").
          "telegram from grandma", "kik-off at 3", "snap of the game" are not contacts.
          Short forms ("snap", "sc", "tg", "tele") need ":"/"-"/an arrow, an "@", or a lead such
          as "add me on" before the handle. "ig: name" is a "handle".
        * Phone numbers come from Google's libphonenumber (``phones.find_phones``); numbers in
          words, roman numerals, dingbat digits and vanity numbers are digits to it
          (``text.normalize``).
        * Some ids count whatever is around them: a WeChat "wxid_", a Session id, a Cash App
          "$cashtag" that looks like a handle or follows a payment word, a drawing in block
          characters. "signal:" or "line:" before a sentence is a label, not an app.
        * Text written so that it does not read is read as it spells: a base64 token, a line
          written backwards or upside down (``Contact.reading`` says which).
    contact_kinds(text, phone_regions=None) -> set[str]
        The kinds found, plus "phone" when an app was given as a number.
    contact_values(text, phone_regions=None) -> list[tuple[str, str]]
        ``(kind, canonical value)`` of every detail that names an account: E.164 numbers,
        folded handles without "@", lower-cased e-mails, links without scheme.
    find_phones, regions_key, DEFAULT_PHONE_REGIONS: see ``dealerdetect.privacy.phones``.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from dealerdetect.privacy.phones import (
    DEFAULT_PHONE_REGIONS,
    bracketed_country_code,
    find_phones,
    regions_key,
    to_e164,
)
from dealerdetect.privacy.phones import _phones as _phone_spans
from dealerdetect.stopwords import load_stopwords
from dealerdetect.text import (
    EMOJI_WORDS,
    LEET_KEYS_RE,
    SPACED_RE,
    ascii_folded,
    context_windows,
    find_all,
    finditer_near,
    fold_handle,
    leet_folded,
    line_joins,
    normalize,
    words_around,
)

__all__ = [
    "APPS",
    "APP_MENTION_RE",
    "DEFAULT_PHONE_REGIONS",
    "LATER_APPS",
    "PAPER_APPS",
    "Contact",
    "contact_kinds",
    "contact_values",
    "find_contacts",
    "find_phones",
    "regions_key",
]

PAPER_APPS = ("wickr", "telegram", "kik", "whatsapp")
# The paper's four, Snapchat, and the apps the later literature on drug sales reports.
LATER_APPS = ("signal", "threema", "session", "line", "wechat", "discord", "qq", "kakaotalk")
APPS = (*PAPER_APPS, "snapchat", *LATER_APPS)


@dataclass(frozen=True)
class Contact:
    kind: str
    start: int
    end: int
    detail: str = ""
    # How the span was read when not as written: "base64", "reversed", "flipped" (upside down).
    reading: str = field(default="", compare=False, repr=False)


# --- messaging apps and handles --------------------------------------------------------------
# All patterns run on ``text.normalize``'s text: ASCII letters for every disguise of a Latin
# letter, so word edges are ASCII edges (a handle glued to Chinese text still has an edge).

# Characters that may sit between an app's name and the handle: spaces, ":" "-" "=" "|",
# arrows and emoji ("📲 wickr 👉 plugdaddy"). Never "[" or "]", so a redaction placeholder
# such as "wickr: [HANDLE]" is never read as a handle again.
_SEP_CHARS = (
    r"\s:=>|~*•·\-–—»«›‹/()"
    r"\u2190-\u21ff\u2794-\u27bf\u2b05-\u2b07\u2600-\u26ff\U0001f000-\U0001faff\ufe0f\u200d"
    r"\u3000-\u3003\u300c-\u300f\u3010\u3011"
)
# Filler words between the app and the handle: "wickr me @x", "wickr ID - x", "kik is x",
# "微信号: x" (WeChat number), "카톡 아이디 x" (KakaoTalk ID).
_FILLER = r"(?:me|id|is|at|name|username|user|handle|acc|account|only|channel|group|no|page)"
_CJK_FILLER = r"(?:号码|號碼|号|號|帐号|帳號|账号|아이디|아이디는|ID|是)"
_SEP_RE = re.compile(
    rf"(?:[{_SEP_CHARS}]|(?<![A-Za-z0-9_]){_FILLER}(?![A-Za-z0-9_])|{_CJK_FILLER})*",
    re.IGNORECASE,
)
# Instagram-style handle: letters, digits, "_" and inner dots; "@" optional. It must hold a
# letter or "_", so "100 pills" or "24/7" after an app name is not a handle.
_HANDLE_BODY = r"[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?"
_HANDLE_END = r"(?![A-Za-z0-9_@]|['’][A-Za-z])"
_HANDLE_RE = re.compile(rf"@?(?=[A-Za-z0-9_.]*[A-Za-z_]){_HANDLE_BODY}{_HANDLE_END}")
_AT_GAP_RE = re.compile(r"@[ \t]{1,3}")
# A QQ account is a number of five to eleven digits.
_QQ_NUMBER_RE = re.compile(r"[1-9][0-9]{4,10}(?![0-9])")
# Words that follow an app name in running text and are not handles ("hit me on wickr for
# prices", "join my telegram channel"). Only checked when the candidate has no "@". Any other
# word is taken as a handle: over-redacting a word is the safe error, leaking a handle is not.
_NOT_HANDLES = frozenset(
    """a above account also an and app are asap at available below best bio call channel chat
    contact delivery details dm dms down encrypted fam fast for from group guys here hit i if in
    inbox info is it link me message messages messenger more msg my now number ok on only or
    order orders our please pls plug plz preferred price prices quick safe same secure send so
    story text thanks that the then this to today too ty u ur us users via video we with works
    you your later vs was better bot tutorial bro bruh lol lmao tbh tho though rn
    server servers pay wallet boost tags hashtags""".split()
)
_PUNCT_RE = re.compile(r"[^\sA-Za-z0-9_]")  # a ":" "-" arrow or emoji, not only spaces/words
_PLACEHOLDER_WORDS = frozenset({"url", "email", "phone", "handle"})

# App names. Strong names are unambiguous as whole words; weak ones ("snap a pic", "tg" as
# slang, "signal boost", "line up", "飞机" a plane) need punctuation, "@" or a lead ("add me
# on") before a handle, and never count alone. Names in Chinese, Japanese and Korean script
# may be glued to the handle ("微信abc123").
_STRONG_APPS = {
    # A name cut in two ("tele gram", "snap-chat", "wick r") is still the name.
    "wickr": r"wickr(?:\s?me)?|wickrme|wick[\s.\-]r",
    "telegram": r"tele[\s.\-]?gram|电报|電報|텔레그램|テレグラム",
    "kik": r"kik(?:me)?",
    "whatsapp": r"whats\s?app|왓츠앱|ワッツアップ",
    "snapchat": r"snap[\s.\-]?chat|스냅챗",
    "threema": r"threema|3ma",
    # "绿泡泡" (green bubbles): WeChat by its icon.
    "wechat": r"wechat|weixin|微信|威信|薇信|[Vv]信|위챗|绿泡泡|綠泡泡",
    "discord": r"discord|디스코드",
    "kakaotalk": r"kakao\s?talk|카카오톡|카톡",
    "qq": r"扣扣",
}
_WEAK_APPS = {
    "telegram": r"tg|tele|飞机|飛機|纸飞机|紙飛機|텔레",
    # Apps named by a euphemism: the ghost or the yellow app (Snapchat), the green bubble or
    # "V" (WeChat); a payment app or a "backup" account names an account too.
    "snapchat": r"snap|sc|snapemoji|ghost\s?app|yellow\s?app",
    "handle": r"ig|insta|instagram|phonemoji|backup|back\s?up|bkup|venmo",
    "signal": r"signal|sgnl",
    "session": r"session",
    "line": r"line|라인|ライン",
    "wechat": r"vx|wx|green\s?bubble|v",
    "qq": r"qq",
    "kakaotalk": r"kakao|카카오",
}
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# A whole name: not inside another word ("kicking", "telegraph", "wicker") nor a handle/link.
# Not right after a placeholder either: "#[HANDLE]kik" is a redacted hashtag, not the app.
_EDGE_L, _EDGE_R = r"(?<![A-Za-z0-9_@./\]])", r"(?![A-Za-z0-9_/]|\.[A-Za-z])"


def _name_alt(pat: str) -> str:
    """Latin names need word edges; CJK names may be glued to the text on either side."""
    latin = [p for p in pat.split("|") if not _CJK_RE.search(p)]
    cjk = [p for p in pat.split("|") if _CJK_RE.search(p)]
    out = [rf"{_EDGE_L}#?(?:{'|'.join(latin)}){_EDGE_R}"] if latin else []
    if cjk:
        out.append(rf"#?(?:{'|'.join(cjk)})")
    return "|".join(out)


# Named groups ``<kind>_<0 strong|1 weak>``.
_APP_LEAD_RE = re.compile(
    "|".join(
        rf"(?P<{kind}_{i}>{_name_alt(pat)})"
        for i, table in enumerate((_STRONG_APPS, _WEAK_APPS))
        for kind, pat in table.items()
    ),
    re.IGNORECASE,
)
# Where an app name may start, found fast: scanning the whole alternation at every character
# was most of the cost of a long caption. A Latin name starts a word (its first word is in
# _FIRST_WORDS); a CJK name is found by its own alternation of literals.
_FIRST_WORDS = frozenset(
    re.split(r"\\s|\(|\?|\[", alt, maxsplit=1)[0].lower()
    for table in (_STRONG_APPS, _WEAK_APPS)
    for pat in table.values()
    for alt in pat.split("|")
    if not _CJK_RE.search(alt)
) | {"v", "whats", "whatsapp", "kakao", "kakaotalk", "kikme", "wickr", "wickrme"}
# Names whose pattern starts with a cut-able piece ("tele[ .-]?gram") are also whole words.
_FIRST_WORDS |= {"telegram", "snapchat", "wick"}
# A whole word (a run of ASCII letters) that is one of _FIRST_WORDS, on ``text.ascii_folded``.
_FIRST_WORD_RE = re.compile(
    rb"(?<![a-z])(?:"
    + b"|".join(w.encode() for w in sorted(_FIRST_WORDS, key=len, reverse=True))
    + rb")(?![a-z])"
)
_CJK_NAME_RE = re.compile(
    "|".join(
        alt
        for table in (_STRONG_APPS, _WEAK_APPS)
        for pat in table.values()
        for alt in pat.split("|")
        if _CJK_RE.search(alt) and not alt.startswith("[")
    )
)


def _app_leads(text: str):
    """The matches of _APP_LEAD_RE.finditer(text), trying only where a name may start."""
    starts = [
        w.start() - (w.start() > 0 and text[w.start() - 1] == "#")
        for w in _FIRST_WORD_RE.finditer(ascii_folded(text))
    ]
    cjk = (
        []
        if text.isascii()
        else [
            m.start() - (m.start() > 0 and text[m.start() - 1] == "#")
            for m in _CJK_NAME_RE.finditer(text)
        ]
    )
    if cjk:
        starts = sorted(set(starts) | set(cjk))
    end = 0
    for pos in starts:
        if pos < end:
            continue
        m = _APP_LEAD_RE.match(text, pos)
        if m is None and text[pos] == "#":
            m = _APP_LEAD_RE.match(text, pos + 1)
        if m is not None:
            end = m.end()
            yield m


# The exact text of an app mention (word or hashtag); privacy uses it to keep app names.
APP_MENTION_RE = re.compile(rf"#?(?:{'|'.join(_STRONG_APPS.values())})", re.IGNORECASE)
# Words before an app that make it a way to reach the writer: "hit me on wickr", "add me on
# snap x", "order via telegram", "my kik", "hmu on tele", "加微信" (add on WeChat).
# A bare "on" is not enough: "send this to someone on snapchat".
_LEAD_RE = re.compile(
    r"(?:\b(?:via|thru|through|add|hmu|msg|message|text|my|our)\s+"
    r"|\b(?:me|us|hmu|contact|order|orders|available|reach|find\s+(?:me|us))\s+(?:up\s+)?"
    r"(?:on|at|via|in|thru|through)\s+"
    r"|(?:加|➕|\+|联系|聯繫|添加|私聊|找我|加我)\s*)$",
    re.IGNORECASE,
)
# Weak names that are common words; only "add (me) on" / "on" / "via" before them is a lead.
_AMBIGUOUS_APPS = frozenset({"signal", "line", "session"})
_ON_LEAD_RE = re.compile(r"\b(?:on|via|thru|through|add)\s+$", re.IGNORECASE)
# The app talked about, not a way to reach the writer: "what's your wickr" asks for someone
# else's, "whatsapp vs telegram", "who uses kik", "deleted wickr" speak of the app itself.
_NOT_OURS_RE = re.compile(
    r"\b(?:your|ur|ya|yo|vs\.?|versus|than|uses|using|deleted?|installed?|downloaded?|hate"
    r"|love|about|what'?s)\s+$",
    re.IGNORECASE,
)
# Two-letter forms ("tg", "sc" are also slang and place names) and app emoji need a handle
# that looks like one: with a digit, "_", "." or "@" ("sc 👉 molly_plug", not "TG: thanksgiving").
_SHORT_FORMS = frozenset({"tg", "sc", "vx", "wx", "qq"})
_NEXT_TAG_RE = re.compile(r"[ \t]+#(?=[A-Za-z0-9_]*[0-9_])([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_])")
# Names that are also ordinary words or letters ("V for victory", "make a backup"): the handle
# after them must look like one, or nothing is found.
_HANDLE_LIKE_ONLY = frozenset({"v", "backup", "bkup"})
_EMOJI_FORMS = frozenset(EMOJI_WORDS)
_HANDLE_LIKE_RE = re.compile(r"@|[\d_.]")
_IS_RE = re.compile(r"(?<![A-Za-z])is(?![A-Za-z])", re.IGNORECASE)
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
    rf"\s*(?:,|/|\||\bor\b)\s*#?(?:{'|'.join(_STRONG_APPS.values())})(?![A-Za-z0-9_])",
    re.IGNORECASE,
)
# A hashtag that glues a handle to the app: "#wickrbigplug99", "#wickr_plugdaddy",
# "#plug_daddy_wickr", "#xanplugtelegram"; not the generic tags dealers use ("#wickrplug",
# "#kikme", "#buyonwickr").
_TAG_APPS = "|".join(p for p in _STRONG_APPS.values())
_APP_TAG_RE = re.compile(
    rf"(?<![A-Za-z0-9_#])#(?P<app>{_TAG_APPS})_?(?P<h>[A-Za-z0-9_]+)", re.IGNORECASE
)
_TAG_APP_RE = re.compile(
    rf"(?<![A-Za-z0-9_#])#(?P<h>[A-Za-z0-9_]+?)_?(?P<app>{_TAG_APPS})(?![A-Za-z0-9_])",
    re.IGNORECASE,
)
# Every match of the two holds a strong app's name, and each Latin name starts with one of
# these literals (CJK names have none); a caption with none of them and no CJK character
# skips both scans, which try every hashtag at every character. The four non-ASCII letters
# that re.IGNORECASE reads as ASCII ones ("K" Kelvin sign, "ſ", "İ", "ı") skip no scan.
_TAG_APP_LITERALS = sorted(
    {
        re.match(r"[A-Za-z0-9]+", alt).group().lower()
        for pat in _STRONG_APPS.values()
        for alt in pat.split("|")
        if not _CJK_RE.search(alt)
    }
)
_TAG_APP_LITERAL_RE = re.compile(b"|".join(w.encode() for w in _TAG_APP_LITERALS))
_IGNORECASE_ASCII_LOOKALIKES_RE = re.compile("[\u212a\u017f\u0130\u0131]")


def _may_hold_tag_app(text: str) -> bool:
    """False only where neither ``_APP_TAG_RE`` nor ``_TAG_APP_RE`` can match ``text``."""
    if "#" not in text:
        return False
    if not text.isascii() and (
        _CJK_RE.search(text) or _IGNORECASE_ASCII_LOOKALIKES_RE.search(text)
    ):
        return True
    return _TAG_APP_LITERAL_RE.search(ascii_folded(text)) is not None


_GENERIC_TAG_TAILS = frozenset(
    "me plug plugs plugz only dealer dealers connect vendor vendors shop store sale sales id us "
    "available ready friendly friends group groups channel channels chat chats server servers "
    "pay app apps user users messenger account accounts number numbers".split()
)
_GENERIC_TAG_HEADS = frozenset(
    "add addme addmeon hmu hmuon my our on via use buy buyon order orderon join joinmy find "
    "findme findmeon msg msgme text textme only the best free new get dm dmme hit hitme "
    "hitmeup hitmeupon".split()
)

# Links that open a chat on the app; the whole link identifies the account. Dots may be
# written "(.)", "[dot]" or " dot ".
# ... or with blanks around it ("t . me / x").
_DOT = r"(?:\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*|\s+dot\s+|[ \t]{0,2}\.[ \t]{0,2})"
_APP_LINK_RE = re.compile(
    r"(?<![A-Za-z0-9_.])(?:https?://)?(?:www\.)?"
    rf"(?P<dom>wickr{_DOT}me|t{_DOT}me|telegram{_DOT}(?:me|dog)|wa{_DOT}me"
    rf"|api{_DOT}whatsapp{_DOT}com/send\?phone=|kik{_DOT}me|snapchat{_DOT}com/add"
    rf"|tg://resolve\?domain=|signal{_DOT}me/#(?:p|eu|u)|signal{_DOT}group/#"
    rf"|discord{_DOT}gg|line{_DOT}me/ti/p"
    rf"|threema{_DOT}id|u{_DOT}wechat{_DOT}com)\s*/?(?<=[/=p#])\s*[A-Za-z0-9_.+~-]*[A-Za-z0-9_]",
    re.IGNORECASE,
)
# A link's dot written with blanks ("t . me"): anchors for the app links.
_SPACED_DOT_ME_RE = re.compile(rb"[ \t]\.[ \t]{0,2}me|\.[ \t]{1,2}me")
_LINK_KIND = {
    "wickr": "wickr",
    "t": "telegram",
    "telegram": "telegram",
    "tg": "telegram",
    "wa": "whatsapp",
    "api": "whatsapp",
    "kik": "kik",
    "snapchat": "snapchat",
    "signal": "signal",
    "discord": "discord",
    "line": "line",
    "threema": "threema",
    "u": "wechat",
}
# Short links and link-in-bio pages: the page behind them carries the contact.
_LINK_HOSTS = (
    "linktr.ee lnk.bio linkin.bio linkr.bio bio.link beacons.ai solo.to tap.bio campsite.bio "
    "allmylinks.com carrd.co msha.ke heylink.me bit.ly is.gd v.gd rb.gy tinyurl.com t.ly "
    "cutt.ly shorturl.at ow.ly goo.gl buff.ly rebrand.ly s.id t.co tiny.cc bl.ink shorte.st "
    "adf.ly qrco.de"
).split()
_SHORT_LINK_RE = re.compile(
    r"(?<![A-Za-z0-9_.@-])(?:https?://)?(?:www\.)?(?:"
    + "|".join(_DOT.join(re.escape(part) for part in h.split(".")) for h in _LINK_HOSTS)
    + r")(?![A-Za-z0-9])(?:\s*/\s*[A-Za-z0-9_.~+-]*[A-Za-z0-9_])?",
    re.IGNORECASE,
)

# A number labelled as something else: "order #123456789", "UPC: 012345678905", "tracking no.
# 9400111899223344", "SKU 4006381333931". Numbers written with "+" are phones whatever the label.
_NUMBER_LABEL_RE = re.compile(
    r"(?:\b(?:order|orders|invoice|ref|reference|tracking|track|upc|ean|isbn|sku|serial|item"
    r"|batch|lot|po|receipt|transaction|txn|case|ticket|account|acct|iban|routing|model|part"
    # A meeting's number and PIN ("Zoom meeting ID 845 2291 3307", "Meet PIN 482 119 337#").
    r"|meeting|webinar|conference|zoom|pin|passcode|access\s+code)"
    r"\s*(?:#|no\.?|nr\.?|num(?:ber)?|id|code)?\s*[:#.]?\s*|#\s*)$",
    re.IGNORECASE,
)

# E-mail addresses, plain or written "rx.store [at] gmail [dot] com" / "rx at gmail dot com"
# / "rx{at}gmail(dot)com" / "rx＠gmail。com" (full-width forms are folded before).
_PROVIDERS = (
    r"(?:gmail|g?mail|yahoo|hotmail|outlook|live|aol|icloud|proton(?:mail)?|tutanota|qq|163|126)"
)
_LOCAL = r"(?<![A-Za-z0-9._%+\[-])[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-]"
# "at"/"dot" also in Spanish ("arroba", "punto").
_AT_BR = r"\s*[\[({<]\s*(?:at|arroba)\s*[\])}>]\s*"
_DOT_BR = r"(?:\s*[\[({<]\s*(?:dot|punto|\.)\s*[\])}>]\s*|\s+(?:dot|punto)\s+)"
_TLD = (
    rf"(?:com|net|org|me|ch|de|co(?:\.|{_DOT_BR})uk|uk|ru|io|fr|nl|es|it|ca|au|in|cn|jp|kr|info"
    r"|biz|cc)"
)
# An emoji or bullet for "@" or "." ("rx🌀gmail⚫com", "rx 📧 proton 🔹 com"); "ⓐ" reads "a".
_EMOJI_SIGN = r"(?:[\u2022\u00b7\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]\ufe0f?)"
# "@" as OCR misreads it, or as a dealer draws it to dodge a filter: "©", "®".
_AT_SIGN = "[@\u00a9\u00ae]"
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9.%+-])[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-]@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.[A-Za-z]{2,}(?![A-Za-z0-9])"
    # ... with a blank inside the domain, as OCR puts one ("rx_box@gm ail.com")
    r"|(?<![A-Za-z0-9.%+-])[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-]@[A-Za-z0-9-]+ [A-Za-z0-9-]+"
    rf"(?:\.[A-Za-z0-9-]+)*\.{_TLD}(?![A-Za-z0-9])"
    # "[at]" / "(at)" / "{at}" / "@" with any dot
    # ... or with blanks on either side of it ("rx@ gmail.com": OCR reads a gap there)
    rf"|{_LOCAL}(?:{_AT_BR}|\s?{_AT_SIGN}\s?)[A-Za-z0-9-]+(?:(?:{_DOT_BR}|\s?\.\s?)[A-Za-z0-9-]+)*"
    rf"(?:{_DOT_BR}|\s?\.\s?){_TLD}(?![A-Za-z0-9])"
    # " at " with a known provider, or with " dot "
    rf"|{_LOCAL}\s+(?:at|arroba)\s+{_PROVIDERS}(?:{_DOT_BR}|\s*\.\s*){_TLD}(?![A-Za-z0-9])"
    # an emoji for "@" and for "." with a known provider
    rf"|{_LOCAL}\s?(?:{_EMOJI_SIGN}|(?<=\s)a(?=\s))\s?{_PROVIDERS}\s?(?:{_EMOJI_SIGN}|\.)\s?{_TLD}"
    r"(?![A-Za-z0-9])"
    # a known provider without a top-level domain ("rx@gmail", "rx arroba gmail"); after a
    # bare " at " only when the name looks like an address's or a mail cue comes before
    rf"|{_LOCAL}(?:\s?{_AT_SIGN}\s?|{_AT_BR}|\s+arroba\s+){_PROVIDERS}(?![A-Za-z0-9.@-])"
    rf"|(?P<bare>{_LOCAL}\s+at\s+{_PROVIDERS}(?![A-Za-z0-9.@-]))"
    # ... and " at " with any domain only when the name looks like an address's ("plug.rx at
    # x dot net") or a cue word comes before it ("orders: rx at gmx dot net"), not a word of
    # prose ("the line at starbucks dot com")
    rf"|(?P<prose>{_LOCAL}\s+at\s+[A-Za-z0-9-]+{_DOT_BR}{_TLD}(?![A-Za-z0-9]))",
    re.IGNORECASE,
)
# Words before an address written out that make it one: a mail or order cue.
_MAIL_CUE_RE = re.compile(
    r"\b(?:e-?mail|mail|correo|contact|orders?|tracking|enquiries|inquiries)\b[\s:#\-=>→👉]*$",
    re.IGNORECASE,
)
_ADDRESS_LIKE_RE = re.compile(r"[0-9_.]")

# A bare @mention not tied to an app ("@plug_daddy"); not inside e-mails or other handles.
_MENTION_RE = re.compile(
    rf"(?<![A-Za-z0-9_.@])@(?=[A-Za-z0-9_.]*[A-Za-z_]){_HANDLE_BODY}(?![A-Za-z0-9_@])"
)

# Pointers to the profile or to private messages instead of a contact detail (the paper:
# "referring to their account profile to reference contact information"). "bio" must be a
# whole word in a pointer phrase, so "biology" never counts. A DM pointer that names the
# channel ("hmu on tele", "DM me on wickr") is that app's contact, not a pointer; "dm'd" is
# past, not a pointer.
_APP_WORD = r"(?:wickr|tele(?:gram)?|tg|kik|whats\s?app|snap(?:chat)?|sc|signal|threema|wechat|discord|line)\b"
_BIO_RE = re.compile(
    r"\b(?:"
    r"(?:check|see|read|look\s+at|visit)\s+(?:out\s+)?(?:my|the|our)?\s*(?:bio|profile|page)"
    r"|(?:link|info|contact|details|number|prices?|menu|name|handle|username)\s+(?:is\s+)?"
    r"(?:in|on)\s+(?:my\s+|the\s+|our\s+)?(?:bio|profile|page)"
    r"|(?:my|our)\s+dm'?s\s+(?:are\s+)?open"
    r"|(?:in|on)\s+(?:my|the|our)\s+(?:bio|profile)"
    r"|link\s*in\s*bio"
    r"|bio\s+for\s+(?:info|prices?|contact|details|orders?|more)"
    r"|(?<!my\s)(?<!your\s)(?<!ur\s)(?<!the\s)(?:d\.?m\.?s?|dm'?s)(?!'d|ed)"
    r"(?:\s+(?:me|us|now|only|open|to\s+order|for(?:\s+(?:prices?|info|orders?|details|more))?))?"
    r"|(?:pm|inbox|message)\s+(?:me|us|for)|direct\s+message"
    r"|hmu|hit\s+(?:me|us)\s+up"
    rf")\b(?!(?:\s+(?:me|us))?\s+(?:(?:on|via)\s+{_APP_WORD}|there\b))",
    re.IGNORECASE,
)


# What every match of a pattern must hold (see ``text.finditer_near``), as positions: an
# e-mail an "@" or the word "at"; a link a dot between a letter or digit and a letter, a
# bracketed dot, "dot", "://" or "www."; a pointer one of its words.
_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")
_LETTER_BYTES = frozenset(bytes([c]) for c in b"abcdefghijklmnopqrstuvwxyz")
# "(.)", "[ . ]": a bracket, blanks (NUL stands for any non-ASCII character) and a dot.
_BRACKET_DOT_RE = re.compile(rb"[\[({<][\s\x00]*\.")


def _email_anchors(text: str) -> list[int]:
    folded = ascii_folded(text)
    at = [
        i
        for i in find_all(folded, b"at")
        if (i == 0 or folded[i - 1] not in _ALNUM)
        and (i + 2 >= len(folded) or folded[i + 2] not in _ALNUM)
    ]
    # The dots of a long domain ("x@gmail dot co dot uk", "x@a . b . c") carry the window on;
    # a provider's name anchors an address whose "@" is a word or an emoji.
    providers = [m.start() for m in _PROVIDER_BYTES_RE.finditer(folded)]
    return sorted(
        find_all(folded, b"@")
        + at
        + link_anchors(text)
        + find_all(folded, b" . ")
        + find_all(folded, b"arroba")
        + providers
    )


_PROVIDER_BYTES_RE = re.compile(rb"mail|yahoo|outlook|live|aol|icloud|proton|tutanota|qq|163|126")
# On ``ascii_folded`` text: what a blank may be (NUL: any non-ASCII character, also a blank
# that str's \s reads and bytes' does not), "at"/"arroba" as _EMAIL_RE writes it (after a
# blank or an opening bracket, before a blank or a closing one).
_FOLDED_BLANK = rb"\s\x00\x1c-\x1f"
_AT_WORD_BYTES_RE = re.compile(
    rb"[" + _FOLDED_BLANK + rb"\[({<](?:at|arroba)(?=[" + _FOLDED_BLANK + rb"\])}>])"
)
# The one alternative without either: a provider right after an emoji or a lone "a".
_SIGN_PROVIDER_RE = re.compile(rf"(?:{_EMOJI_SIGN}|(?<=\s)a(?=\s))\s?{_PROVIDERS}", re.IGNORECASE)


def _may_hold_email(text: str) -> bool:
    """False only where no alternative of ``_EMAIL_RE`` can match: each needs an "@" (or "©",
    "®"), "at"/"arroba" as a word or in brackets, or a provider's name after an emoji or a lone
    "a"; most captions have none, and the scan tries every character near every dot."""
    folded = ascii_folded(text)
    if b"@" in folded or "\u00a9" in text or "\u00ae" in text:
        return True
    if _AT_WORD_BYTES_RE.search(folded):
        return True
    return _SIGN_PROVIDER_RE.search(text) is not None


@functools.lru_cache(maxsize=8)
def link_anchors(text: str) -> list[int]:
    """Where a link may be: "://", "www.", "dot", and a "." before a letter or after a
    bracket ("x.me", "x [.] me")."""
    folded = ascii_folded(text)
    dots = [i for i in find_all(folded, b".") if folded[i + 1 : i + 2] in _LETTER_BYTES]
    dots += [m.start() for m in _BRACKET_DOT_RE.finditer(folded)]
    return sorted(
        dots + find_all(folded, b"dot") + find_all(folded, b"://") + find_all(folded, b"www.")
    )


_BIO_WORDS = (
    b"bio",
    b"profile",
    b"page",
    b"dm",
    b"d.m",
    b"pm",
    b"inbox",
    b"message",
    b"hmu",
    b"hit",
)


def _bio_anchors(text: str) -> list[int]:
    folded = ascii_folded(text)
    return sorted(i for word in _BIO_WORDS for i in find_all(folded, word))


def _stopwords() -> frozenset[str]:
    """The English list step 2 removes: "who needs wickr when ..." holds English words, not
    handles."""
    return load_stopwords("english")


def _app_handle(
    text: str,
    pos: int,
    weak: bool,
    lead: bool,
    phone_at: dict[int, int],
    glued: bool,
    qq: bool,
    number_ok: bool = False,
    kind: str = "",
) -> tuple[tuple[int, int], str] | None:
    """Span and detail of the number or handle written after an app name ending at ``pos``."""
    sep = _SEP_RE.match(text, pos)
    at = sep.end()
    # "kik-off", "snap-back": a hyphen straight into a word is a compound, not a handle.
    if sep.group() == "-" and at < len(text) and text[at].isalpha():
        return None
    # A weak name ("snap", "sc", "tg") needs punctuation, an emoji or a lead ("add me on"),
    # not just a space or a filler word, before the handle: "snap: pillsplug", not "snap a pic".
    # A name in Chinese, Japanese or Korean glued to a Latin handle is as good ("飞机abc123").
    punct = _PUNCT_RE.search(sep.group()) is not None or (glued and at == pos)
    # The separator may have eaten the number's own "(" or "+": "whatsapp (213) 555-0138".
    for start in (at - 1, at):
        if start in phone_at and start >= pos and (punct or lead or not weak or number_ok):
            return (start, phone_at[start]), "phone"
    if qq and (punct or lead):
        number = _QQ_NUMBER_RE.match(text, at)
        if number:
            return number.span(), "handle"
    handle = _HANDLE_RE.match(text, at)
    if not handle and text.startswith("@", at):
        # "telegram @ rx_house": the "@" given its own word still marks the handle after it.
        gap = _AT_GAP_RE.match(text, at)
        body = _HANDLE_RE.match(text, gap.end()) if gap else None
        if body and not body.group().startswith("@"):
            return (at, _handle_end(text, body.end(), kind, True)), "handle"
    if not handle:
        return None
    word = handle.group().lower()
    if word.startswith("@"):
        return (handle.start(), _handle_end(text, handle.end(), kind, False)), "handle"
    if weak and not (punct or lead):
        # "snap is xan.queen": after a bare "is" a handle that looks like one still counts.
        if kind in _AMBIGUOUS_APPS or not _IS_RE.search(sep.group()):
            return None
        if not _HANDLE_LIKE_RE.search(word):
            return None
    end = _handle_end(text, handle.end(), kind, punct)
    if (
        weak
        and kind in _AMBIGUOUS_APPS
        and not lead
        and not re.search("[A-Za-z]", sep.group())
        and not _HANDLE_LIKE_RE.search(word)
        and end == handle.end()
        and not _CLAUSE_END_RE.match(text, end)
        and not _CONTACT_TAIL_RE.match(text, end)
    ):
        # "Line: sold out today", "signal: turn left": a label before a sentence. A plain word
        # is the handle only when it ends its clause ("line: plugdaddy", "signal: xanplug 👈").
        return None
    # "kik is dead", "Telegram is popular", "my QQ is sad": after a bare "is" an ordinary word
    # describes the app; a handle there must look like one, unless a strong name has a lead
    # ("my wickr is plugdaddy").
    if not punct and _IS_RE.search(sep.group()) and not _HANDLE_LIKE_RE.search(word):
        if weak or not lead:
            return None
    if (
        word in _NOT_HANDLES
        and (punct or _SECOND_HANDLE_RE.match(text, handle.end()))
        and end > handle.end()
        and word not in _stopwords()
    ):
        return (handle.start(), end), "handle"  # "wickr: plug daddy", "wickr plug 4u"
    if (
        word in _NOT_HANDLES
        or word in _PLACEHOLDER_WORDS
        or word in _stopwords()  # "who needs wickr when ...": English words, not handles
        or APP_MENTION_RE.fullmatch(word)
    ):
        return None
    return (handle.start(), end), "handle"


# Words that end a contact rather than go on with a sentence ("line: plugdaddy only").
_CONTACT_TAIL_RE = re.compile(r"[ \t]+(?:only|hmu|dms?|asap|pls|plz|now)\b", re.IGNORECASE)
_CLAUSE_END_RE = re.compile(r"[ \t]*(?:$|[\r\n]|[^\sA-Za-z0-9_])")
# The second word of a handle written in two ("wickr: plug daddy", "kik: big bars99"): one
# more word with a letter (not a number's first digits) on the line that ends the clause (the line ends, or punctuation or an emoji comes).
_SECOND_WORD_RE = re.compile(
    r"[ \t]{1,2}((?=[0-9_]*[A-Za-z])[A-Za-z0-9_]{2,20})(?=[ \t]*(?:$|[\r\n]|[^\sA-Za-z0-9_])"
    # or the next app's name and its separator: contacts one after another on a line OCR read
    r"|[ \t]+(?:wickr|telegram|kik|snap|snapchat|whatsapp|signal|threema|wechat|discord)"
    r"[ \t]*[:\-=>])",
    re.IGNORECASE,
)
# Or a second word that looks like a handle's end (letters with digits or "_"), whatever comes
# after it: "wickr: fast kid99 telegram: fast kid99", a line OCR read as one.
# It starts with a letter, so a dose ("xanax 2mg", "perc 30s") is never one.
_SECOND_HANDLE_RE = re.compile(
    r"[ \t]{1,2}((?=[A-Za-z_]*[0-9_])[A-Za-z_][A-Za-z0-9_]{1,19})(?![A-Za-z0-9_@.])"
)
# WeChat ids and payment handles may hold "-" ("rx-plug88", "venmo @plug-daddy-rx").
_HYPHEN_TAIL_RE = re.compile(r"(?:-[A-Za-z0-9_]+)+(?![A-Za-z0-9_@])")
_HYPHEN_KINDS = frozenset({"wechat", "handle"})


def _handle_end(text: str, end: int, kind: str, two_words: bool) -> int:
    """Where a handle that ends at ``end`` really ends: over "-" pieces for the apps whose ids
    hold them, and over a second word (any after punctuation, ``two_words``)."""
    if kind in _HYPHEN_KINDS:
        tail = _HYPHEN_TAIL_RE.match(text, end)
        if tail:
            end = tail.end()
    # After punctuation ("wickr: plug daddy") a plain second word may go on the handle; without
    # it only one that looks like a handle's end ("kik vip box1").
    nxt = _SECOND_HANDLE_RE.match(text, end)
    if two_words:
        nxt = _SECOND_WORD_RE.match(text, end) or nxt
    if nxt:
        w = nxt.group(1).lower()
        if not (
            w in _NOT_HANDLES
            or w in _PLACEHOLDER_WORDS
            or w in _stopwords()
            or APP_MENTION_RE.fullmatch(w)
        ):
            end = nxt.end(1)
    return end


_VALUE_DETAILS = frozenset({"handle", "mention", "phone", "email", "link"})
# How far back and ahead a detector looks from a detail (the longest look-behind is 40
# characters): a window of text is read again with at least this much around it.
CONTEXT = _CONTEXT = 64


def find_contacts(text: str, phone_regions: Iterable[str] | None = None) -> list[Contact]:
    """All contact details in ``text`` (see the module docstring), sorted by position.

    Spans are on ``text`` as given; detection reads ``text.normalize(text)``.
    """
    return list(_find_contacts(str(text), regions_key(phone_regions)))


@functools.lru_cache(maxsize=65536)
def _find_contacts(text: str, regions: tuple[str, ...]) -> tuple[Contact, ...]:
    found = list(_read_contacts(text, regions))
    found += _other_readings(text, regions, found)
    return tuple(sorted(found, key=lambda c: (c.start, c.end)))


@functools.lru_cache(maxsize=4096)
def _read_contacts(text: str, regions: tuple[str, ...]) -> tuple[Contact, ...]:
    """The details of ``text`` as written (and with line breaks joined), no other reading."""
    norm = normalize(text)
    found = [
        Contact(c.kind, *norm.span(c.start, c.end), c.detail) for c in _detect(norm.text, regions)
    ]
    joins = line_joins(text)
    if joins:
        # A second reading with line breaks inside words and numbers removed: "plug\ndaddy99",
        # "555-201-\n3344". Only what crosses a break is new, so only the lines around the
        # joined breaks are read again. What crosses a break holds the characters on both
        # sides of it: a break next to a detail already found can add nothing.
        taken = bytearray(len(text) + 1)
        for c in found:
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        near = []
        for s, e in joins:
            # A detail next to the break may go on after it only with digits or "_" there
            # (a Session id or a number cut by a line break), never with a word ("\nthanks").
            goes_on = _GOES_ON_RE.match(text, e) is not None
            if goes_on or (not taken[s - 1] and not taken[e]):
                first = _join_context(text, s, e)
                if first is not None:
                    near.append((first, e))
        # Read with the lines around as context; keep what reaches into the window.
        for ca, cb, a, b in context_windows(text, near, 0, 4, _CONTEXT):
            joined = normalize(text[ca:cb], join_lines=True)
            for c in _detect(joined.text, regions):
                s, e = joined.span(c.start, c.end)
                s, e = s + ca, e + ca
                if e <= a or s >= b:
                    continue
                if c.detail not in _VALUE_DETAILS or "\n" not in text[s:e]:
                    continue
                if any(taken[s:e]):
                    # It may take the place of details it holds whole, cut at the break.
                    brk = text.rfind("\n", s, e)
                    inside = [f for f in found if f.start < e and f.end > s]
                    if not (
                        _GOES_ON_RE.match(text, brk + 1)
                        and all(s <= f.start and f.end <= e for f in inside)
                    ):
                        continue
                    found = [f for f in found if f not in inside]
                found.append(Contact(c.kind, s, e, c.detail))
                taken[s:e] = b"\x01" * (e - s)
    return tuple(sorted(found, key=lambda c: (c.start, c.end)))


_GOES_ON_RE = re.compile(r"[ \t]*[A-Za-z0-9]*[0-9_]")

# --- text written so that it does not read: base64, backwards, upside down -----------------
_B64_RE = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,2000}={0,2}(?![A-Za-z0-9+/=])")
# Words that read backwards only in text written backwards: app names, "call", "text",
# ".com", "t.me", "kik me", "email".
_REVERSED_RE = re.compile(
    rb"rkciw|margelet|ppastahw|tahcpans|langis|ameerht|tahcew|drocsid|moc\.|em\.t|llac"
    rb"|txet|em kik|liame"
)
# Letters turned upside down (written so, the text also runs backwards), and back.
_UNFLIP = {
    **dict(zip("ɐqɔpǝɟƃɓɥᴉıɾʞɯudbɹʇnʌʍʎ", "abcdefgghiijkmnpqrtuvwy", strict=True)),
    **dict(zip("˙‾Ɩᄅ\u0190ㄣϛ9ㄥ6¿¡", "._12345679?!", strict=True)),
}
_FLIPPED_RE = re.compile("[ɐɔǝɟƃɓɥᴉıɾʞɯɹʇʌʍʎ]")


def _b64_text(token: str) -> str | None:
    """The text a base64 token spells, when it is printable text; else None."""
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
        got = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    return got if len(got) >= 6 and got.isprintable() else None


def _unflip(line: str) -> str:
    return "".join(_UNFLIP.get(c, c) for c in reversed(line))


_READ_AS = {"reversed": lambda t: t[::-1], "flipped": _unflip}


def _other_readings(text: str, regions: tuple[str, ...], found: list[Contact]) -> list[Contact]:
    """Details written so that they do not read: a base64 token, a line written backwards or
    upside down. Each is read as it spells (the token decoded, the line turned) where a cue
    says it may hold one, and a detail found so is mapped back onto the token or the line."""
    taken = bytearray(len(text) + 1)
    for c in found:
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    out: list[Contact] = []
    for m in _B64_RE.finditer(text):
        if taken.find(1, *m.span()) >= 0 or (m.group().isalpha() and m.group().islower()):
            continue  # a long lower-case word is a word
        decoded = _b64_text(m.group())
        inner = decoded and [
            c for c in _read_contacts(decoded, regions) if c.detail in _VALUE_DETAILS
        ]
        if inner:
            out.append(Contact(inner[0].kind, *m.span(), inner[0].detail, "base64"))
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    lines = set()
    for m in _REVERSED_RE.finditer(ascii_folded(text)):
        lines.add((text.rfind("\n", 0, m.start()) + 1, "reversed"))
    if not text.isascii():
        counts: dict[int, int] = {}
        for m in _FLIPPED_RE.finditer(text):
            start = text.rfind("\n", 0, m.start()) + 1
            counts[start] = counts.get(start, 0) + 1
        lines.update((start, "flipped") for start, n in counts.items() if n >= 3)
    for start, how in sorted(lines):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        turned = _READ_AS[how](text[start:end])
        for c in _read_contacts(turned, regions):
            s, e = start + (end - start) - c.end, start + (end - start) - c.start
            if c.detail in _VALUE_DETAILS and taken.find(1, s, e) < 0:
                out.append(Contact(c.kind, s, e, c.detail, how))
                taken[s:e] = b"\x01" * (e - s)
    return out


# A joined line break can only matter where a contact detail may cross it: a number on both
# sides, or near the break what a detector needs (an app's name, also in leet or spaced
# letters, "@", "#", "at", a link, a character other than ASCII).
_NEAR_JOIN_RE = re.compile(
    r"[@#]|://|www\.|dot|\.[A-Za-z]|(?<![A-Za-z])at(?![A-Za-z])|[^\x00-\x7f]"
    r"|(?<![A-Za-z])(?:"
    + "|".join(sorted((w for w in _FIRST_WORDS if len(w) > 1), key=len, reverse=True))
    + r")(?![A-Za-z])",
    re.IGNORECASE,
)
# Characters of a number on either side of a break: "555-201-\n3344", "555\n-201-3344",
# "(213)\n555", "555-2O1\nO344"; not two letters ("hello\nOk").
_NUMBER_CHARS = frozenset("0123456789OoIl-./()+")
# A word that may stand between an app's name and its handle: separators and filler words.
_SEP_ONLY_RE = re.compile(_SEP_RE.pattern, re.IGNORECASE)


def _join_context(text: str, start: int, end: int) -> int | None:
    """Where to start reading around the line break ``text[start:end]`` that the joined
    reading removes, or None when no contact detail may cross it. It may when a number
    goes on across the break, or when the six words before it and two after (separators and
    filler words such as "-->" or "username" not counted) hold what a detector needs, read
    apart or glued together ("wic\nkr: plug\ndaddy", "k1\nk: x")."""
    first, before = words_around(text, start, 6, skip=_SEP_ONLY_RE)
    pair = text[start - 1 : start] + text[end : end + 1]
    if len(pair) == 2 and set(pair) <= _NUMBER_CHARS and not pair.isalpha():
        return first
    after = text[end : end + 80].split()[:2]
    if len(after) < 2 and end + 80 < len(text):
        after = words_around(text, end, 2, ahead=True)[1]
    # Glued across this break only: a name split by another break is read in that one's window.
    for near in (" ".join(before + after), "".join(before[-1:] + after[:1])):
        if (
            _NEAR_JOIN_RE.search(near)
            or LEET_KEYS_RE.search(leet_folded(near))
            or SPACED_RE.search(near)
        ):
            return first
    return None


_WXID_RE = re.compile(r"(?<![A-Za-z0-9_])wxid_[A-Za-z0-9_-]{4,30}(?![A-Za-z0-9_-])", re.IGNORECASE)
_SESSION_ID_RE = re.compile(r"(?<![A-Za-z0-9])05[0-9a-fA-F]{64}(?![A-Za-z0-9])")
_CASHTAG_RE = re.compile(r"(?<![A-Za-z0-9_$])\$[A-Za-z][A-Za-z0-9_-]{2,19}(?![A-Za-z0-9_-])")
_PAY_CUE_RE = re.compile(
    r"\b(?:cash\s?app|venmo|zelle|paypal|chime|pay|payment|paid|deposit|send|tip)\b[^\n]*$",
    re.IGNORECASE,
)
_BLOCK_CHAR_RE = re.compile(r"[\u2580-\u259f]")
# A line drawn in block characters: blocks and blanks only, four blocks at least, a blank
# between two of them (letters apart), so a divider ("▀▀▀▀▀▀") or a bar ("█████░░ 50%") is not.
_BLOCK_LINE_RE = re.compile(
    r"^[ \t]*(?=[^\n]*[\u2580-\u259f][ \t]+[\u2580-\u259f])[\u2580-\u259f][ \t\u2580-\u259f]*$",
    re.MULTILINE,
)


def _block_drawings(text: str) -> list[tuple[int, int]]:
    """Spans of two or more lines in a row drawn in block characters with three different
    block characters or more."""
    out: list[tuple[int, int]] = []
    run: list[re.Match] = []
    for m in [*_BLOCK_LINE_RE.finditer(text), None]:
        if m is not None and len(_BLOCK_CHAR_RE.findall(m.group())) < 4:
            m = None
        if m is not None and run and text[run[-1].end() : m.start()] == "\n":
            run.append(m)
            continue
        if len(run) >= 2 and len(set("".join(r.group() for r in run)) - set(" \t")) >= 3:
            start = run[0].start() + len(run[0].group()) - len(run[0].group().lstrip())
            out.append((start, run[-1].end()))
        run = [m] if m is not None else []
    return out


_ARROWS = "\u2190-\u21ff\u2934\u2935\u2b05-\u2b07\u261d\U0001f446-\U0001f449\ufe0f"
_POINTED_LINE_RE = re.compile(
    rf"^[ \t]*[{_ARROWS}][{_ARROWS} \t]*(?P<h>@?(?=[A-Za-z0-9_.]*[0-9_])[A-Za-z0-9_][A-Za-z0-9_.]{{2,29}})"
    rf"[{_ARROWS} \t]*$",
    re.MULTILINE,
)


def _detect(text: str, regions: tuple[str, ...]) -> list[Contact]:
    found: list[Contact] = []
    taken = bytearray(len(text) + 1)  # 1 = already explained by an earlier, stronger pass

    def free(start: int, end: int) -> bool:
        return taken.find(1, start, end) < 0

    def add(kind: str, span, detail: str, claim=None) -> None:
        found.append(Contact(kind, span[0], span[1], detail))
        start, end = claim or span
        taken[start:end] = b"\x01" * (end - start)

    # Order matters: e-mails and links first (they contain "@", "." and app names), then app
    # names with their handle, then loose numbers, bare @mentions, app mentions, pointers.
    anchors = _email_anchors(text) if _may_hold_email(text) else []
    for m in finditer_near(_EMAIL_RE, text, anchors, before=4, after=16):
        loose = m.group("bare") or m.group("prose")
        if loose:
            local = loose.split()[0]
            if not _ADDRESS_LIKE_RE.search(local) and not _MAIL_CUE_RE.search(
                text, max(0, m.start() - 24), m.start()
            ):
                continue
        add("email", m.span(), "email")
    links = link_anchors(text)
    spaced = [m.start() for m in _SPACED_DOT_ME_RE.finditer(ascii_folded(text))]
    for m in finditer_near(_APP_LINK_RE, text, sorted(links + spaced), before=4, after=12):
        if free(*m.span()):
            dom = re.split(r"[^A-Za-z]", m.group("dom"), maxsplit=1)[0].lower()
            add(_LINK_KIND[dom], m.span(), "link")
    for m in finditer_near(_SHORT_LINK_RE, text, links, before=4, after=12):
        if free(*m.span()):
            add("link", m.span(), "link")
    # Ids that are accounts whatever is written around them: a WeChat "wxid_", a Session id
    # (66 hex digits, "05" first), a Cash App "$cashtag" that looks like a handle or follows a
    # payment word ("$5 off", "$AAPL" stay), a drawing in block characters (unread, so the
    # whole drawing: it is how a name is shown to people and hidden from filters).
    for pattern, kind in ((_WXID_RE, "wechat"), (_SESSION_ID_RE, "session")):
        for m in pattern.finditer(text):
            if free(*m.span()):
                add(kind, m.span(), "handle")
    if "$" in text:
        for m in _CASHTAG_RE.finditer(text):
            tag = m.group()[1:]
            mixed = any(c.islower() for c in tag) and any(c.isupper() for c in tag[1:])
            cue = _PAY_CUE_RE.search(text, max(0, m.start() - 32), m.start())
            if free(*m.span()) and (_HANDLE_LIKE_RE.search(tag) or "-" in tag or mixed or cue):
                add("handle", m.span(), "handle")
    if _BLOCK_CHAR_RE.search(text):
        for span in _block_drawings(text):
            if free(*span):
                add("handle", span, "handle")
    phones = [
        s
        for s in _phone_spans(text, regions)
        if free(*s)
        and not (
            text[s[0]] != "+"
            and _NUMBER_LABEL_RE.search(text, max(0, s[0] - 24), s[0])
            and bracketed_country_code(text[s[0] : s[1]]) is None
        )
    ]
    phone_at = dict(phones)
    phone_ends = [e for _, e in phones]
    for pattern in (_APP_TAG_RE, _TAG_APP_RE) if _may_hold_tag_app(text) else ():
        for m in pattern.finditer(text):
            tail = m.group("h").lower().strip("_")
            generic = _GENERIC_TAG_TAILS if pattern is _APP_TAG_RE else _GENERIC_TAG_HEADS
            if free(*m.span()) and tail and tail not in generic and not tail.isdigit():
                kind = next(k for k, p in _STRONG_APPS.items() if re.fullmatch(p, m["app"], re.I))
                add(kind, m.span("h"), "handle", claim=m.span())
    mentions: list[tuple[str, tuple[int, int]]] = []
    named: list[tuple[int, str]] = []  # (end, kind) of the strong names without a handle
    for m in _app_leads(text):
        if not free(*m.span()):
            continue
        group = m.lastgroup
        kind, strength = group.rsplit("_", 1)
        weak = strength == "1"
        if not weak:
            named.append((m.end(), kind))
        if _NOT_OURS_RE.search(text, max(0, m.start() - 12), m.start()):
            continue
        name = m.group(group).lstrip("#")
        lead = _LEAD_RE.search(text[max(0, m.start() - 30) : m.start()]) is not None
        if lead and kind in _AMBIGUOUS_APPS:
            # "my signal dropped", "text line 3": only "on"/"via"/"add" make these a channel.
            lead = _ON_LEAD_RE.search(text, max(0, m.start() - 30), m.start()) is not None
        # An app emoji is its own lead; the handle after it must look like one (below).
        lead = lead or name.lower() in _EMOJI_FORMS
        glued = _CJK_RE.search(name) is not None
        # A weak name right before a number is that app's number ("signal +1 555 ..."); not
        # "line" or "session", which number things ("line 2", "session 3").
        number_ok = kind not in ("line", "session", "handle")
        got = _app_handle(text, m.end(), weak, lead, phone_at, glued, kind == "qq", number_ok, kind)
        low = name.lower()
        if got is None and m.group().startswith("#") and not weak:
            # "#wickr #plugdaddy99": the handle in the next hashtag.
            tag = _NEXT_TAG_RE.match(text, m.end())
            if tag and tag.group(1).lower() not in _GENERIC_TAG_TAILS:
                if not tag.group(1).isdigit() and not APP_MENTION_RE.fullmatch(tag.group(1)):
                    got = tag.span(1), "handle"
        if got and got[1] == "handle" and re.sub(r"\s", "", low) in _HANDLE_LIKE_ONLY:
            if not _HANDLE_LIKE_RE.search(text, got[0][0], got[0][1]):
                got = None
        if got and got[1] == "handle" and (low in _SHORT_FORMS or low in _EMOJI_FORMS):
            punct = _PUNCT_RE.search(text, m.end(), got[0][0]) is not None
            if not _HANDLE_LIKE_RE.search(text, got[0][0], got[0][1]):
                if low in _EMOJI_FORMS and not punct:
                    got = None  # "👻 spooky season": an emoji, not a contact
                else:
                    kind = "handle"  # "TG: thanksgiving": maybe a handle (redacted), not an app
            if got and low in _EMOJI_FORMS:
                kind = EMOJI_WORDS[low]
        if got and got[1] == "phone" and kind == "handle":
            kind = "phone"  # "📱 555-201-3344", "ig: +44 ...": a number, whatever the lead
        if got and free(*got[0]):
            add(kind, got[0], got[1], claim=(m.start(), got[0][1]))
            continue
        if got and not weak:  # "wickr: rx.store@gmail.com": the address is the handle
            mentions.append((kind, m.span()))
            continue
        # The last number before the name, found by bisection: looking through every number
        # before every app name made long captions quadratic. A number already claimed in
        # between would stand between the two anyway.
        k = bisect.bisect_right(phone_ends, m.start()) - 1
        if (
            not weak
            and k >= 0
            and free(*phones[k])
            and _AFTER_PHONE_RE.fullmatch(text, phones[k][1], m.start())
        ):
            add(kind, phones[k], "phone", claim=(phones[k][0], m.end()))
        elif not weak and (
            m.group().startswith("#")
            or lead
            or _TO_ME_RE.match(text, m.end())
            or _APP_LIST_RE.match(text, m.end())
            or _APP_LIST_RE.search(text[max(0, m.start() - 40) : m.end()])
            or re.search(r"\sme$", m.group(), re.I)
        ):
            mentions.append((kind, m.span()))
    if named and "\n" in text:
        # "wickr in the comments 👇" and, a line or two below (a comment read with the
        # caption), only an arrow and a handle: "⬆️ plugdaddy99".
        ends = [e for e, _ in named]
        for m in _POINTED_LINE_RE.finditer(text):
            k = bisect.bisect_right(ends, m.start()) - 1
            if k < 0 or text.count("\n", ends[k], m.start()) > 2 or not free(*m.span("h")):
                continue
            add(named[k][1], m.span("h"), "handle")
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
    for m in finditer_near(_BIO_RE, text, _bio_anchors(text), before=6, after=8):
        if free(*m.span()):
            add("bio", m.span(), "pointer")
    return found


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


_AT_WORD_RE = re.compile(
    rf"\s*(?:[\[({{<]\s*(?:at|arroba)\s*[\])}}>]|\b(?:at|arroba)\b|@|{_EMOJI_SIGN})\s*",
    re.IGNORECASE,
)
_DOT_WORD_RE = re.compile(
    rf"\s*(?:[\[({{<]\s*(?:dot|punto|\.)\s*[\])}}>]|\b(?:dot|punto)\b|\.|{_EMOJI_SIGN})\s*",
    re.IGNORECASE,
)


# An app's own link names the account in its path: "t.me/plugdaddy", "wa.me/+44...".
_LINK_PATH_RE = re.compile(r"/(?:\+)?([A-Za-z0-9_.]+)/?$")


def contact_values(text: str, phone_regions: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """``(kind, value)`` of every contact detail that names the poster's account, in text
    order, each once: what links two accounts that give the same detail.

    Values are canonical, so two posts that write the same account differently give the same
    value:

    * a phone number in E.164 ("+15552013344"), under kind ``phone`` whichever app it is given
      for ("whatsapp +44 7700 900461", "wa.me/447700900461");
    * an e-mail lower-cased with its "at"/"dot" spelled out ("rx.store@gmail.com");
    * an app handle normalized (``text.fold_handle``: look-alike letters folded,
      casefolded, no "@"), also when given as the app's link ("t.me/plugdaddy" = telegram
      "plugdaddy");
    * another link lower-cased without scheme or "www." (a link-in-bio page).

    App names, profile pointers and bare @mentions (which name other accounts) carry no value.
    """
    text = str(text)
    regions = regions_key(phone_regions)
    out: list[tuple[str, str]] = []
    for c in find_contacts(text, regions):
        raw = text[c.start : c.end]
        if c.reading == "base64":
            for got in contact_values(_b64_text(raw) or "", regions)[:1]:
                if got not in out:
                    out.append(got)
            continue
        if c.reading:
            raw = _READ_AS[c.reading](raw)
        digits = sum(ch.isdigit() for ch in raw)
        value: str | None = None
        kind = c.kind
        if c.detail == "phone" or (c.kind == "whatsapp" and c.detail == "link" and digits >= 8):
            kind, value = "phone", to_e164(normalize(raw, join_lines=True).text, regions)
        elif c.detail == "email":
            t = normalize(raw).text
            parts = _AT_WORD_RE.split(t, maxsplit=1)
            local, domain = parts[0], parts[1] if len(parts) > 1 else ""
            domain = _DOT_WORD_RE.sub(".", domain)
            value = f"{local.strip()}@{domain.strip()}".lower()
        elif c.detail == "link":
            t = re.sub(r"\s+", "", _DOT_WORD_RE.sub(".", normalize(raw).text)).lower()
            path = _LINK_PATH_RE.search(t) if c.kind in APPS else None
            value = fold_handle(path.group(1)) if path else re.sub(r"^(?:\w+://)?(?:www\.)?", "", t)
        elif c.detail == "handle":
            value = fold_handle(raw.replace("\n", "")).replace(" ", "").strip(".")
        if value and (kind, value) not in out:
            out.append((kind, value))
    return out
