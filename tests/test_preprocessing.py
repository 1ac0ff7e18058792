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


def test_stopword_lists_load_from_a_group_writable_unpacked_copy(tmp_path, monkeypatch):
    """A release tarball unpacked by root leaves group-writable folders, which NLTK's data
    loader refuses: the shipped lists are read as plain files, whatever the modes."""
    import shutil

    from dealerdetect import stopwords

    copy = tmp_path / "stopwords"
    shutil.copytree(stopwords.STOPWORD_DIR, copy)
    for path in [tmp_path, copy, *copy.iterdir()]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    monkeypatch.setattr(stopwords, "STOPWORD_DIR", copy)
    stopwords.load_stopwords.cache_clear()
    try:
        assert stopwords.load_stopwords("english") == SW
        assert len(stopwords.load_stopwords("spanish")) == 313
        assert len(stopwords.load_stopwords("chinese")) == 841
    finally:
        stopwords.load_stopwords.cache_clear()


@pytest.mark.parametrize("name", ["klingon", "../english", "README", ""])
def test_an_unknown_stopword_list_is_one_line_naming_the_setting(name):
    from dealerdetect.stopwords import load_stopwords as load

    with pytest.raises(
        ValueError,
        match=r"^preprocessing\.stopwords: no stopword list .*shipped: chinese, english, spanish\)$",
    ):
        load(name)


def test_stopword_lists_read_as_nltk_reads_them():
    """NLTK's word-list reader is ``line_tokenize`` of the file (blank lines dropped)."""
    from nltk.tokenize import line_tokenize

    from dealerdetect.stopwords import STOPWORD_DIR, stopword_lists
    from dealerdetect.stopwords import load_stopwords as load

    for name in stopword_lists():
        raw = (STOPWORD_DIR / name).read_text(encoding="utf-8")
        assert load(name) == frozenset(line_tokenize(raw)), name
