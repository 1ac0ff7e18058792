"""The text normalizer in front of every contact detector, with a map back to the original.
(The stopword lists are in :mod:`dealerdetect.stopwords`.)

Dealers write contact details so that platform filters miss them: full-width and math-bold
letters, look-alike letters from other scripts, zero-width spaces, leet digits in app names
("W1ckr"), letter-spaced words ("W I C K R"), a letter O for a zero in a phone number, an
emoji for the app ("👻" for Snapchat). The detectors in ``contacts`` run on the text this module
gives and every span they find is mapped back onto the original, so redaction replaces exactly
the characters that held the contact detail and leaves the rest of the post as it was written.

Public API:

    normalize(text, join_lines=False) -> Normalized
        ``Normalized.text``: the text for detection; ``Normalized.span(s, e)``: the original
        span behind ``text[s:e]``. Steps, each linear in the length of the text:
        * Unicode compatibility forms folded (NFKC: full-width, math-bold, ligatures), accents
          dropped from Latin letters, format characters (zero-width, bidi controls) removed,
          digits of other scripts read as ASCII digits;
        * look-alike letters of other alphabets (Cyrillic "а", Greek "ο", ...) folded to the
          Latin letter they imitate, from Unicode TR39's confusables table (the
          ``confusable_homoglyphs`` package); Chinese, Japanese and Korean text is left alone;
        * an emoji that stands for an app (ghost: Snapchat; telephone, mobile phone: a
          number) becomes a marker word (:data:`EMOJI_WORDS`), named by the ``emoji`` package;
        * letter-spaced words joined ("W I C K R", "w.i.c.k.r");
        * leet digits and symbols in app names read as letters ("W1ckr", "t3legram", "$ignal");
        * blanks put back in a token where OCR lost them, between lead words, an app's name
          and a handle ("addmykik", "onTelegram", "kikmr_x99"; not in a hashtag);
        * a letter O, I or l among the digits of a number read as a digit ("555-2O1-3344");
          digits written as words ("five five five...", "cinco..."), as roman numerals
          (a run of them), dingbat or circled digits, and vanity toll-free numbers
          ("1-800-XAN-BARS") read as digits;
        * with ``join_lines``: a line break inside a word or number removed ("plug\\ndaddy99"),
          which the detectors try as a second reading.
        The map back is kept as pieces (ASCII runs, folded characters, each pass's edits),
        so a 1 MB caption costs a few list entries per edit, not per character.
    fold_handle(value) -> the canonical form of a handle: normalized, casefolded, without "@".

Reading long captions fast (the contact detectors use these; each is checked against reading
the whole text in tests/test_redaction_windows.py):

    finditer_near(pattern, text, anchors, before, after) -> the matches of
        ``pattern.finditer(text)``, scanned only in windows of words around ``anchors``.
    ascii_folded(text), leet_folded(text) -> bytes of the text's length to find anchors in
        with ``bytes.find`` (ASCII lower-cased; leet characters folded, :data:`LEET_KEYS_RE`).
    line_joins(text) -> the line breaks the joined reading removes.
    line_windows(text, spans, before, after) -> windows of whole lines around spans.
"""

from __future__ import annotations

import bisect
import functools
import re
import string
import unicodedata
from dataclasses import dataclass

import emoji
import phonenumbers
from confusable_homoglyphs import categories as _cats
from confusable_homoglyphs import confusables as _conf

__all__ = [
    "EMOJI_WORDS",
    "LEET_KEYS_RE",
    "SPACED_RE",
    "Normalized",
    "ascii_folded",
    "context_windows",
    "find_all",
    "finditer_near",
    "fold_handle",
    "leet_folded",
    "line_joins",
    "line_windows",
    "normalize",
    "visible_word",
    "with_context",
    "words_around",
]

# Emoji that name a way to reach the writer, by their CLDR names in the ``emoji`` package.
_EMOJI_NAMES = {
    ":ghost:": "snapemoji",
    ":telephone_receiver:": "phonemoji",
    ":telephone:": "phonemoji",
    ":mobile_phone:": "phonemoji",
    ":mobile_phone_with_arrow:": "phonemoji",
}
_EMOJI_APPS = {
    ch: _EMOJI_NAMES[data["en"]]
    for ch, data in emoji.EMOJI_DATA.items()
    if len(ch) == 1 and data.get("en") in _EMOJI_NAMES
}
# The marker words and the kind of contact they stand for.
EMOJI_WORDS = {"snapemoji": "snapchat", "phonemoji": "handle"}

# Scripts whose letters are never folded to Latin: their words are words, not disguises.
_KEEP_SCRIPTS = frozenset({"HAN", "HANGUL", "HIRAGANA", "KATAKANA", "BOPOMOFO", "YI"})
# Punctuation of CJK text that stands for ASCII punctuation in an address ("abc＠gmail。com").
_EXTRA = {"。": ".", "｡": ".", "・": ".", "＠": "@", "﹫": "@"}


