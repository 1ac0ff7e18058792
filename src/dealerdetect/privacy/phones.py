"""Phone numbers in post text, read by Google's libphonenumber (the ``phonenumbers`` package).

Public API:

    DEFAULT_PHONE_REGIONS: the regions tried when none are configured.
    regions_key(phone_regions) -> tuple[str, ...]
        The configured regions (config ``privacy.phone_regions``) checked and made hashable.
    find_phones(text, phone_regions=None) -> list[tuple[int, int]]
        Spans of phone numbers: libphonenumber's PhoneNumberMatcher at POSSIBLE leniency, run
        once per region, keeping a match that is written internationally ("+33 ...",
        "0049 ...") and possible for its country, or national and valid for the region, or a
        10-digit North-American number (fictional 555 numbers included). At least 9 digits
        (8 with a country code), so prices, dates, years and quantities never count. Emoji
        between digit groups and keycap digits ("2️⃣1️⃣3️⃣") are read as separators and digits.
        A run of digit groups with more than WINDOW_DIGITS (40) digits is read in overlapping
        windows of whole groups (overlap at least 18 digits, the longest number), each to its
        fixed point, so redaction stays linear on any input; a run of up to 40 digits is read
        whole, exactly as before.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable

import phonenumbers

from dealerdetect.errors import InputValueError

# Regions whose national formats are tried (config: privacy.phone_regions); numbers written
# with "+" or an international prefix are found whatever the list.
DEFAULT_PHONE_REGIONS = ("US", "GB", "DE", "FR", "NL", "ES", "IT", "CA", "AU", "IN")


def regions_key(phone_regions: Iterable[str] | None) -> tuple[str, ...]:
    """The regions as a validated, hashable tuple (None = DEFAULT_PHONE_REGIONS)."""
    if phone_regions is None:
        return DEFAULT_PHONE_REGIONS
    if isinstance(phone_regions, str):
        phone_regions = [phone_regions]
    out = tuple(str(r).upper() for r in phone_regions)
    bad = [r for r in out if r not in phonenumbers.SUPPORTED_REGIONS]
    if bad:
        raise InputValueError(
            f"privacy.phone_regions: unknown region code(s) {bad} (use ISO codes)"
        )
    return out


# --- phone numbers ---------------------------------------------------------------------------

_INVISIBLE = frozenset("\ufe0e\ufe0f\u20e3\u200d\u200b")
# Written with a country code: "+33 ...", "(+33) ...", "0049 ...", "011 44 ...".
_INTL_RE = re.compile(r"\(?(?:\+|00|011)")
_LIST_SLASH_RE = re.compile(r"\s/|/\s")
# A stretch that may hold a phone number: digits with the separators numbers are written with.
# Where a country code may start inside a stretch: "+", "00", "011".
_MAYBE_INTL_RE = re.compile(r"\+|(?<![0-9])0(?:0|11)")
_RUN_RE = re.compile(r"[+(]?[0-9](?:[0-9 \t\n().\-/+]*[0-9])?")


_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")
_NOT_DIGIT_RE = re.compile(r"[^0-9]+")


def _phone_view(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` with emoji as one space and keycap/other digits as ASCII, and the map back:
    view position ``breaks[k] + d`` comes from ``text[origins[k] + d]`` (``_origin``).
    Work is done per non-ASCII character only."""
    if text.isascii():
        return text, [0], [0]
    chars: list[str] = []
    breaks: list[int] = []
    origins: list[int] = []
    n = pos = 0
    for m in _NON_ASCII_RE.finditer(text):
        if m.start() > pos:
            chars.append(text[pos : m.start()])  # ASCII as it is
            breaks.append(n)
            origins.append(pos)
            n += m.start() - pos
        for i in range(m.start(), m.end()):
            ch = text[i]
            if ch in _INVISIBLE:
                continue
            cat = unicodedata.category(ch)
            if cat == "Nd":
                ch = str(unicodedata.digit(ch))
            elif cat in ("So", "Sk", "Cs", "Co") or ord(ch) >= 0x1F000:
                if chars and chars[-1][-1] == " ":
                    continue
                ch = " "
            chars.append(ch)
            breaks.append(n)
            origins.append(i)
            n += 1
        pos = m.end()
    if pos < len(text):
        chars.append(text[pos:])
        breaks.append(n)
        origins.append(pos)
    return "".join(chars), breaks or [0], origins or [0]


