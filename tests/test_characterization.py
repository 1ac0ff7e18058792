"""Contact details and offers to buy, as the paper's "Text Analysis of Drug Dealer Posts"."""

from dataclasses import FrozenInstanceError

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dealerdetect.characterization import (
    PAPER_APPS,
    Contact,
    contact_kinds,
    find_contacts,
    has_offer_to_buy,
)
from dealerdetect.posts import Comment

# (text, exact set of kinds) -- spellings seen in dealer captions and comments.
POSITIVE = [
    ("wickr: plugdaddy", {"wickr"}),
    ("Wickr me @plug_daddy", {"wickr"}),
    ("wickr ID - xanplug99", {"wickr"}),
    ("WICKR=plugdaddy", {"wickr"}),
    ("wickrme: plugdaddy", {"wickr"}),
    ("my wickr is xanplug99 🔌", {"wickr"}),
    ("wickr.me/xyz", {"wickr"}),
    ("📲 wickr 👉 plugdaddy", {"wickr"}),
    ("wickr➡️plugdaddy", {"wickr"}),
    ("kik me @bigbars", {"kik"}),
    ("Kik: bigbars", {"kik"}),
    ("telegram @rxsupply", {"telegram"}),
    ("t.me/rxsupply", {"telegram"}),
    ("https://t.me/rxsupply", {"telegram"}),
    ("TG: rx_plug", {"telegram"}),
    ("whatsapp +1 (555) 201-3344", {"whatsapp", "phone"}),
    ("WhatsApp: +44 7911 123456", {"whatsapp", "phone"}),
    ("Whats App 555-201-3344", {"whatsapp", "phone"}),
    ("wa.me/15552013344", {"whatsapp", "phone"}),
    ("snap: pillsplug", {"snapchat"}),
    ("sc: xyz_9", {"snapchat"}),
    # Two-letter forms need a handle that looks like one; a plain word is redacted as a handle
    # but not counted as the app ("TG: thanksgiving plans").
    ("sc: xyz", {"handle"}),
    ("snapchat - pills.plug", {"snapchat"}),
    ("+1 (555) 201-3344", {"phone"}),
    ("555-201-3344", {"phone"}),
    ("(555) 201 3344", {"phone"}),
    ("text 555 201 3344", {"phone"}),
    ("call/text 5552013344", {"phone"}),
    ("1-555-201-3344", {"phone"}),
    ("555.201.3344", {"phone"}),
    ("e-mail: rx.store@gmail.com", {"email"}),
    ("email me at rx.store [at] gmail.com", {"email"}),
    ("RX.Store (at) gmail (dot) com", {"email"}),
    ("check my bio", {"bio"}),
    ("Link in bio 👆", {"bio"}),
    ("info in my bio", {"bio"}),
    ("dm me", {"bio"}),
    ("DM for prices", {"bio"}),
    ("hmu", {"bio"}),
    ("hit me up fam", {"bio"}),
    ("@plug_daddy has the best", {"handle"}),
    ("hit me on wickr", {"wickr"}),
    ("add me on kik", {"kik"}),
    ("hit me on wickr for prices", {"wickr"}),
    ("#xanax #wickr #bars", {"wickr"}),
    ("#kikme", {"kik"}),
    ("we use telegram only", {"telegram"}),
    ("wickr, kik, telegram or whatsapp", {"wickr", "kik", "telegram", "whatsapp"}),
    # Several channels in one caption, the paper's typical dealer post.
    (
        "Xanax bars 2mg $200 📲 wickr: plugdaddy / kik @bigbars / call 555-201-3344 "
        "or rx.store@gmail.com, @friend check my bio",
        {"wickr", "kik", "phone", "email", "handle", "bio"},
    ),
    # An app handle and an e-mail: the address is an e-mail, the app still counts.
    ("wickr: rx.store@gmail.com", {"wickr", "email"}),
]

NEGATIVE = [
    "$200",
    "2mg",
    "100 pills for $500",
    "2018",
    "07/19/2018",
    "posted 2018-07-19 at 10:30",
    "10:30",
    "100 500 1000",
    "he was kicking it",
    "snapshot of the stash",
    "wicker basket",
    "sent a telegraph",
    "biology class",
    "snap a pic",
    "oh snap",
    "#wickrplug",
    "bars @10 each",
    "call me maybe",
    "+12 34 56",
    "admin",
    "",
]


@pytest.mark.parametrize(("text", "kinds"), POSITIVE)
def test_contact_kinds_positive(text, kinds):
    assert contact_kinds(text) == kinds