_SMALL_CAP_RE = re.compile(r"LATIN LETTER SMALL CAPITAL ([A-Z])")
# Letters of other alphabets and currency or typographic symbols that TR39 does not fold but
# that dealers use as leet for a Latin letter ("wιcкя", "†elegram", "₩ickr", "ŦɆŁɆ₲ⱤȺM").
_SYMBOL_LETTERS = dict(
    zip(
        "яЯωɯ†‡₩ŦŧɆɇŁł₲ⱤɽȺⱥ₳฿₵₭₦₱₴₮ɄʉӾɎɏⱫⱬĐđ₥ℓ",
        "rrwwttwttelllgrraaabcknpstuuxyyzzddml",
        strict=True,
    )
)


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character after NFKC (already applied), accent and look-alike folding."""
    if ch.isascii():
        return ch
    if ch in _EXTRA:
        return _EXTRA[ch]
    if ch in _SYMBOL_LETTERS:
        return _SYMBOL_LETTERS[ch]
    if unicodedata.category(ch) == "Nd":
        return str(unicodedata.digit(ch))
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    if base.isascii() and base:
        return base
    try:
        script = _cats.alias(ch)
    except Exception:  # a character the table does not know
        script = ""
    if script in _KEEP_SCRIPTS:
        return ch
    # TR39 maps a character to its prototype, sometimes through one more non-ASCII step
    # (Cyrillic "к" -> Latin kra "ĸ" -> ...): follow at most two steps to an ASCII letter.
    todo, seen = [ch], {ch}
    for _ in range(2):
        nxt = []
        for c in todo:
            for h in _conf.confusables_data.get(c, ()):
                t = h["c"].strip("\u200e")
                if len(t) == 1 and t.isascii() and t.isalnum():
                    return t
                if len(t) == 1 and t not in seen:
                    seen.add(t)
                    nxt.append(t)
        todo = nxt
    # TR39's prototype of some letters is a Latin small capital ("т" -> "ᴛ", "к" -> "ĸ"): read
    # the small capital as its letter.
    for c in [ch, *sorted(seen)]:
        name = unicodedata.name(c, "")
        m = _SMALL_CAP_RE.fullmatch(name)
        if m:
            return m.group(1).lower()
        if name == "LATIN SMALL LETTER KRA":
            return "k"
    return ch


class _Layer:
    """One rewrite of the detection text: sorted, non-overlapping edits that turned
    ``old[os:oe]`` into ``new[ns:ne]``; text between edits is copied and only shifted.

    A replacement of the same length maps character by character; any other maps each of
    its characters to the whole old span (a join: "w i c k r" -> "wickr")."""

    __slots__ = ("new_starts", "edits")

    def __init__(self, edits: list[tuple[int, int, int, int]]) -> None:
        self.edits = edits  # (new_start, new_end, old_start, old_end)
        self.new_starts = [e[0] for e in edits]

    def back(self, pos: int, end: bool) -> int:
        """The old index behind new character ``pos``: its first old character, or with
        ``end`` its last."""
        k = bisect.bisect_right(self.new_starts, pos) - 1
        if k < 0:
            return pos
        ns, ne, os_, oe = self.edits[k]
        if pos >= ne:
            return pos - ne + oe  # copied text after edit k
        if ne - ns == oe - os_:
            return os_ + (pos - ns)
        return oe - 1 if end else os_


class _Base:
    """The first reading: ASCII runs copied (a character maps to itself, shifted), every
    non-ASCII character folded to zero or more characters that all map to it."""

    __slots__ = ("pieces", "starts")

    def __init__(self, pieces: list[tuple[int, int, int, bool]]) -> None:
        self.pieces = pieces  # (new_start, new_end, old_start, copied)
        self.starts = [p[0] for p in pieces]

    def back(self, pos: int, end: bool) -> tuple[int, int]:
        k = bisect.bisect_right(self.starts, pos) - 1
        ns, _, os_, copied = self.pieces[k]
        i = os_ + (pos - ns) if copied else os_
        return i, i + 1


@dataclass(frozen=True, eq=False)
class Normalized:
    """The detection text and the map from its characters back to the original."""

    text: str
    original: str
    base: _Base | None  # None: the text was ASCII, the first reading is the text itself
    layers: tuple[_Layer, ...]

    def _origin(self, pos: int, end: bool) -> int:
        for layer in reversed(self.layers):
            pos = layer.back(pos, end)
        if self.base is None:
            return pos + 1 if end else pos
        lo, hi = self.base.back(pos, end)
        return hi if end else lo

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span behind ``text[start:end]`` (``end > start``)."""
        return self._origin(start, False), self._origin(end - 1, True)


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")


