"""Contact details however dealers write them, and ordinary sentences that must stay whole.

The cases are tables a reviewer extends in one line: tests/data/contact_forms/forms.tsv
(family, expected kind, the text that must not survive, the post text) and benign.txt.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from contact_cases import folded, load_benign, load_forms

from dealerdetect.privacy.contacts import DEFAULT_PHONE_REGIONS, contact_kinds, contact_values
from dealerdetect.privacy.redaction import redact, redact_hashtags

FORMS = load_forms()
BENIGN = load_benign()


def survives(secret: str, text: str) -> bool:
    return folded(secret) in folded(text)


def test_tables_are_big_enough():
    assert len(FORMS) >= 150 and len(BENIGN) >= 60
    assert len({f for f, *_ in FORMS}) >= 11


@pytest.mark.parametrize(("family", "kind", "secret", "text"), FORMS)
def test_form_is_redacted_and_counted(family, kind, secret, text):
    assert survives(secret, text)  # the case itself is sound
    out = redact(text)
    assert not survives(secret, out), (family, out)
    assert kind in contact_kinds(text), (family, contact_kinds(text))
    assert redact(out) == out


@pytest.mark.parametrize("text", BENIGN)
def test_benign_sentence_unchanged(text):
    assert redact(text) == text


def test_redaction_keeps_the_rest_of_the_post():
    text = "𝐁𝐞𝐬𝐭 bars 💊 wіckr: рlugdаddy — ＤＭ for prices"
    assert redact(text) == "𝐁𝐞𝐬𝐭 bars 💊 wіckr: [HANDLE] — ＤＭ for prices"
    assert redact("W I C K R: p l u g 9 9\nthanks") == "W I C K R: [HANDLE]\nthanks"


def test_hashtags_field_is_redacted_like_the_caption():
    tags = ["wickrplugdaddy00", "plug_daddy_wickr", "xanax", "wickr", "kikme"]
    assert redact_hashtags(tags) == ["wickr[HANDLE]", "[HANDLE]_wickr", "xanax", "wickr", "kikme"]


def test_contact_values_are_canonical():
    assert contact_values("wіckr: @PlugDaddy") == [("wickr", "plugdaddy")]
    assert contact_values("W I C K R: p l u g d a d d y") == [("wickr", "plugdaddy")]
    assert contact_values("call (555) 2O1-3344") == [("phone", "+15552013344")]
    # A national number is read in the first configured region where it is valid, as the
    # detector reads it: Ofcom's drama range is no valid UK number, and libphonenumber takes
    # it for a German one; each writing of it gives that one value.
    assert contact_values("text 07700 900461") == [("phone", "+497700900461")]
    assert contact_values("txt 077OO-9OO-461") == [("phone", "+497700900461")]
    assert contact_values("RxStore at Gmail dot com") == [("email", "rxstore@gmail.com")]
    assert contact_values("rx{at}gmail(dot)com") == [("email", "rx@gmail.com")]
    assert contact_values("hit me on wickr") == []  # an app name is no account
    same = {
        v
        for t in ("kik: bigbars", "кik: ＢＩＧＢＡＲＳ", "k1k @bigbars")
        for v in contact_values(t)
    }
    assert same == {("kik", "bigbars")}


def test_spans_are_on_the_original_text():
    from dealerdetect.privacy.contacts import find_contacts

    text = "ok ＷＩＣＫＲ：ｐｌｕｇ​ｄａｄｄｙ !"
    (c,) = [c for c in find_contacts(text) if c.detail == "handle"]
    assert text[c.start : c.end] == "ｐｌｕｇ​ｄａｄｄｙ"


def test_configured_regions_only_read_their_national_formats():
    # "06 12 34 56 78" is a French mobile number written nationally: found with FR configured,
    # not when only US is.
    assert "phone" in contact_kinds("06 12 34 56 78", DEFAULT_PHONE_REGIONS)
    assert "phone" not in contact_kinds("06 12 34 56 78", ["US"])


def test_form_between_benign_sentences_leaves_them_whole():
    """Redaction replaces the contact and nothing around it, whichever sentences surround it."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None, derandomize=True)
    @given(st.sampled_from(BENIGN), st.sampled_from(FORMS), st.sampled_from(BENIGN))
    def check(before, form, after):
        text = f"{before} | {form[3]} | {after}"
        out = redact(text)
        assert out.startswith(f"{before} | ") and out.endswith(f" | {after}"), out
        assert not survives(form[2], out), out
        assert redact(out) == out

    check()


def test_fast_app_scan_finds_what_the_full_pattern_finds():
    """The name scan tries the app-name pattern only where a name may start; on every case and
    every caption of the file-study fixture it must give what scanning everywhere gives."""
    import json

    from dealerdetect.privacy import contacts
    from dealerdetect.text import normalize

    fixture = Path(__file__).parent / "data" / "file_study" / "posts.jsonl"
    captions = [json.loads(x)["caption"] for x in fixture.read_text().splitlines() if x]
    texts = [t for _f, _k, _s, t in FORMS] + BENIGN + captions
    for raw in texts:
        for text in (normalize(raw).text, normalize(raw, join_lines=True).text):
            full = [(m.span(), m.lastgroup) for m in contacts._APP_LEAD_RE.finditer(text)]
            fast = [(m.span(), m.lastgroup) for m in contacts._app_leads(text)]
            assert fast == full, raw
