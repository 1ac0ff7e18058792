"""What every phase reads alike: the stopword lists, and one text normalizer in front of every
contact detector, with a map back to the original.

Stopwords: :func:`load_stopwords` reads an NLTK list shipped in the package (English: the
179-word list of 2018 that step 2 removes; the contact detector also reads it to tell an English
word from a handle). Nothing is downloaded.

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
        * a letter O, I or l among the digits of a number read as a digit ("555-2O1-3344");
        * with ``join_lines``: a line break inside a word or number removed ("plug\\ndaddy99"),
          which the detectors try as a second reading.
    fold_handle(value) -> the canonical form of a handle: normalized, casefolded, without "@".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import emoji
from confusable_homoglyphs import categories as _cats
from confusable_homoglyphs import confusables as _conf

__all__ = ["EMOJI_WORDS", "Normalized", "fold_handle", "normalize"]

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


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character after NFKC (already applied), accent and look-alike folding."""
    if ch.isascii():
        return ch
    if ch in _EXTRA:
        return _EXTRA[ch]
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


@dataclass(frozen=True)
class Normalized:
    """The detection text and, per character, the original span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span behind ``text[start:end]`` (``end > start``)."""
        return self.starts[start], self.ends[end - 1]


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")


def _base(text: str) -> tuple[list[str], list[int], list[int]]:
    chars: list[str] = list(text)
    starts: list[int] = list(range(len(text)))
    ends: list[int] = list(range(1, len(text) + 1))
    if text.isascii():
        return chars, starts, ends
    chars, starts, ends = [], [], []
    pos = 0
    for m in _NON_ASCII_RE.finditer(text):
        chars.extend(text[pos : m.start()])  # ASCII as it is: the fast path
        starts.extend(range(pos, m.start()))
        ends.extend(range(pos + 1, m.start() + 1))
        for i in range(m.start(), m.end()):
            out = _fold_one(text[i])
            if out.startswith(" ") and _between_digits(text, i):
                out = " "  # "213 📞 555 📞 0193": an emoji as a separator inside a number
            for c in out:
                chars.append(c)
                starts.append(i)
                ends.append(i + 1)
        pos = m.end()
    chars.extend(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return chars, starts, ends


def _between_digits(text: str, i: int) -> bool:
    before = text[max(0, i - 3) : i].rstrip(" \ufe0f")
    after = text[i + 1 : i + 4].lstrip(" \ufe0f")
    return bool(before) and before[-1].isdigit() and bool(after) and after[0].isdigit()


@functools.lru_cache(maxsize=8192)
def _fold_one(ch: str) -> str:
    """What one non-ASCII character reads as: dropped (format characters, combining marks,
    variation selectors), an app word for an app emoji, else NFKC and look-alike folding."""
    if unicodedata.category(ch) in ("Cf", "Mn", "Me") or unicodedata.combining(ch):
        return ""  # zero-width spaces and joiners, bidi controls, accents on their own
    word = _EMOJI_APPS.get(ch)
    if word is not None:
        return f" {word} "
    out = "".join(_fold_char(c) for c in unicodedata.normalize("NFKC", ch))
    return "".join(c for c in out if not unicodedata.combining(c)) or out


def _apply(chars, starts, ends, edits):
    """Apply sorted, non-overlapping ``(start, end, replacement)`` edits to the arrays.

    A replacement of the same length maps character by character; a shorter one (a join)
    maps each kept character to its own origin when it is a subsequence, else to the span.
    """
    if not edits:
        return chars, starts, ends
    oc, os_, oe = [], [], []
    pos = 0
    for s, e, rep in edits:
        oc += chars[pos:s]
        os_ += starts[pos:s]
        oe += ends[pos:s]
        if len(rep) == e - s:
            oc += list(rep)
            os_ += starts[s:e]
            oe += ends[s:e]
        else:
            oc += list(rep)
            os_ += [starts[s]] * len(rep)
            oe += [ends[e - 1]] * len(rep)
        pos = e
    oc += chars[pos:]
    os_ += starts[pos:]
    oe += ends[pos:]
    return oc, os_, oe


# Letter-spaced words: three or more single letters or digits, at least two letters, each
# apart by the same one or two spaces, dots, dashes, underscores or stars ("W I C K R").
_SPACED_RE = re.compile(
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
# A number with a letter O, I or l for a digit: seven or more characters of digits, those
# letters and the usual separators, at least five of them real digits.
_DIGITISH_RE = re.compile(r"(?<![A-Za-z0-9])[0-9OoIl](?:[-. ()]{0,2}[0-9OoIl]){6,}(?![A-Za-z0-9])")
_DIGIT_FOR = str.maketrans("OoIl", "0011")
_LINE_BREAK_RE = re.compile(r"(?<=[A-Za-z0-9@._\-])[ \t]*\r?\n[ \t\r\n]*(?=[A-Za-z0-9@._\-])")


def _regex_edits(text: str, pattern: re.Pattern, fn) -> list[tuple[int, int, str]]:
    edits = []
    for m in pattern.finditer(text):
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


def _digitish(m):
    run = m.group()
    if sum(c.isdigit() for c in run) < 5 or run.isdigit():
        return None
    return [(m.start(), m.end(), run.translate(_DIGIT_FOR))]


_TOKEN_BEFORE_RE = re.compile(r"[A-Za-z0-9@._\-]+$")
_TOKEN_AFTER_RE = re.compile(r"[A-Za-z0-9@._\-]+")
_CONTACTISH_RE = re.compile(r"[0-9_@]")


def _lines(m):
    """Join a line break that may sit inside a contact: next to a digit or "@" "." "_" "-",
    between pieces one of which has a digit, "_" or "@" ("plug\ndaddy99"), or after a ":"
    on the line ("wickr: plug\ndaddy"). Two plain words of prose ("best xans\nDM me") stay
    apart, so most captions need no second reading."""
    text = m.string
    before, after = text[m.start() - 1], text[m.end()]
    near = "0123456789@._-"
    tok_b = _TOKEN_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
    tok_a = _TOKEN_AFTER_RE.match(text, m.end())
    line_start = text.rfind("\n", 0, m.start()) + 1
    if (
        before in near
        or after in near
        or (tok_b and _CONTACTISH_RE.search(tok_b.group()))
        or (tok_a and _CONTACTISH_RE.search(tok_a.group()))
        or ":" in text[max(line_start, m.start() - 24) : m.start()]
    ):
        return [(m.start(), m.end(), "")]
    return None


@functools.lru_cache(maxsize=256)
def normalize(text: str, join_lines: bool = False) -> Normalized:
    """The detection text of ``text`` with its map back (see the module docstring)."""
    text = str(text)
    chars, starts, ends = _base(text)
    passes = [(_SPACED_RE, _spaced), (_LEET_RE, _leet), (_DIGITISH_RE, _digitish)]
    if join_lines:
        passes.insert(0, (_LINE_BREAK_RE, _lines))
    for pattern, fn in passes:
        edits = _regex_edits("".join(chars), pattern, fn)
        chars, starts, ends = _apply(chars, starts, ends, edits)
    return Normalized("".join(chars), tuple(starts), tuple(ends), text)


def fold_handle(value: str) -> str:
    """A handle as one account: normalized, casefolded, without a leading "@"."""
    return normalize(str(value)).text.strip().lstrip("@").casefold()


# --- stopwords --------------------------------------------------------------------------------

NLTK_DATA = Path(__file__).parent / "data" / "nltk_data"


@functools.lru_cache(maxsize=16)
def load_stopwords(name: str = "english") -> frozenset[str]:
    """An NLTK stopword list shipped with the package (English: 2018's 179-word list)."""
    import nltk  # local import: NLTK loads only where a list is read

    if str(NLTK_DATA) not in nltk.data.path:
        nltk.data.path.insert(0, str(NLTK_DATA))
    from nltk.corpus import stopwords

    try:
        return frozenset(stopwords.words(name))
    except (OSError, LookupError) as err:
        raise ValueError(
            f"preprocessing.stopwords: no NLTK stopword list '{name}' in {NLTK_DATA}"
        ) from err