@functools.lru_cache(maxsize=8)  # the plain and the joined reading of one text share it
def _base(text: str) -> tuple[str, _Base | None]:
    """The first reading of ``text``: ASCII as it is, each non-ASCII character folded
    (:func:`_fold_one`). Work is done per non-ASCII character only."""
    if text.isascii():
        return text, None
    out: list[str] = []
    pieces: list[tuple[int, int, int, bool]] = []
    pos = n = 0
    for m in _NON_ASCII_RE.finditer(text):
        if m.start() > pos:
            out.append(text[pos : m.start()])  # ASCII as it is: the fast path
            pieces.append((n, n + m.start() - pos, pos, True))
            n += m.start() - pos
        i = m.start()
        while i < m.end():
            ctx = _context_fold(text, i, m.end())
            if ctx is not None:
                for k, got in enumerate(ctx[1]):
                    if got:
                        out.append(got)
                        pieces.append((n, n + len(got), i + k, False))
                        n += len(got)
                i = ctx[0]
                continue
            got = _fold_one(text[i])
            if got.startswith(" ") and _between_digits(text, i):
                got = " "  # "213 📞 555 📞 0193": an emoji as a separator inside a number
            if got:
                out.append(got)
                pieces.append((n, n + len(got), i, False))
                n += len(got)
            i += 1
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
        pieces.append((n, n + len(text) - pos, pos, True))
    if not pieces:
        pieces.append((0, 0, 0, True))
    return "".join(out), _Base(pieces)


def _between_digits(text: str, i: int) -> bool:
    before = text[max(0, i - 3) : i].rstrip(" \ufe0f")
    after = text[i + 1 : i + 4].lstrip(" \ufe0f")
    return bool(before) and before[-1].isdigit() and bool(after) and after[0].isdigit()


# Blank letters put between the letters of a word: the Hangul fillers are invisible (dropped),
# the Braille blank shows as a space ("k⠀i⠀k" reads as letter-spaced "k i k").
_FILLERS = {"\u3164": "", "\u115f": "", "\u1160": "", "\uffa0": "", "\u2800": " "}
_TAG_RANGE = range(0xE0000, 0xE0080)
_RI_RANGE = range(0x1F1E6, 0x1F200)
_BLACK_FLAG = "\U0001f3f4"


def _context_fold(text: str, i: int, end: int) -> tuple[int, list[str]] | None:
    """Characters read with their neighbours, from ``text[i]`` to at most ``end``: the end of
    the run and what each character reads as, or None for an ordinary character.

    * Unicode tag characters (invisible) spell ASCII: a run of three or more is a hidden text
      and is read as it ("hi" + tags "wickr: x"); one or two are padding, dropped. After a
      black flag they name a subdivision's flag ("🏴 + gbeng"), dropped as before.
    * Regional indicators: a run that is flags (pairs the emoji table knows, "🇺🇸🇬🇧") stays;
      any other ("🇼🇮🇨🇰🇷", letters apart by blanks) reads as letters.
    * A negative squared letter with the emoji selector ("🅰️") is an emoji, kept."""
    cp = ord(text[i])
    if cp in _TAG_RANGE:
        j = i
        while j < end and ord(text[j]) in _TAG_RANGE:
            j += 1
        hidden = j - i >= 3 and not (i > 0 and text[i - 1] == _BLACK_FLAG)
        out = []
        for k in range(i, j):
            c = ord(text[k]) - 0xE0000
            out.append(chr(c) if hidden and 0x20 <= c < 0x7F else "")
        return j, out
    if cp in _RI_RANGE:
        j = i
        while j < end and ord(text[j]) in _RI_RANGE:
            j += 1
        flags = (j - i) % 2 == 0 and all(
            text[k : k + 2] in emoji.EMOJI_DATA for k in range(i, j, 2)
        )
        if flags:
            return j, [_fold_one(text[k]) for k in range(i, j)]
        return j, [chr(ord("a") + ord(text[k]) - 0x1F1E6) for k in range(i, j)]
    if 0x1F170 <= cp <= 0x1F189 and text[i + 1 : i + 2] == "\ufe0f":
        return i + 1, [text[i]]
    return None


@functools.lru_cache(maxsize=8192)
def _fold_one(ch: str) -> str:
    """What one non-ASCII character reads as: dropped (format characters, combining marks,
    variation selectors), an app word for an app emoji, else NFKC and look-alike folding."""
    if unicodedata.category(ch) in ("Cf", "Mn", "Me") or unicodedata.combining(ch):
        return ""  # zero-width spaces and joiners, bidi controls, accents on their own
    if ch in _FILLERS:
        return _FILLERS[ch]
    cp = ord(ch)
    if 0x2160 <= cp <= 0x2168 or 0x2170 <= cp <= 0x2178:
        return str(int(unicodedata.numeric(ch)))  # "ⅤⅤⅤ Ⅱ0Ⅰ": a roman numeral for a digit
    if 0x1F150 <= cp <= 0x1F169 or 0x1F170 <= cp <= 0x1F189:
        return chr(ord("a") + (cp - 0x1F150) % 32)  # negative circled and squared letters
    if unicodedata.category(ch) == "No" and unicodedata.digit(ch, None) is not None:
        return str(unicodedata.digit(ch))  # dingbat and circled digits ("➎", "❷", "⓿")
    word = _EMOJI_APPS.get(ch)
    if word is not None:
        return f" {word} "
    out = "".join(_fold_char(c) for c in unicodedata.normalize("NFKC", ch))
    return "".join(c for c in out if not unicodedata.combining(c)) or out


