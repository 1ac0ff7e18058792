"""Tokens per script: the word rule of step 2 for text that is not written like English.

The paper cut text at non-word characters, which is right for English and wrong elsewhere:

- combining marks (Thai vowels and tone marks, Devanagari vowel signs, ...) are not word
  characters, so Thai words fell apart into letters. Here a mark continues the word it follows
  (variation selectors excepted: they follow emoji, and an emoji is not a word);
- Chinese, Japanese, Thai, Lao, Khmer and Myanmar are written without spaces, so a whole
  sentence was one "word". A run of such a script inside a token is cut again: Chinese by jieba's
  dictionary (rjieba, the Rust port: 5 MB, about 7 microseconds a post), Thai by PyThaiNLP's
  ``newmm`` dictionary segmenter, and Japanese (a run in a text with kana), Lao, Khmer and
  Myanmar into overlapping two-character pieces (grapheme clusters, so a mark stays with its
  letter), the long-standing choice of search engines where no light segmenter exists.

Hashtags follow the same rule and stay hashtags: ``#冰毒出售`` gives ``#冰毒``, ``#出售``. A token
with no character of those scripts comes out exactly as before, so English posts keep the
paper's tokens. Segmenters are imported on first use, so a study without such text never loads
them.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

import regex

# Scripts written without spaces between words. The kana prolonged-sound mark and the
# iteration marks belong to the Common script but to Japanese words.
_SPACELESS = (
    r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
    r"\u30fc\u3005\u3006\u309d\u309e\u30fd\u30fe"
)
SPACELESS_RE = regex.compile(f"[{_SPACELESS}]")
# A token cut into runs: a spaceless run (with the marks that follow its letters) or the rest.
_RUN_RE = regex.compile(
    f"(?P<s>[{_SPACELESS}][{_SPACELESS}\\p{{M}}]*)|(?P<o>(?:(?![{_SPACELESS}]).)+)"
)
# What makes a text need more than the paper's rule: a combining mark (not a variation selector)
# or a letter of a spaceless script. Text without any takes the paper's path unchanged.
SPECIAL_RE = regex.compile(rf"[{_SPACELESS}]|(?![\ufe00-\ufe0f])[\p{{Mn}}\p{{Mc}}]")
_KANA_RE = regex.compile(r"[\p{Hiragana}\p{Katakana}\u30fc]")


@cache
def mark_class() -> str:
    """A regex character class of the combining marks (Mn, Mc) that continue a word, without
    the variation selectors. Built from :mod:`unicodedata`, the Unicode version ``re`` uses."""
    skip = set(range(0xFE00, 0xFE10))
    marks = [
        c
        for c in range(0x300, 0x20000)
        if c not in skip and unicodedata.category(chr(c)) in ("Mn", "Mc")
    ]
    ranges, start, prev = [], marks[0], marks[0]
    for c in marks[1:] + [sys.maxunicode + 2]:
        if c != prev + 1:
            ranges.append(
                re.escape(chr(start)) + ("" if start == prev else "-" + re.escape(chr(prev)))
            )
            start = c
        prev = c
    return "[" + "".join(ranges) + "]"


def recompose_sara_am(text: str) -> str:
    """NFKC splits SARA AM (Thai U+0E33, Lao U+0EB3) into NIKHAHIT + SARA AA; put it back."""
    if "\u0e4d" not in text and "\u0ecd" not in text:
        return text
    return text.replace("\u0e4d\u0e32", "\u0e33").replace("\u0ecd\u0eb2", "\u0eb3")


def needs_script_rules(text: str) -> bool:
    return bool(SPECIAL_RE.search(text))


def has_spaceless(token: str) -> bool:
    return bool(SPACELESS_RE.search(token))


def bigrams(run: str) -> list[str]:
    """Overlapping pairs of grapheme clusters; a single cluster is its own token."""
    clusters = regex.findall(r"\X", run)
    if len(clusters) < 2:
        return ["".join(clusters)] if clusters else []
    return [clusters[i] + clusters[i + 1] for i in range(len(clusters) - 1)]


@cache
def _jieba():
    import rjieba

    return rjieba


@cache
def _thai():
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def segment_run(run: str, japanese: bool) -> list[str]:
    """Words of one run of a spaceless script (see the module text for the rule per script)."""
    if japanese and regex.search(r"[\p{Han}\p{Hiragana}\p{Katakana}]", run):
        return bigrams(run)
    if regex.fullmatch(r"[\p{Han}\p{M}]+", run):
        # Dictionary words only (no HMM guesses for unknown words): cutting a word again gives
        # the same word, so cleaning cleaned text changes nothing.
        return [w for w in _jieba().cut(run, False) if w.strip()]
    if regex.fullmatch(r"[\p{Thai}\p{M}]+", run):
        return [w for w in _thai()(run, engine="newmm", keep_whitespace=False) if w.strip()]
    # Kana without a Japanese context marker cannot happen (kana is the marker); Lao, Khmer,
    # Myanmar and runs mixing scripts: two-cluster pieces.
    return bigrams(run)


def split_token(token: str, japanese: bool) -> list[str]:
    """``token`` (a word or a ``#`` hashtag) cut per script; unchanged without spaceless text."""
    if not has_spaceless(token):
        return [token]
    tag = token.startswith("#")
    body = token[1:] if tag else token
    out = []
    for m in _RUN_RE.finditer(body):
        if m.group("s"):
            out.extend(segment_run(m.group("s"), japanese))
        else:
            # What remains of a mixed token ("加微信xanax2mg" -> "xanax2mg"), without the
            # underscores that joined it to the spaceless run.
            rest = m.group("o").strip("_")
            if rest:
                out.append(rest)
    return [("#" + w if tag else w) for w in out if w]


def is_japanese(text: str) -> bool:
    """Kana anywhere marks a text as Japanese: its Han runs are cut into pairs, not by the
    Chinese dictionary."""
    return bool(_KANA_RE.search(text))
