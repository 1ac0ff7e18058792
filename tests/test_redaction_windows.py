"""Redaction reads a long caption only where a contact detail may be, and must find what reading
all of it finds.

Four shortcuts keep ``redact`` linear and fast (about a second per MB of prose, see
``bench/redact_scaling.py``); each is checked here against the slow way:

* each costly pattern runs only in windows of words around its anchors ("@", "at", a dot in
  a link, "bio" ...): ``text.finditer_near``;
* the second reading, with line breaks inside a contact joined, is read only in the lines
  around breaks that a contact detail may cross;
* the second and later passes of the fixed point read only the lines around the
  placeholders the pass before wrote;
* leet app names are looked for as folded byte strings before the leet pattern is tried;
* the map from the normalized text back to the original is kept as pieces, not per character.
"""

from __future__ import annotations

import re

import pytest
from contact_cases import load_benign, load_forms
from hypothesis import given, settings
from hypothesis import strategies as st

from dealerdetect import text as textmod
from dealerdetect.privacy import contacts, phones, redaction

FORMS = [t for _f, _k, _s, t in load_forms()]
BENIGN = load_benign()
PROSE = [
    "Best xans in town, fast delivery 40 pills left",
    "great weather today, signal boost this please",
    "price 120 for 10, dates 12/05/2026",
    "new batch just landed, quality guaranteed, ask for the menu",
    "order #123456789 shipped, $40 each, 2mg",
    "what's your wickr? mine got deleted",
    "add me on",
    "snap",
    "plug",
    "daddy99",
    "555-201-",
    "3344",
]
SEPARATORS = ["\n", "\n\n", " ", ". ", "\r\n", "\t", " " * 30, "\n" * 12, " \n \n "]


def _clear():
    for fn in (
        contacts._find_contacts,
        contacts.link_anchors,
        phones._phones,
        phones._chunk_phones,
        textmod.normalize,
        textmod._token_starts,
        textmod.ascii_folded,
    ):
        fn.cache_clear()


def _whole_text_results(text: str, monkeypatch) -> tuple:
    """What the detectors give when every pattern scans the whole text, the joined reading
    reads all of it and every pass of the fixed point reads all of it."""
    with monkeypatch.context() as m:
        everywhere = lambda pattern, text, anchors, **_: pattern.finditer(text)  # noqa: E731
        whole = lambda text, spans, *_: [(0, len(text), 0, len(text))] if spans else []  # noqa: E731
        for module in (contacts, redaction):
            m.setattr(module, "finditer_near", everywhere)
            m.setattr(module, "context_windows", whole)
        m.setattr(contacts, "_join_context", lambda text, start, end: 0)
        _clear()
        got = _results(text)
    _clear()
    return got


def _results(text: str) -> tuple:
    return (
        redaction.redact(text),
        contacts.find_contacts(text),
        contacts.contact_kinds(text),
        contacts.contact_values(text),
    )


def _joined(parts: list[str], seps: list[str]) -> str:
    out = parts[0]
    for part, sep in zip(parts[1:], seps, strict=False):
        out += sep + part
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(FORMS + BENIGN + PROSE), min_size=2, max_size=80),
    st.lists(st.sampled_from(SEPARATORS), min_size=80, max_size=80),
)
def test_windowed_reading_finds_what_the_whole_text_gives(parts, seps):
    import _pytest.monkeypatch

    text = _joined(parts, seps)
    mp = _pytest.monkeypatch.MonkeyPatch()
    try:
        assert _results(text) == _whole_text_results(text, mp)
    finally:
        mp.undo()


@pytest.mark.slow
def test_many_seeded_mixtures_read_as_the_whole_text(monkeypatch):
    """600 mixtures of up to 25 pieces: lines whose context crosses a line break ("what's
    your wickr? mine got deleted" before "wickr: plugdaddy") are where a window cut too
    short reads differently."""
    import random

    rng = random.Random(2019)
    pool = FORMS + BENIGN + PROSE
    for _ in range(600):
        k = rng.randint(2, 25)
        text = _joined([rng.choice(pool) for _ in range(k)], rng.choices(SEPARATORS, k=k))
        assert _results(text) == _whole_text_results(text, monkeypatch), text