def _apply(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, _Layer | None]:
    """Apply sorted, non-overlapping ``(start, end, replacement)`` edits to ``text``."""
    if not edits:
        return text, None
    out, mapped = [], []
    pos = shift = 0
    for s, e, rep in edits:
        out += [text[pos:s], rep]
        mapped.append((s + shift, s + shift + len(rep), s, e))
        shift += len(rep) - (e - s)
        pos = e
    out.append(text[pos:])
    return "".join(out), _Layer(mapped)


# Letter-spaced words: three or more single letters or digits, at least two letters, each
# apart by the same one or two spaces, dots, dashes, underscores or stars ("W I C K R").
SPACED_RE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z0-9](?P<sep>[ .\-_*]{1,2})[A-Za-z0-9]"
    r"(?:(?P=sep)[A-Za-z0-9](?![A-Za-z0-9]))+(?![A-Za-z0-9])"
)
_LEET = {
    "a": "a4@",
    "e": "e3",
    "i": "i1!l|",
    "o": "o0",
    "s": "s5$",
    "t": "t7+",
    "g": "g9",
    "l": "l1|",
    "c": "c(",
    "b": "b8",
}
_LEET_APPS = (
    "wickr",
    "telegram",
    "whatsapp",
    "snapchat",
    "signal",
    "threema",
    "wechat",
    "discord",
    "kik",
)


def _leet_pattern(word: str) -> str:
    body = "".join(f"[{re.escape(_LEET.get(c, c))}]" for c in word)
    tail = "(?![A-Za-z0-9])" if len(word) <= 3 else ""
    return rf"(?<![A-Za-z0-9])(?P<{word}>{body}){tail}"


_LEET_RE = re.compile("|".join(_leet_pattern(w) for w in _LEET_APPS), re.IGNORECASE)
# Finding the leet names fast: every character that _LEET_RE's classes accept for a letter is
# folded to one byte per letter ("1", "!", "|", "l" and "i" all to "I"), so the candidates are
# plain byte strings; each is then checked with _LEET_RE itself. Non-ASCII characters become
# NUL, except the four that IGNORECASE reads as an ASCII letter.
_LEET_FOLD = bytes.maketrans(
    (
        string.ascii_uppercase + "4@" + "3" + "1!|liIL" + "0" + "5$" + "7+" + "9" + "(" + "8"
    ).encode(),
    (
        string.ascii_lowercase + "aa" + "e" + "IIIIIII" + "o" + "ss" + "tt" + "g" + "c" + "b"
    ).encode(),
)
_IGNORECASE_ASCII = {"\u0131": "I", "\u0130": "I", "\u017f": "s", "\u212a": "k"}
LEET_KEYS_RE = re.compile(
    "|".join(
        re.escape(w).encode("ascii").translate(_LEET_FOLD).decode("ascii") for w in _LEET_APPS
    ).encode("ascii")
)
# A number with a letter O, I or l for a digit: seven or more characters of digits, those
# letters and the usual separators, at least five of them real digits.
_DIGITISH_RE = re.compile(r"(?<![A-Za-z0-9])[0-9OoIl](?:[-. ()]{0,2}[0-9OoIl]){6,}(?![A-Za-z0-9])")
_DIGIT_FOR = str.maketrans("OoIl", "0011")