def _origin(breaks: list[int], origins: list[int], at: int) -> int:
    k = bisect.bisect_right(breaks, at) - 1
    return origins[k] + (at - breaks[k])


# A country code in brackets without "+" ("(44) 7700 900461", "(1) 555 201 3344"): read as
# "+44 ...". Three digits in brackets before seven are a North-American area code instead.
_CC_BRACKET_RE = re.compile(
    r"\((?P<cc>[1-9][0-9]{0,2})\)[ \t.\-]?(?P<num>[0-9][0-9 \t.\-]{5,17}[0-9])"
)
_GROUP_END_RE = re.compile(r"[ \t.\-]+[0-9]+$")


def bracketed_country_code(raw: str) -> str | None:
    """``raw`` as "+CC national" when it starts with a country code in brackets without "+"
    and reads as a possible number so; else None."""
    m = _CC_BRACKET_RE.match(raw.strip())
    if m is None or int(m["cc"]) not in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
        return None
    national = _NOT_DIGIT_RE.sub("", m["num"])
    if len(m["cc"]) == 3 and len(national) == 7:
        return None  # "(213) 555-0114"
    try:
        num = phonenumbers.parse(f"+{m['cc']}{national}", None)
    except phonenumbers.NumberParseException:
        return None
    if len(national) < 6 or not phonenumbers.is_possible_number(num):
        return None
    return f"+{m['cc']}{national}"


def _bracketed(view: str) -> list[tuple[int, int]]:
    """Spans of ``view`` written with a bracketed country code (:func:`bracketed_country_code`);
    a stretch that does not read whole is read without its last groups of digits."""
    out = []
    for m in _CC_BRACKET_RE.finditer(view):
        raw = m.group()
        while raw and bracketed_country_code(raw) is None:
            cut = _GROUP_END_RE.search(raw, m.end("cc") - m.start())
            raw = raw[: cut.start()] if cut else ""
        if raw:
            out.append((m.start(), m.start() + len(raw)))
    return out


def _keep(match, region: str) -> bool:
    num = match.number
    if _LIST_SLASH_RE.search(match.raw_string):
        return False  # "b_2 / 555-201-3344": a list, not one number ("030/9018 2077" is one)
    digits = sum(c.isdigit() for c in match.raw_string)
    if _INTL_RE.match(match.raw_string):
        return digits >= 8 and phonenumbers.is_possible_number(num)
    if digits < 9:
        return False
    if phonenumbers.is_valid_number_for_region(num, region):
        return True
    return _nanp(num)