@pytest.mark.parametrize(
    "text",
    [
        # The window around a placeholder must read the line before it as context: here
        # "deleted" makes the next "wickr" someone else's.
        "what's your wickr? mine got deleted\nwickr: plugdaddy\nkik me @bigbars",
        "who uses\nwickr: plug\ndaddy99\n" * 3 + "call 555-201-\n3344",
        # The smallest captions of the hostile families (see FAMILIES below).
        "wickr:" + " " * 150 + "plug\n_daddy",
        "kik >> => username is only --> best\n99",
        "k1\nk:\nplug\n_daddy",
        "w1\nckr: plug\ndaddy",
        "t (          .) me/plugdaddy",
        "plug@gmail dot aa dot bb dot cc dot dd dot ee dot ff dot gg dot hh dot com",
        "what's your\n" + ("\u200b" * 100 + "\n") * 5 + "wickr: plugdaddy\nkik me @bigbars",
        "add me on\n" + ("\u200b" * 100 + "\n") * 5 + "snap plug\n_daddy",
        "50030\n9018 0\n0 - 300\n250140",
        # Far apart from the rest of the post, contacts spread over blank space.
        "prices below" + " " * 300 + "wickr:" + " " * 200 + "plugdaddy99\n" + "ok " * 400,
        "plug.rx" + "\n" * 50 + "at" + " " * 80 + "gmail dot com and more " * 30,
        "check out" + " " * 100 + "my bio " + "x " * 500,
        # A contact in the middle of one very long line.
        "word " * 800 + "kik me @bigbars " + "word " * 800 + "t . me / plug " + "word " * 50,
        # Line-split contacts far down a long caption.
        "nothing here\n" * 300 + "wickr: plug\ndaddy99\n" + "call 555-201-\n3344\n" * 3,
        "add me on\nsnap\nplug\ndaddy99\n" * 40,
        # A placeholder that lets the next number be read (the fixed point's second pass).
        "hello\n" * 200 + "session: 05a1b2c3d4 030 9018 2077. is your hamster\n" * 5,
    ],
)
def test_hand_written_long_captions_read_as_the_whole_text(text, monkeypatch):
    assert _results(text) == _whole_text_results(text, monkeypatch)


# Families of long captions written to break the windows (tried as a hostile user would):
# each generator returns one caption; every one must read as the whole text reads.
def _filler(rng, n):
    out, size = [], 0
    while size < n:
        out.append(rng.choice(BENIGN + PROSE[:4]))
        size += len(out[-1]) + 2
    return rng.choice(["\n", "\n\n", ". ", " "]).join(out)


def _embed(rng, core):
    size = rng.choice([0, 200, 2000])
    k = rng.random()
    return _filler(rng, int(size * k)) + "\n\n" + core + "\n\n" + _filler(rng, int(size * (1 - k)))


def _blank_gap(rng):
    """An app, a long run of blanks, a handle split over two lines."""
    gap_chars = [" ", "\t", "  ", "\u00a0", "\u3000", "\r\n"]
    gap = "".join(rng.choice(gap_chars) for _ in range(rng.randint(60, 600)))
    app = rng.choice(["wickr:", "kik:", "telegram:", "wickr -", "add me on snap:", "tg:"])
    return (
        app
        + gap
        + rng.choice(["plug", "the", "2024", "best"])
        + "\n"
        + rng.choice(["_daddy", "daddy99", "99", "_x_"])
    )


def _filler_words(rng):
    """An app, many separators and filler words, a handle split over two lines."""
    seps = ["~", "-", "=", "|", "::", ">>", "=>", "me", "id", "is", "only", "username", "-->"]
    words = " ".join(rng.choice(seps) for _ in range(rng.randint(5, 20)))
    app = rng.choice(["wickr", "kik", "telegram", "threema", "snap:"])
    return f"{app} {words} {rng.choice(['plug', 'best', 'order'])}\n{rng.choice(['_daddy', '99'])}"