# Digits written as words, English and Spanish, alone or glued to digits ("five five five two
# oh one...", "cinco cinco cinco...", "5five5 2o1 33four4"): a run of three or more such
# tokens apart by blanks, dots, commas or dashes. Only a run with three number words or more
# and 9 to 15 digits in all is read as digits, so counted prose ("one, two, three") stays.
_NUMBER_WORDS = {
    **dict.fromkeys(("zero", "oh", "o", "cero"), "0"),
    **dict.fromkeys(("one", "uno", "una"), "1"),
    **dict.fromkeys(("two", "dos"), "2"),
    **dict.fromkeys(("three", "tres"), "3"),
    **dict.fromkeys(("four", "cuatro"), "4"),
    **dict.fromkeys(("five", "cinco"), "5"),
    **dict.fromkeys(("six", "seis"), "6"),
    **dict.fromkeys(("seven", "siete"), "7"),
    **dict.fromkeys(("eight", "ocho"), "8"),
    **dict.fromkeys(("nine", "nueve"), "9"),
}
_NUMBER_WORD = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# Each token is digits and number words glued; no number word is a prefix of another that the
# rest of a token could complete, so a token is read one way and the scan stays linear.
_NUMBER_PIECE_RE = re.compile(rf"[0-9]|{_NUMBER_WORD}", re.IGNORECASE)
_NUMBER_TOKEN = rf"(?:[0-9]|{_NUMBER_WORD})+(?![A-Za-z0-9])"
_NUMBER_RUN_RE = re.compile(
    rf"(?<![A-Za-z0-9]){_NUMBER_TOKEN}(?:[ \t.,\-/]{{1,3}}{_NUMBER_TOKEN}){{2,}}", re.IGNORECASE
)
# Digits as roman numerals, one numeral a digit and "O" for zero ("V V V - II O I - III ..."):
# a run of seven or more numerals and digits with five numerals at least, so "Chapter IV" or
# "Part III, section II" stay as they are.
_ROMAN_DIGITS = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6", "VII": "7"}
_ROMAN_DIGITS |= {"VIII": "8", "IX": "9", "O": "0"}
_ROMAN_TOKEN = r"(?:VIII|VII|VI|IV|IX|V|III|II|I|O|[0-9]{1,4})(?![A-Za-z0-9])"
_ROMAN_RUN_RE = re.compile(
    rf"(?<![A-Za-z0-9]){_ROMAN_TOKEN}(?:[ \t.,\-/]{{1,3}}{_ROMAN_TOKEN}){{6,}}"
)
_ROMAN_PIECE_RE = re.compile(r"[A-Z0-9]+")
# A North-American toll-free vanity number ("1-800-XAN-BARS", "1 (888) PLUG-RX1"): after the
# 8xx code, seven letters and digits in one group or in groups of three and four, at least
# three letters, read on the phone keypad. Without a "1" or brackets the code must be followed
# by "-" or ".", so a dose ("800 mg") is never a number.
_VANITY_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:(?P<one>\+?1[ .\-]?\(?|\()8(?:00|33|44|55|66|77|88)\)?[ .\-]?"
    r"|8(?:00|33|44|55|66|77|88)[.\-])"
    r"(?P<rest>[A-Za-z0-9]{7}|[A-Za-z0-9]{3}[ .\-][A-Za-z0-9]{4}|[A-Za-z0-9]{4}[ .\-][A-Za-z0-9]{3})"
    r"(?![A-Za-z0-9])"
)
# An app's name glued to the words before it or to the handle after it, as OCR reads a line
# whose blanks it lost ("addmykik top_shop99", "hmu onTelegram x", "kikmr_express247"): a
# token made of lead words, the name, and a handle (a digit or "_" in it). Blanks are put back
# between the pieces; only a token with lead words or such a handle is touched, so "kik" or
# "telegrams" stay as written.
_GLUED_LEADS = ("message", "contact", "follow", "reach", "find", "join", "text", "add", "hmu",
                "msg", "hit", "via", "dm", "my", "me", "on", "us", "our")  # fmt: skip
_GLUED_LEAD_RE = re.compile("|".join(_GLUED_LEADS), re.IGNORECASE)
_GLUED_APP = r"wickr(?:me)?|telegram|kik(?:me)?|whatsapp|snapchat|threema|wechat|signal|discord"
_GLUED_KEYS_RE = re.compile(_GLUED_APP, re.IGNORECASE)
# A case-insensitive scan of every caption cost more than the rest of this pass: a plain scan
# of the lower-cased text first (five times faster), the other only where it finds a name.
_GLUED_LOWER_RE = re.compile(_GLUED_APP)
_GLUED_TOKEN_RE = re.compile(
    rf"(?P<lead>(?:{'|'.join(_GLUED_LEADS)})+)?(?P<app>{_GLUED_APP})"
    r"(?P<tail>(?=[A-Za-z0-9.]*[0-9_])[A-Za-z0-9_][A-Za-z0-9_.]{2,29})?",
    re.IGNORECASE,
)
# Or letters only, when a word that looks like a handle's end follows ("kikvip box1").
_GLUED_LETTERS_RE = re.compile(
    rf"(?P<lead>(?:{'|'.join(_GLUED_LEADS)})+)?(?P<app>{_GLUED_APP})(?P<tail>[A-Za-z]{{3,20}})",
    re.IGNORECASE,
)
_HANDLE_END_AFTER_RE = re.compile(
    r"[ \t]{1,2}(?=[A-Za-z_]*[0-9_])[A-Za-z_][A-Za-z0-9_]{1,19}(?![A-Za-z0-9_@.])"
)
_TOKEN_EDGE = frozenset(string.ascii_letters + string.digits + "_.")


