"""The cheap checks that let the detector skip a scan skip only texts the scan cannot match.

Each gate (``contacts._may_hold_tag_app``, ``contacts._may_hold_email``) is a necessary
condition of its regex; a gate that said False where the regex matches would let a contact
through. Texts are drawn from the pieces those regexes read (app names and their parts,
"@"-like signs, "at"/"arroba", brackets, providers, emoji, the four non-ASCII letters that
re.IGNORECASE reads as ASCII ones, blanks that only str's \\s knows) and from hand-written
captions.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealerdetect.privacy import contacts as C

PIECES = [
    "#", "#wickr", "#kik", "wick r", "tele gram", "whats app", "snap-chat", "3ma", "threema",
    "wechat", "weixin", "V信", "微信", "discord", "kakao talk", "扣扣", "\u212aik", "ſnap",
    "İ", "ı", "plug", "_", "99", "daddy", "me", "@", "©", "®", "at", "AT", "arroba", "[at]",
    "(at)", "{ arroba }", "<at>", "a", "gmail", "mail", "yahoo", "hotmail", "outlook",
    "lıve", "icloud", "proton", "tutanota", "qq", "163", "126", ".", "dot", "com", "co.uk",
    "net", "🌀", "⚫", "📧", "•", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\x1c", "\x1f",
    "rx", "x.y", "%", "+", "-",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)
spaced = st.lists(st.sampled_from(PIECES), max_size=10).map(" ".join)

HAND_WRITTEN = [
    "#wickrplugdaddy99 #xanax",
    "#plug_daddy_wickr",
    "#\u212aikplug_1",
    "orders: rx at gmx dot net",
    "rx_plug [at] proton [dot] me",
    "rx🌀gmail⚫com",
    "rx a gmail.com",
    "rx\u00a0at\u00a0gmail\u00a0dot\u00a0com",
    "rx\x1cat\x1cgmail.com",
    "rx©gmail.com",
    "rx ARROBA gmail PUNTO com",
    "best xans in town, delivery today #bars #xanax",
]


def _tag_scans(text: str) -> bool:
    return any(p.search(text) for p in (C._APP_TAG_RE, C._TAG_APP_RE))


@settings(max_examples=400, deadline=None)
@given(st.one_of(texts, spaced))
def test_the_hashtag_app_gate_keeps_every_text_the_scans_match(text):
    assert C._may_hold_tag_app(text) or not _tag_scans(text), repr(text)


@settings(max_examples=400, deadline=None)
@given(st.one_of(texts, spaced))
def test_the_email_gate_keeps_every_text_the_scan_matches(text):
    assert C._may_hold_email(text) or not C._EMAIL_RE.search(text), repr(text)


@pytest.mark.parametrize("text", HAND_WRITTEN)
def test_hand_written_captions_pass_both_gates_where_they_hold_a_match(text):
    assert C._may_hold_tag_app(text) or not _tag_scans(text)
    assert C._may_hold_email(text) or not C._EMAIL_RE.search(text)


def test_the_gates_skip_ordinary_captions():
    """Not vacuous: a caption with no app name in a hashtag and no address skips both."""
    text = "best xans in town, delivery today, great prices #bars #xanax 😍"
    assert not C._may_hold_tag_app(text) and not C._may_hold_email(text)
    assert C._may_hold_tag_app("#wickrplug99") and C._may_hold_email("rx at gmail.com")


def test_every_latin_strong_app_name_starts_with_a_gate_literal():
    """The literals come from the names themselves; a new name without a literal prefix
    (a character class first) would make the gate wrong, so it is refused here."""
    for pat in C._STRONG_APPS.values():
        for alt in pat.split("|"):
            if not C._CJK_RE.search(alt):
                head = alt[:3].lower()
                assert head.isalnum() and any(w.startswith(head) for w in C._TAG_APP_LITERALS)