def _split_leet_name(rng):
    """A leet app name split across lines, then a split handle."""
    app = rng.choice(["w1ckr", "t3l3gr4m", "k1k", "$ignal", "wh4tsapp", "d1sc0rd", "5napchat"])
    i = rng.randint(1, len(app) - 1)
    handle = rng.choice(["plug\ndaddy", "big\nbars", "plug\n_daddy"])
    return app[:i] + "\n" + app[i:] + rng.choice([": ", " - ", ":\n"]) + handle


def _bracketed_dot(rng):
    """A link whose dot is bracketed with many blanks inside: "t (     .) me/x"."""
    host, tld = rng.choice([("t", "me"), ("wa", "me"), ("bit", "ly"), ("linktr", "ee")])
    left, right = rng.choice([("(", ")"), ("[", "]"), ("{", "}"), ("<", ">")])
    blanks = "".join(rng.choice([" ", "\n", "\t", "\u00a0"]) for _ in range(rng.randint(1, 30)))
    return f"{host} {left}{blanks}.{rng.choice(['', ' '])}{right} {tld} / plugdaddy{rng.randint(1, 99)}"


def _long_domain(rng):
    """An e-mail whose domain is a long chain of labels."""
    sep = rng.choice([" . ", " dot ", " [dot] ", " (.) ", "."])
    at = rng.choice(["@", " @ ", " [at] ", " at "])
    labels = [rng.choice(["aa", "mail", "x1", "co", "me"]) for _ in range(rng.randint(3, 25))]
    return "email me: plug.rx" + at + "gmail" + sep + sep.join(labels) + sep + "com"


def _invisible_lines(rng):
    """Lines of characters that vanish in normalization between a detail and its context."""
    pad_char = rng.choice(["\u200b", "\u200d", "\u2060", "\ufeff", "\u0301", "\ufe0f", "\u00ad"])
    pad = "".join(pad_char * rng.randint(30, 120) + "\n" for _ in range(rng.randint(1, 8)))
    cue, target = rng.choice(
        [
            ("add me on\n", "snap plug\n_daddy"),
            ("what's your\n", "wickr: plugdaddy\nkik me @bigbars"),
            ("who uses\n", "kik: bigbars99\ncall 555-201-\n3344"),
            ("order #\n", "5552013344 kik me @bigbars"),
        ]
    )
    return cue + pad + target


def _numbers_over_lines(rng):
    """Numbers split over lines among other numbers, so a later pass reads one that begins
    on a line above the placeholder next to it."""
    out = []
    for _ in range(rng.randint(2, 12)):
        r = rng.random()
        if r < 0.4:
            num = rng.choice(["555-201-3344", "+44 7700 900461", "030 9018 2077", "50030 9018"])
            cut = sorted(rng.sample(range(1, len(num)), rng.randint(1, 3)))
            out.append(
                "\n".join(num[i:j] for i, j in zip([0, *cut], [*cut, len(num)], strict=True))
            )
        elif r < 0.7:
            out.append(
                f"{rng.randint(0, 99999)}\n{rng.randint(0, 999)} - {rng.randint(1, 30) * 10}"
            )
        else:
            out.append(rng.choice(FORMS + BENIGN))
    return "\n".join(out)


FAMILIES = [
    _blank_gap,
    _filler_words,
    _split_leet_name,
    _bracketed_dot,
    _long_domain,
    _invisible_lines,
    _numbers_over_lines,
]


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.__name__.strip("_"))
def test_hostile_families_read_as_the_whole_text(family, monkeypatch):
    import random

    rng = random.Random(family.__name__)
    for _ in range(30):
        text = _embed(rng, family(rng))
        assert _results(text) == _whole_text_results(text, monkeypatch), text