@functools.lru_cache(maxsize=65536)
def _chunk_phones(chunk: str, regions: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """(offset, length) of the numbers in one stretch of digits with a little context. Cached:
    redaction reads a caption twice (to its fixed point) and in two views (lines joined)."""
    found = []
    digits = len(_NOT_DIGIT_RE.sub("", chunk))
    for region in regions or ("ZZ",):
        covered = 0
        for m in phonenumbers.PhoneNumberMatcher(chunk, region, phonenumbers.Leniency.POSSIBLE):
            if _keep(m, region):
                covered += len(_NOT_DIGIT_RE.sub("", m.raw_string))
                # The match's start may sit before its digits (" 555-201-3344" after "b_2 /").
                raw = m.raw_string.strip()
                at = chunk.find(raw, m.start)
                found.append((m.start if at < 0 else at, len(raw)))
        if covered >= digits:
            break  # every digit of the stretch is in a number already: no other region adds one
    return tuple(found)


# A run of digit groups longer than a few numbers ("555 555 555 ...", a list of numbers with
# no word between them) is read in windows of whole groups of at most WINDOW_DIGITS digits that
# overlap by at least OVERLAP_DIGITS, as many as a phone number can hold (E.164: 15 digits,
# with "00"/"011" 18), so each number lies whole in some window; a number that touches a cut
# edge of its window is left to the window that holds it whole. libphonenumber reads at most
# one number from a stretch of up to 20 digit blocks and gave back only the last number of a
# long run; redact() then peeled one number a pass, reading the whole line each time:
# quadratic. Windows that repeat are read once (cached).
WINDOW_DIGITS, OVERLAP_DIGITS = 40, 18
_BLOCK_RE = re.compile(r"[0-9]+")


class _Run:
    """A stretch of ``view`` shaped as a match (start, end, group)."""

    __slots__ = ("_s", "_e", "_view")

    def __init__(self, view: str, start: int, end: int) -> None:
        self._view, self._s, self._e = view, start, end

    def start(self) -> int:
        return self._s

    def end(self) -> int:
        return self._e

    def group(self) -> str:
        return self._view[self._s : self._e]


# Hours of availability after a number ("555 201 3344 24/7"): libphonenumber reads the digits
# after a number as part of it and then gives nothing, so they are left out of the stretch.
_AVAILABILITY_RE = re.compile(r"[ \t]+[0-9]{1,2}/[0-9]{1,2}$")


def _run_windows(
    view: str, run: re.Match | _Run, digits: int, after: int = 4
) -> list[tuple[int, int, int, int]]:
    """``(lo, hi, cut_lo, cut_hi)`` of the stretches of ``view`` to read for one run: the run
    with 4 characters of context either side, or, for a run of more than WINDOW_DIGITS digits,
    overlapping windows of whole digit groups (each with up to 4 characters before it).
    ``cut_lo``/``cut_hi``: offsets in the window of its first and last digit where the window
    cuts the run there, else -1 (a number covering a cut digit may go on past the cut)."""
    if digits <= WINDOW_DIGITS:
        return [(max(0, run.start() - 4), run.end() + after, -1, -1)]
    blocks = [(m.start(), m.end()) for m in _BLOCK_RE.finditer(view, run.start(), run.end())]
    sizes = [e - s for s, e in blocks]
    out, a = [], 0
    while a < len(blocks):
        b, n = a, 0
        while b < len(blocks) and (n + sizes[b] <= WINDOW_DIGITS or b == a):
            n += sizes[b]
            b += 1
        lo = max(run.start() - 4 if a == 0 else run.start(), blocks[a][0] - 4, 0)
        hi = blocks[b - 1][1] + (4 if b == len(blocks) else 0)
        cut_lo = blocks[a][0] - lo if a > 0 else -1
        cut_hi = blocks[b - 1][1] - 1 - lo if b < len(blocks) else -1
        out.append((lo, hi, cut_lo, cut_hi))
        if b == len(blocks):
            break
        # The next window starts far enough back that OVERLAP_DIGITS digits are read twice.
        nxt, n = b, 0
        while nxt - 1 > a and n < OVERLAP_DIGITS:
            nxt -= 1
            n += sizes[nxt]
        a = nxt if nxt > a else b
    return out


@functools.lru_cache(maxsize=65536)
def _window_phones(chunk: str, regions: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """The numbers of one window of a long run, read as redact() reads a whole run to its
    fixed point: the numbers found split the window, and each stretch between them with
    enough digits is read again on its own (libphonenumber gives at most one number per
    stretch of 20 digit groups). A window holds at most WINDOW_DIGITS digits: a few reads."""
    found = sorted(set(_chunk_phones(chunk, regions)))
    if not found:
        return ()
    gaps, pos = [], 0
    for at, length in found:
        if at > pos:
            gaps.append((pos, at))
        pos = max(pos, at + length)
    gaps.append((pos, len(chunk)))
    for lo, hi in gaps:
        if len(_NOT_DIGIT_RE.sub("", chunk[lo:hi])) >= 8:
            found.extend((lo + at, n) for at, n in _window_phones(chunk[lo:hi], regions))
    return tuple(sorted(found))


@functools.lru_cache(maxsize=65536)
def _phones(text: str, regions: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    if len(_NOT_DIGIT_RE.sub("", text)) < 8:  # most captions: nothing to parse
        return ()
    view, breaks, origins = _phone_view(text)
    spans = []
    # libphonenumber reads only stretches of digits and separators with enough digits, with a
    # few characters of context: one pass over the whole text per region was the slow part of
    # redacting long captions, and its cost grew with what lay around the numbers.
    for run in _RUN_RE.finditer(view):
        after = 4
        tail = _AVAILABILITY_RE.search(run.group())
        if tail is not None:
            run, after = _Run(view, run.start(), run.start() + tail.start()), 0
        digits = len(_NOT_DIGIT_RE.sub("", run.group()))
        lo = max(0, run.start() - 4)
        if digits < 8 or (digits == 8 and not _MAYBE_INTL_RE.search(view, lo, run.end())):
            continue  # a number of 8 digits is kept only with a country code (_keep)
        for lo, hi, cut_lo, cut_hi in _run_windows(view, run, digits, after):
            read = _chunk_phones if cut_lo < 0 and cut_hi < 0 else _window_phones
            for at, length in read(view[lo:hi], regions):
                if at <= cut_lo < at + length or at <= cut_hi < at + length:
                    continue  # it may go on past the cut: the next window holds it whole
                start = _origin(breaks, origins, lo + at)
                end = _origin(breaks, origins, lo + at + length - 1) + 1
                while end < len(text) and text[end] in _INVISIBLE:
                    end += 1  # the keycap's variation selector and combining mark
                spans.append((start, end))
    if "(" in view:
        for lo, hi in _bracketed(view):
            spans.append((_origin(breaks, origins, lo), _origin(breaks, origins, hi - 1) + 1))
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return tuple(merged)


def find_phones(text: str, phone_regions: Iterable[str] | None = None) -> list[tuple[int, int]]:
    """Spans of the phone numbers in ``text`` (see the module docstring)."""
    return list(_phones(str(text), regions_key(phone_regions)))


def _digits(text: str) -> str:
    """Keep ``+`` and digits (any script's decimal digits, as ASCII)."""
    out = []
    for ch in text:
        if ch == "+":
            out.append(ch)
        elif unicodedata.category(ch) == "Nd":
            out.append(str(unicodedata.digit(ch)))
    return "".join(out)


def _nanp(num) -> bool:
    """A North-American shape: country code 1 and ten digits from 2-9 (the fictional 555
    numbers included, which libphonenumber calls invalid)."""
    national = str(num.national_number)
    return num.country_code == 1 and len(national) == 10 and national[0] in "23456789"


def to_e164(span: str, regions: tuple[str, ...]) -> str | None:
    """The number in ``span`` as E.164, read much as the detector (:func:`_keep`) read it:
    written with a country code, or national in the first configured region where it is valid
    (or North-American in shape); then the first region where it is possible (the fictional
    UK drama range "07700 900xxx"). None when nothing parses."""
    raw = bracketed_country_code(span) or _digits(span)
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    elif raw.startswith("011") and len(raw) > 11:
        raw = "+" + raw[3:]
    if not raw.strip("+"):
        return None
    parsed = []
    for region in [None] if raw.startswith("+") else list(regions):
        try:
            parsed.append((region, phonenumbers.parse(raw, region)))
        except phonenumbers.NumberParseException:
            continue
    fmt = phonenumbers.PhoneNumberFormat.E164
    # A national number written with a trunk 0 ("07700 900461") is never North-American.
    parsed = [(r, n) for r, n in parsed if not (n.country_code == 1 and n.italian_leading_zero)]
    for region, number in parsed:
        if region and (phonenumbers.is_valid_number_for_region(number, region) or _nanp(number)):
            return phonenumbers.format_number(number, fmt)
    for _, number in parsed:
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, fmt)
    return None
