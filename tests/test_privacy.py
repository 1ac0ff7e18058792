"""Pseudonyms, salt handling and redaction of contact details."""

import hashlib
import re
import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dealerdetect.privacy import PLACEHOLDERS, load_salt, pseudonym, redact


def test_pseudonym_format_and_definition():
    p = pseudonym("PlugDaddy", "s3cret")
    assert re.fullmatch(r"u_[0-9a-f]{12}", p)
    assert p == "u_" + hashlib.sha256(b"s3cret\0plugdaddy").hexdigest()[:12]


def test_pseudonym_deterministic_case_insensitive_and_salted():
    assert pseudonym("plugdaddy", "a") == pseudonym("PLUGDADDY", "a")
    assert pseudonym("plugdaddy", "a") != pseudonym("plugdaddy", "b")
    assert pseudonym("plugdaddy", "a") != pseudonym("plugdaddy2", "a")
    # The separator keeps (salt, handle) pairs apart: "ab"+"c" is not "a"+"bc".
    assert pseudonym("c", "ab") != pseudonym("bc", "a")


@given(st.text(), st.text())
def test_pseudonym_total(handle, salt):
    assert pseudonym(handle, salt) == pseudonym(handle, salt)


def test_load_salt_prefers_config(tmp_path):
    secret = tmp_path / "secrets" / "salt.txt"
    assert load_salt("from-config", secret) == "from-config"
    assert not secret.exists()


def test_load_salt_creates_and_reuses_file(tmp_path):
    secret = tmp_path / "deep" / "secrets" / "salt.txt"
    salt = load_salt(None, secret)
    assert re.fullmatch(r"[0-9a-f]{32}", salt)
    assert secret.read_text().strip() == salt
    assert load_salt(None, str(secret)) == salt  # str paths work, file is reused
    assert load_salt("", secret) == salt  # empty config salt means "not given"
    assert [p.name for p in secret.parent.iterdir()] == ["salt.txt"]  # no temp files left
    assert load_salt(None, tmp_path / "other.txt") != salt


def test_load_salt_reads_existing_and_rejects_empty(tmp_path):
    secret = tmp_path / "salt.txt"
    secret.write_text("  mysalt\n")
    assert load_salt(None, secret) == "mysalt"
    secret.write_text("")
    with pytest.raises(ValueError, match="empty"):
        load_salt(None, secret)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wickr: plugdaddy", "wickr: [HANDLE]"),
        ("Wickr me @plug_daddy", "Wickr me [HANDLE]"),
        ("📲 wickr 👉 plugdaddy", "📲 wickr 👉 [HANDLE]"),
        ("Kik: bigbars", "Kik: [HANDLE]"),
        ("TG: rx_plug", "TG: [HANDLE]"),
        ("t.me/rxsupply", "[URL]"),
        ("wa.me/15552013344", "[URL]"),
        ("order at https://rx-store.com/buy?id=1.", "order at [URL]."),
        ("www.rxstore.net", "[URL]"),
        ("whatsapp +1 (555) 201-3344", "whatsapp [PHONE]"),
        ("call/text 555-201-3344 now", "call/text [PHONE] now"),
        ("+44 7911 123456", "[PHONE]"),
        ("e-mail: rx.store@gmail.com", "e-mail: [EMAIL]"),
        ("email me at rx.store [at] gmail.com", "email me at [EMAIL]"),
        ("thanks @plug_daddy!", "thanks [HANDLE]!"),
        # Kept: app names without a handle, bio pointers, prices, doses, dates.
        ("hit me on #wickr, check my bio", "hit me on #wickr, check my bio"),
        ("$200 for 100 pills 2mg 07/19/2018 10:30", "$200 for 100 pills 2mg 07/19/2018 10:30"),
        ("", ""),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected
    assert redact(expected) == expected


def test_redact_mixed_caption():
    text = (
        "Xanax 2mg 📲 wickr: plugdaddy / kik @bigbars / 555-201-3344 / rx.store@gmail.com "
        "/ t.me/rxsupply"
    )
    out = redact(text)
    assert out == ("Xanax 2mg 📲 wickr: [HANDLE] / kik [HANDLE] / [PHONE] / [EMAIL] / [URL]")
    for raw in ("plugdaddy", "bigbars", "3344", "rx.store", "rxsupply"):
        assert raw not in out


# --- properties --------------------------------------------------------------------------

_handles = st.text(string.ascii_lowercase + string.digits + "_", min_size=5, max_size=15).filter(
    lambda h: h[0].isalpha()
)
_TEMPLATES = [
    "wickr: {h}",
    "Wickr me @{h}",
    "kik me @{h} for bars",
    "📲 telegram 👉 {h}",
    "snap: {h}",
    "xanax {sep} @{h} {sep}",
    "t.me/{h}",
    "contact {h}@gmail.com asap",
]
_APP_WORDS = ("wickr", "kik", "telegram", "whatsapp", "snap", "gmail", "xanax", "asap", "bars")


@given(
    st.sampled_from(_TEMPLATES),
    _handles,
    st.sampled_from(["", "🔥", "\n", " / "]),
)
def test_no_raw_handle_remains(template, handle, sep):
    assume(not any(handle in w or w in handle for w in _APP_WORDS))
    assume(handle not in {"contact", "username", "handle"})
    out = redact(template.format(h=handle, sep=sep))
    assert handle not in out


@given(
    st.from_regex(r"[2-9]\d\d", fullmatch=True),
    st.from_regex(r"[2-9]\d\d", fullmatch=True),
    st.from_regex(r"\d{4}", fullmatch=True),
    st.sampled_from(["{a}-{b}-{c}", "({a}) {b} {c}", "+1 {a}.{b}.{c}", "{a}{b}{c}"]),
    st.sampled_from(["call ", "whatsapp: ", "text me ", "📞"]),
)
def test_no_raw_number_remains(a, b, c, layout, lead):
    number = layout.format(a=a, b=b, c=c)
    out = redact(f"{lead}{number} for orders")
    assert "[PHONE]" in out
    assert a + b not in re.sub(r"\D", "", out)


@given(
    st.from_regex(r"[a-z][a-z0-9._]{1,12}[a-z0-9]", fullmatch=True),
    st.sampled_from(["gmail.com", "protonmail.ch", "mail.co.uk"]),
)
def test_no_raw_email_remains(local, domain):
    out = redact(f"orders: {local}@{domain} fast")
    assert out == "orders: [EMAIL] fast"


@given(st.text(max_size=300))
def test_redact_total_and_idempotent(text):
    once = redact(text)
    assert isinstance(once, str)
    assert redact(once) == once


# Text built from the pieces redaction cares about, so hypothesis explores their interplay.
_PIECES = st.sampled_from(
    [
        "wickr",
        "kik",
        "telegram",
        "whatsapp",
        "snap",
        "sc",
        "tg",
        "#wickr",
        "@",
        ":",
        " ",
        "-",
        "👉",
        ".",
        "/",
        "[",
        "]",
        "me",
        "id",
        "t.me",
        "wa.me",
        "http://",
        "www.",
        "555",
        "201",
        "3344",
        "+1",
        "(",
        ")",
        "gmail",
        ".com",
        "[at]",
        "plug",
        "_",
        "9",
        "\n",
        *PLACEHOLDERS,
    ]
)


@given(st.lists(_PIECES, max_size=25).map("".join))
def test_redact_idempotent_on_contact_like_text(text):
    once = redact(text)
    assert redact(once) == once
    for ph in PLACEHOLDERS:  # placeholders already there are never rewritten
        assert once.count(ph) >= text.count(ph)