def _glued_apps(text: str):
    """Edits putting blanks back into the tokens of :data:`_GLUED_TOKEN_RE` (one per app name
    found, each token read once)."""
    edits, done = [], -1
    if _GLUED_LOWER_RE.search(text.lower()) is None:
        return edits
    for m in _GLUED_KEYS_RE.finditer(text):
        if m.start() < done:
            continue
        a, b = m.start(), m.end()
        while a > 0 and a > m.start() - 40 and text[a - 1] in _TOKEN_EDGE:
            a -= 1
        while b < len(text) and b < m.end() + 40 and text[b] in _TOKEN_EDGE:
            b += 1
        done = b
        if (a > 0 and text[a - 1] in _TOKEN_EDGE) or (b < len(text) and text[b] in _TOKEN_EDGE):
            continue  # longer than a token OCR glues
        if a > 0 and text[a - 1] == "#":
            continue  # a hashtag ("#wickrplugdaddy00") is read as one by the detectors
        t = _GLUED_TOKEN_RE.fullmatch(text, a, b)
        if (t is None or not t["tail"]) and _HANDLE_END_AFTER_RE.match(text, b):
            t = _GLUED_LETTERS_RE.fullmatch(text, a, b) or t
        if t is None or not (t["lead"] or t["tail"]):
            continue
        cuts = []
        if t["lead"]:
            pos = t.start("lead")
            while pos < t.end("lead"):
                piece = _GLUED_LEAD_RE.match(text, pos, t.end("lead"))
                if piece is None:  # the pieces read another way: one blank before the name
                    cuts = [t.end("lead")]
                    break
                cuts.append(piece.end())
                pos = piece.end()
        if t["tail"]:
            cuts.append(t.end("app"))
        # A blank after the character before each cut: the two map back to that character.
        edits.extend((c - 1, c, text[c - 1] + " ") for c in cuts)
    return edits


_LINE_BREAK_RE = re.compile(r"(?<=[A-Za-z0-9@._\-])[ \t]*\r?\n[ \t\r\n]*(?=[A-Za-z0-9@._\-])")


def leet_folded(text: str) -> bytes:
    """``text`` as bytes of the same length with every character that a leet app name may
    hold for a letter folded to one byte per letter (non-ASCII characters NUL); an app name
    in leet ("W1ckr", "$ignal") holds one of :data:`LEET_KEYS_RE`."""
    if not text.isascii():
        text = _NON_ASCII_RE.sub(
            lambda m: "".join(_IGNORECASE_ASCII.get(c, "\0") for c in m.group()), text
        )
    return text.encode("ascii").translate(_LEET_FOLD)


def _leet_matches(text: str):
    """The matches of ``_LEET_RE.finditer(text)``, tried only where the folded bytes hold an
    app name."""
    folded = leet_folded(text)
    pos = 0
    while (cand := LEET_KEYS_RE.search(folded, pos)) is not None:
        m = _LEET_RE.match(text, cand.start())
        if m is None:
            pos = cand.start() + 1
            continue
        yield m
        pos = max(m.end(), cand.start() + 1)


def _regex_edits(matches, fn) -> list[tuple[int, int, str]]:
    edits = []
    for m in matches:
        got = fn(m)
        if got:
            edits.extend(got)
    return edits


def _spaced(m):
    sep = m.group("sep")
    s, out = m.start(), []
    for k in range(m.start() + 1, m.end(), 1 + len(sep)):
        out.append((k, k + len(sep), ""))
    if sum(c.isalpha() for c in m.group()) < 2:
        return None
    return out if s >= 0 else None


def _leet(m):
    word = m.lastgroup
    got = m.group(word)
    if got.lower() == word:
        return None
    fixed = "".join(w.upper() if g.isupper() else w for g, w in zip(got, word, strict=True))
    return [(m.start(word), m.end(word), fixed)]


def _number_words(m):
    edits, words = [], 0
    for p in _NUMBER_PIECE_RE.finditer(m.group()):
        if not p.group().isdigit():
            words += 1
            edits.append(
                (m.start() + p.start(), m.start() + p.end(), _NUMBER_WORDS[p.group().lower()])
            )
    digits = sum(len(rep) for *_, rep in edits) + sum(c.isdigit() for c in m.group())
    if words < 3 or not 9 <= digits <= 15:
        return None
    # Counting ("one two three ... nine") is no number.
    read = "".join(
        _NUMBER_WORDS.get(p.group().lower(), p.group())
        for p in _NUMBER_PIECE_RE.finditer(m.group())
    )
    if read in "0123456789" or read in "9876543210" or read in "123456789":
        return None
    return edits


def _roman(m):
    pieces = list(_ROMAN_PIECE_RE.finditer(m.group()))
    numerals = [p for p in pieces if p.group() in _ROMAN_DIGITS]
    digits = len(numerals) + sum(len(p.group()) for p in pieces if p.group().isdigit())
    if len(numerals) < 5 or not 9 <= digits <= 15:
        return None
    return [
        (m.start() + p.start(), m.start() + p.end(), _ROMAN_DIGITS[p.group()]) for p in numerals
    ]


def _vanity(m):
    rest = m.group("rest")
    if sum(c.isalpha() for c in rest) < 3:
        return None
    if len(rest) == 8:
        first, second = re.split(r"[ .\-]", rest, maxsplit=1)
        if rest[len(first)] == " " and first.isdigit() and second.isalpha():
            return None  # a number, then a word: "213-844-0000 for orders"
    keyed = phonenumbers.convert_alpha_characters_in_number(rest)
    if len(rest) == 8:  # grouped as a number is: "PLUG-RX1" -> "758-4791"
        digits = keyed.replace(rest[4] if not rest[4].isalnum() else rest[3], "")
        keyed = f"{digits[:3]}-{digits[3:]}"
    return [(m.start("rest"), m.end("rest"), keyed)]


