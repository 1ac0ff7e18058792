"""Round three of contact forms dealers write, and ordinary sentences that must stay whole.

The tables (tests/data/contact_forms/forms_round3.tsv, benign_round3.txt) were written before
the detector was changed for them; the first table's format is forms.tsv's.
"""

from __future__ import annotations

import pytest
from contact_cases import folded, load_benign, load_forms

from dealerdetect.privacy.contacts import contact_kinds
from dealerdetect.privacy.redaction import redact, redact_hashtags

FORMS = load_forms("forms_round3.tsv")
BENIGN = load_benign("benign_round3.txt")
OLD_BENIGN = load_benign()


def survives(secret: str, text: str) -> bool:
    return folded(secret) in folded(text)


def test_tables_are_big_enough():
    families = {}
    for family, *_ in FORMS:
        families[family] = families.get(family, 0) + 1
    assert len(families) >= 20 and min(families.values()) >= 3, families
    assert len(BENIGN) >= 30


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


def test_old_benign_sentences_still_unchanged():
    assert [t for t in OLD_BENIGN if redact(t) != t] == []


def test_handle_in_the_next_hashtag_of_the_field():
    # The hashtags field is read as one line: an app's tag and the handle's tag after it.
    tags = ["bars", "wickr", "plugdaddy99", "xanax"]
    assert redact_hashtags(tags) == ["bars", "wickr", "[HANDLE]", "xanax"]
    assert redact_hashtags(["wickr", "kik", "telegram"]) == ["wickr", "kik", "telegram"]


@pytest.mark.parametrize(
    "text",
    ["call 213-844-0000 for orders", "call 200-8४៤-0000 for orders", "txt 855-201-4477 now pls"],
)
def test_a_number_then_a_short_word_is_no_vanity_number(text):
    """Found by the property test: "844-0000 for" read as a vanity number ("0000-367") left
    a number whole or took the word with it."""
    out = redact(text)
    assert "[PHONE]" in out and out.split("[PHONE]")[1].split()[0] == text.split()[-2], out
