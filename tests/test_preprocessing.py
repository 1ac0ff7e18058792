import pandas as pd
import pytest

from dealerdetect.preprocessing.steps import (
    PAD,
    UNK,
    build_dictionary,
    clean,
    dedupe_posts,
    load_stopwords,
    preprocess,
    to_index,
)

SW = load_stopwords()


def test_stopword_list_is_the_2018_nltk_list():
    assert len(SW) == 179
    assert {"hers", "between", "yourself", "don't"} <= SW  # the paper's examples
    assert "xanax" not in SW


@pytest.mark.parametrize(
    "caption, expected",
    [
        ("Order NOW!!! for quick delivery 🚀", ["order", "quick", "delivery"]),
        (
            "no prescription needed #Xanax #2mgXanax",
            ["prescription", "needed", "#xanax", "#2mgxanax"],
        ),
        ("sale#xanax", ["sale", "#xanax"]),
        ("check https://example.com/shop and www.shop.example now", ["check"]),
        ("@plug_daddy hit me up", ["plug", "daddy", "hit"]),
        ("I don't want to be between yourself and hers", ["want"]),
        (
            "wickr: [HANDLE] call [PHONE] mail [EMAIL]",
            ["wickr", "[handle]", "call", "[phone]", "mail", "[email]"],
        ),
        ("😍😍😍", []),
        ("# alone ## #", ["alone"]),
        ("Café AU lait", ["café", "au", "lait"]),
    ],
)
def test_clean_hand_written_captions(caption, expected):
    assert clean(caption, SW) == expected


def test_clean_is_idempotent_on_its_output():
    toks = clean("Order now!! #Xanax bars, text [PHONE] https://x.co/1", SW)
    assert clean(" ".join(toks), SW) == toks


def test_dictionary_is_deterministic_and_reserves_pad_and_unknown():
    vocab = build_dictionary([["b", "a", "#x"], ["a", "#x"], ["c"]])
    assert vocab == {"#x": 2, "a": 3, "b": 4, "c": 5}
    assert min(vocab.values()) > max(PAD, UNK)
    assert to_index(["a", "zzz"], vocab, 4) == [3, UNK, PAD, PAD]
    assert to_index(list("abcdef"), {c: i + 2 for i, c in enumerate("abcdef")}, 3) == [2, 3, 4]


def _hits():
    rows = [
        # id, user, caption, label, found_via
        ("1", "u1", "order now #xanax #bars wickr [HANDLE]", 1, "xanaxangel"),
        ("1", "u1", "order now #xanax #bars wickr [HANDLE]", 1, "percocert"),  # step 1 duplicate
        (
            "2",
            "u2",
            "order now #xanax #bars wickr [HANDLE]",
            1,
            "xanaxangel",
        ),  # step 5 duplicate text
        ("3", "u3", "feeling sober today #recovery", 0, "xanaxangel"),
        ("4", "u4", "😍", 0, "xanaxangel"),  # nothing left after cleaning
        ("5", "u5", "#xanax #memes", 0, "percocert"),  # only hashtags: no words
        ("6", "u6", "pills are bad news", 0, "percocert"),  # no hashtags
    ]
    return pd.DataFrame(rows, columns=["id", "user", "caption", "label", "found_via"]).assign(
        timestamp="2018-08-01T00:00:00Z"
    )


def test_preprocess_steps_count_every_post():
    variants, vocab, flow = preprocess(_hits(), text_length=5, hashtag_length=3)
    f = flow.frame().set_index(["step", "variant"])
    assert f.loc[("1_dedupe_posts", "all"), "posts_out"] == 6
    assert f.loc[("4_min_tokens", "all"), "posts_out"] == 5
    assert set(variants["with_hashtags"]["id"]) == {"1", "3", "5", "6"}
    assert set(variants["no_hashtags"]["id"]) == {"1", "3", "6"}
    assert set(variants["hashtags_only"]["id"]) == {"1", "3", "5"}
    # Every unique post either reaches a variant or is listed as dropped with a reason.
    dropped = pd.DataFrame(flow.dropped)
    for name, df in variants.items():
        lost = set(dropped.loc[dropped["variant"].isin(["all", name]), "post_id"])
        assert set(df["id"]) | lost == {"1", "2", "3", "4", "5", "6"}
        assert (df["text_idx"].map(len) == 5).all() and (df["tag_idx"].map(len) == 3).all()
    assert (dropped["reason"] != "").all()
    # Hashtags never reach the text block; words never reach the hashtag block.
    row = variants["with_hashtags"].set_index("id").loc["1"]
    assert row["words"] == "order wickr [handle]" and row["tags"] == "#xanax #bars"
    assert all(i in (vocab["#xanax"], vocab["#bars"], PAD) for i in row["tag_idx"])


def test_dedupe_posts_merges_found_via_and_rejects_conflicting_content():
    uniq = dedupe_posts(_hits())
    assert uniq.set_index("id").loc["1", "found_via"] == ["percocert", "xanaxangel"]
    bad = _hits()
    bad.loc[1, "caption"] = "something else"
    with pytest.raises(ValueError, match="post id '1'"):
        dedupe_posts(bad)