def _digitish(m):
    run = m.group()
    if sum(c.isdigit() for c in run) < 5 or run.isdigit():
        return None
    return [(m.start(), m.end(), run.translate(_DIGIT_FOR))]


_TOKEN_CHARS = string.ascii_letters + string.digits + "@._-"
_TOKEN_AFTER_RE = re.compile(r"[A-Za-z0-9@._\-]+")
_CONTACTISH_RE = re.compile(r"[0-9_@]")
_NEAR_BREAK = frozenset("0123456789@._-")


def _lines(m):
    """Join a line break that may sit inside a contact: next to a digit or "@" "." "_" "-",
    between pieces one of which has a digit, "_" or "@" ("plug\ndaddy99"), or after a ":"
    on the line ("wickr: plug\ndaddy"). Two plain words of prose ("best xans\nDM me") stay
    apart, so most captions need no second reading."""
    text, start, end = m.string, m.start(), m.end()
    if text[start - 1] in _NEAR_BREAK or text[end] in _NEAR_BREAK:
        return [(start, end, "")]
    piece = text[max(0, start - 40) : start]
    if _CONTACTISH_RE.search(piece, len(piece.rstrip(_TOKEN_CHARS))):
        return [(start, end, "")]
    tok_a = _TOKEN_AFTER_RE.match(text, end)
    if tok_a and _CONTACTISH_RE.search(tok_a.group()):
        return [(start, end, "")]
    line_start = text.rfind("\n", max(0, start - 24), start) + 1
    if ":" in text[max(line_start, start - 24) : start]:
        return [(start, end, "")]
    return None


def _each_match(pattern: re.Pattern, fn):
    """A pass: ``fn``'s edits for each match of ``pattern``."""
    return lambda text: _regex_edits(pattern.finditer(text), fn)


# The passes of the detection text, in order; each gives the edits of one layer.
_PASSES = (
    _each_match(_NUMBER_RUN_RE, _number_words),
    _each_match(_ROMAN_RUN_RE, _roman),
    _each_match(_VANITY_RE, _vanity),
    _each_match(SPACED_RE, _spaced),
    lambda text: _regex_edits(_leet_matches(text), _leet),
    _glued_apps,
    _each_match(_DIGITISH_RE, _digitish),
)
_JOIN_PASS = _each_match(_LINE_BREAK_RE, _lines)


@functools.lru_cache(maxsize=256)
def normalize(text: str, join_lines: bool = False) -> Normalized:
    """The detection text of ``text`` with its map back (see the module docstring)."""
    text = str(text)
    out, base = _base(text)
    layers = []
    for edits_of in (_JOIN_PASS, *_PASSES) if join_lines else _PASSES:
        out, layer = _apply(out, edits_of(out))
        if layer is not None:
            layers.append(layer)
    return Normalized(out, text, base, tuple(layers))


# --- scanning near a pattern's anchors ----------------------------------------------------------
# A long caption is mostly text no contact pattern can match. Each pattern is run only in
# windows of words around the characters every match of it must hold (its anchors: "@", "at",
# a dot inside a link, "bio"...), which gives the matches a scan of the whole text gives as
# long as a match lies within ``before`` words before and ``after`` words after its anchor.
# Anchors are found with ``bytes.find`` on the text's ASCII letters lower-cased: a
# case-insensitive regex tried at every character was most of the cost of a long caption.

_TOKEN_RE = re.compile(r"\S+")
_ASCII_LOWER = bytes.maketrans(string.ascii_uppercase.encode(), string.ascii_lowercase.encode())


@functools.lru_cache(maxsize=8)
def _token_starts(text: str) -> list[int]:
    return [m.start() for m in _TOKEN_RE.finditer(text)]


@functools.lru_cache(maxsize=8)
def ascii_folded(text: str) -> bytes:
    """``text`` as bytes of the same length: ASCII letters lower-cased, every non-ASCII
    character a NUL byte."""
    if not text.isascii():
        text = _NON_ASCII_RE.sub(lambda m: "\0" * len(m.group()), text)
    return text.encode("ascii").translate(_ASCII_LOWER)


def find_all(folded: bytes, literal: bytes) -> list[int]:
    """Every position of ``literal`` in ``folded`` (overlapping ones too)."""
    out = []
    i = folded.find(literal)
    while i >= 0:
        out.append(i)
        i = folded.find(literal, i + 1)
    return out


def finditer_near(pattern: re.Pattern, text: str, anchors, before: int = 6, after: int = 16):
    """``pattern.finditer(text)``, scanned only within ``before`` whitespace-separated words
    before and ``after`` words after each of the sorted ``anchors`` (positions; windows
    merged). Every match of ``pattern`` must hold an anchor and lie within those words of it."""
    if not anchors:
        return
    starts = _token_starts(text)
    windows: list[list[int]] = []
    for pos in anchors:
        k = bisect.bisect_right(starts, pos) - 1
        a = starts[k - before] if k >= before else 0
        j = k + after + 1
        b = starts[j] if j < len(starts) else len(text)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    for a, b in windows:
        yield from pattern.finditer(text, a, b)