# Characters that IGNORECASE reads as ASCII letters, and leet digits and symbols.
_LEET_ALPHABET = "wickrtelgamhspnoduWICKRTELGAM0134578$@!|+(ıİſK #\n"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_LEET_ALPHABET, max_size=60))
def test_leet_names_found_as_the_leet_pattern_finds_them(text):
    full = [m.span() for m in textmod._LEET_RE.finditer(text)]
    fast = [m.span() for m in textmod._leet_matches(text)]
    assert fast == full


def test_leet_prefilter_on_the_written_forms():
    for raw in FORMS + BENIGN:
        text = textmod.normalize(raw).text
        assert [m.span() for m in textmod._leet_matches(text)] == [
            m.span() for m in textmod._LEET_RE.finditer(text)
        ], raw


def test_every_match_holds_an_anchor():
    """The anchors are what every match of a pattern contains: a match without one would be
    missed by the windowed scan."""
    cases = [
        (contacts._EMAIL_RE, contacts._email_anchors),
        (contacts._APP_LINK_RE, contacts.link_anchors),
        (contacts._SHORT_LINK_RE, contacts.link_anchors),
        (contacts._BIO_RE, contacts._bio_anchors),
        (redaction._URL_RE, contacts.link_anchors),
    ]
    checked = 0
    for raw in FORMS + BENIGN + PROSE:
        text = textmod.normalize(raw).text
        for pattern, anchors in cases:
            found = anchors(text)
            for m in pattern.finditer(text):
                assert any(m.start() <= a < m.end() for a in found), (pattern.pattern[:40], raw)
                checked += 1
    assert checked > 50


def _per_character_map(text: str, join_lines: bool) -> list[tuple[int, int]]:
    """The original span behind each character of the normalized text, rebuilt one character
    at a time (the slow, plain way the normalizer once kept it)."""
    chars, spans = [], []
    for i, ch in enumerate(text):
        got = ch if ch.isascii() else textmod._fold_one(ch)
        if got.startswith(" ") and not ch.isascii() and textmod._between_digits(text, i):
            got = " "
        for c in got:
            chars.append(c)
            spans.append((i, i + 1))
    passes = [(textmod.SPACED_RE, textmod._spaced), (None, textmod._leet), ("glued", None)]
    passes.append((textmod._DIGITISH_RE, textmod._digitish))
    if join_lines:
        passes.insert(0, (textmod._LINE_BREAK_RE, textmod._lines))
    for pattern, fn in passes:
        cur = "".join(chars)
        if pattern == "glued":
            edits = textmod._glued_apps(cur)
        else:
            matches = textmod._LEET_RE.finditer(cur) if pattern is None else pattern.finditer(cur)
            edits = textmod._regex_edits(matches, fn)
        new_chars, new_spans, pos = [], [], 0
        for s, e, rep in edits:
            new_chars += chars[pos:s]
            new_spans += spans[pos:s]
            if len(rep) == e - s:
                new_spans += spans[s:e]
            else:
                new_spans += [(spans[s][0], spans[e - 1][1])] * len(rep)
            new_chars += list(rep)
            pos = e
        chars, spans = new_chars + chars[pos:], new_spans + spans[pos:]
    return spans


def test_span_map_matches_the_per_character_map():
    texts = FORMS + BENIGN + [_joined(FORMS[i : i + 9], SEPARATORS) for i in range(0, 200, 9)]
    for raw in texts:
        for join in (False, True):
            norm = textmod.normalize(raw, join_lines=join)
            expected = _per_character_map(raw, join)
            assert len(expected) == len(norm.text), raw
            got = [norm.span(i, i + 1) for i in range(len(norm.text))]
            assert got == expected, raw


def test_line_windows_are_whole_lines_around_the_spans():
    text = "one two\nthree four five\nsix\nseven eight nine ten\neleven\n" * 3
    at = text.index("six")
    (window,) = textmod.line_windows(text, [(at, at + 3)], before=1, after=1)
    a, b = window
    assert a == 0 or text[a - 1] == "\n"
    assert b == len(text) or text[b] == "\n"
    assert text[a:b].splitlines() == ["three four five", "six", "seven eight nine ten"]
    assert re.search("one two", text[a:b]) is None