@pytest.mark.parametrize("text", NEGATIVE)
def test_contact_kinds_negative(text):
    assert contact_kinds(text) == set()
    assert find_contacts(text) == []


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        ("wickr: plugdaddy", "wickr", "plugdaddy"),
        ("Wickr me @plug_daddy", "wickr", "@plug_daddy"),
        ("wickr ID - xanplug99.", "wickr", "xanplug99"),
        ("📲 wickr 👉 plugdaddy", "wickr", "plugdaddy"),
        ("telegram » nightsource00", "telegram", "nightsource00"),  # found by the privacy scan
        ("kik › big_bars", "kik", "big_bars"),
        ("kik me @bigbars!", "kik", "@bigbars"),
        ("t.me/rxsupply", "telegram", "t.me/rxsupply"),
        ("whatsapp +1 (555) 201-3344", "whatsapp", "+1 (555) 201-3344"),
        ("text 555 201 3344", "phone", "555 201 3344"),
        ("e-mail: rx.store@gmail.com", "email", "rx.store@gmail.com"),
        ("email me at rx.store [at] gmail.com", "email", "rx.store [at] gmail.com"),
        ("pls check my bio", "bio", "check my bio"),
        ("hi @plug_daddy", "handle", "@plug_daddy"),
        ("#xanax #wickr", "wickr", "#wickr"),
        ("hit me on wickr", "wickr", "wickr"),
    ],
)
def test_spans(text, kind, span):
    (contact,) = find_contacts(text)
    assert contact.kind == kind
    assert text[contact.start : contact.end] == span


def test_contacts_sorted_and_disjoint():
    text = "kik @a1 / wickr: b_2 / 555-201-3344 / x@y.com / @c_3 / dm me"
    found = find_contacts(text)
    assert [c.kind for c in found] == ["kik", "wickr", "phone", "email", "handle", "bio"]
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start


def test_contact_is_frozen():
    c = Contact("wickr", 0, 5)
    with pytest.raises(FrozenInstanceError):
        c.kind = "kik"  # type: ignore[misc]


def test_paper_apps():
    assert PAPER_APPS == ("wickr", "telegram", "kik", "whatsapp")


def test_kinds_never_contain_the_detail():
    kinds = contact_kinds("wickr: plugdaddy 555-201-3344 rx@gmail.com")
    assert kinds == {"wickr", "phone", "email"}


@given(st.text(max_size=200))
def test_find_contacts_total(text):
    found = find_contacts(text)
    assert all(0 <= c.start < c.end <= len(text) for c in found)
    assert contact_kinds(text) == {c.kind for c in found}


# --- offers to buy ---------------------------------------------------------------------------

CAPTION = "Xanax bars 2mg, wickr: plugdaddy"


@pytest.mark.parametrize(
    "comment",
    [
        "how much?",
        "price?",
        "Prices for 10?",
        "i want some",
        "I'd like 20",
        "interested",
        "can i get 5",
        "do you ship to canada",
        "need 10 bars",
        "dm me",
        "hmu bro",
        "how do i order",
        "still selling?",
        "available?",
        "what's your wickr",
        "kik me @buyer_1",
        "add me on telegram",
    ],
)
def test_offer_to_buy_positive(comment):
    comments = [{"user": "buyer", "timestamp": "2018-08-01T12:00:00Z", "text": comment}]
    assert has_offer_to_buy(CAPTION, comments, "plugdaddy")


@pytest.mark.parametrize(
    "comment",
    [
        "lol nice",
        "🔥🔥🔥",
        "this is fake",
        "not interested",
        "reported",
        "priceless",
        "@friend look",
        "",
    ],
)
def test_offer_to_buy_negative(comment):
    comments = [{"user": "someone", "timestamp": "2018-08-01T12:00:00Z", "text": comment}]
    assert not has_offer_to_buy(CAPTION, comments, "plugdaddy")


def test_poster_own_comments_do_not_count():
    comments = [
        {"user": "PlugDaddy", "timestamp": "t", "text": "DM me for prices, how much you need?"},
        {"user": "@plugdaddy", "timestamp": "t", "text": "i want to sell"},
    ]
    assert not has_offer_to_buy(CAPTION, comments, "plugdaddy")


def test_comment_objects_and_missing_fields():
    objs = [Comment(user="plugdaddy", timestamp="t", text="how much?"), Comment("b", "t", "ok")]
    assert not has_offer_to_buy(CAPTION, objs, "plugdaddy")
    assert has_offer_to_buy(CAPTION, [*objs, Comment("b", "t", "how much?")], "plugdaddy")
    # No author: cannot be told apart from the seller, so it does not count.
    assert not has_offer_to_buy(CAPTION, [{"text": "how much?"}], "plugdaddy")
    assert not has_offer_to_buy(CAPTION, [{"user": "b", "text": None}], "plugdaddy")
    assert not has_offer_to_buy(CAPTION, [], "plugdaddy")