def line_joins(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` (line breaks with the blanks around them) that
    ``normalize(text, join_lines=True)`` removes; empty when the joined reading is the plain
    one."""
    if "\n" not in text:
        return []
    out, base = _base(str(text))
    edits = _regex_edits(_LINE_BREAK_RE.finditer(out), _lines)
    if base is None:
        return [(s, e) for s, e, _ in edits]
    return [(base.back(s, False)[0], base.back(e - 1, True)[1]) for s, e, _ in edits]


def line_windows(
    text: str,
    spans: list[tuple[int, int]],
    before: int = 8,
    after: int = 8,
    context: int = 0,
) -> list[tuple[int, int]]:
    """Windows of whole lines around sorted ``spans``: from the line of the word ``before``
    words ahead of each span to the line of the word ``after`` words past it. Windows closer
    than ``2 * context`` characters are merged, so the context each is read with
    (:func:`with_context`) is never read twice."""
    starts = _token_starts(text)
    windows: list[list[int]] = []
    for s, e in spans:
        k = bisect.bisect_right(starts, s) - 1
        a = starts[k - before] if k >= before else 0
        j = bisect.bisect_left(starts, e) + after
        b = starts[j] if j < len(starts) else len(text)
        a = text.rfind("\n", 0, a) + 1
        nl = text.find("\n", b)
        b = len(text) if nl < 0 else nl
        if windows and a <= windows[-1][1] + 2 * context:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    return [(a, b) for a, b in windows]


_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me"})


def visible_word(word: str) -> bool:
    """Whether anything of ``word`` is left after normalization: zero-width characters,
    combining marks and variation selectors alone are not."""
    return word.isascii() or any(unicodedata.category(c) not in _INVISIBLE_CATEGORIES for c in word)


def words_around(
    text: str, pos: int, count: int, ahead: bool = False, skip=None, limit: int = 64
) -> tuple[int, list[str]]:
    """Walk from ``pos`` over whitespace-separated words until ``count`` visible words not
    matched by ``skip`` (a pattern) were passed, at most ``limit`` words: backward by default,
    forward with ``ahead``. Returns the edge reached (the first word's start, or the last
    word's end) and the words passed, in text order."""
    if not ahead:
        # Most walks end within a short slice: split it before indexing the whole text.
        lo = max(0, pos - 160)
        words = text[lo:pos].split()
        if lo > 0 and words and not text[lo - 1].isspace():
            words = words[1:]  # the slice began inside a word
        picked, counted = [], 0
        for word in reversed(words):
            if counted == count or len(picked) == limit:
                break
            picked.append(word)
            if visible_word(word) and not (skip is not None and skip.fullmatch(word)):
                counted += 1
        if counted == count or len(picked) == limit or lo == 0:
            edge = pos
            for word in picked:
                edge = text.rfind(word, lo, edge)
            return edge, picked[::-1]
    starts = _token_starts(text)
    k = bisect.bisect_left(starts, pos) if ahead else bisect.bisect_left(starts, pos) - 1
    edge, words, counted = pos, [], 0
    while 0 <= k < len(starts) and counted < count and len(words) < limit:
        word = _TOKEN_RE.match(text, starts[k]).group()
        words.append(word)
        if visible_word(word) and not (skip is not None and skip.fullmatch(word)):
            counted += 1
        edge = starts[k] + len(word) if ahead else starts[k]
        k += 1 if ahead else -1
    return edge, words if ahead else words[::-1]


def with_context(
    text: str, start: int, end: int, chars: int = 64, words: int = 8
) -> tuple[int, int]:
    """Whole lines around ``text[start:end]`` with at least ``chars`` characters and
    ``words`` visible words more on each side: what a detector reading ``text[start:end]``
    looks back and ahead at ("what's your\nwickr: x" is someone else's account)."""
    a = min(start - chars, words_around(text, start, words)[0])
    a = 0 if a <= 0 else text.rfind("\n", 0, a) + 1
    b = max(end + chars, words_around(text, end, words, ahead=True)[0])
    nl = text.find("\n", b)
    return a, len(text) if nl < 0 else nl


def context_windows(
    text: str, spans: list[tuple[int, int]], before: int, after: int, context: int
) -> list[tuple[int, int, int, int]]:
    """``(context_start, start, end, context_end)`` of each of :func:`line_windows`, with
    :func:`with_context` around it; all found before any is read, so the word index of
    ``text`` is built once."""
    return [
        (*with_context(text, a, b, context), a, b)
        for a, b in line_windows(text, spans, before, after, context)
    ]


def fold_handle(value: str) -> str:
    """A handle as one account: normalized, casefolded, without a leading "@"."""
    return normalize(str(value)).text.strip().lstrip("@").casefold()
