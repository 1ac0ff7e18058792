"""Hashtags are whole tokens: "#xanax_bars" is one hashtag, and none of it reaches no_hashtags."""

import pandas as pd

from dealerdetect.preprocessing.steps import clean, is_hashtag, load_stopwords, preprocess

SW = load_stopwords()


def test_underscore_hashtag_is_one_token():
    assert clean("bars on deck #xanax_bars #Perc_30 #__oxy__", SW) == [
        "bars",
        "deck",
        "#xanax_bars",
        "#perc_30",
        "#__oxy__",
    ]
    assert all(is_hashtag(t) for t in clean("#xanax_bars#percs", SW))
    # Underscores still split words and drop on their own.
    assert clean("plug_daddy _ #___", SW) == ["plug", "daddy"]
    # Stable: cleaning the cleaned text gives the same tokens.
    once = clean("#xanax_bars and #wickr[HANDLE]", SW)
    assert once == ["#xanax_bars", "#wickr", "[handle]"]
    assert clean(" ".join(once), SW) == once


def test_no_part_of_a_hashtag_reaches_no_hashtags():
    posts = pd.DataFrame(
        {
            "id": ["1", "2", "3"],
            "user": ["a", "b", "c"],
            "timestamp": ["2018-08-01T00:00:00Z"] * 3,
            "caption": [
                "fast delivery #xanax_bars #perc_30",
                "no prescription needed #bars_on_deck",
                "just words here friend",
            ],
            "found_via": ["xanax"] * 3,
            "label": [1, 1, 0],
        }
    )
    variants, vocab, _ = preprocess(posts)
    words = " ".join(variants["no_hashtags"]["text"]).split()
    assert words == ["fast", "delivery", "prescription", "needed", "words", "friend"]
    assert not {"bars", "perc", "30", "deck", "xanax"} & set(words)
    tags = set(" ".join(variants["hashtags_only"]["text"]).split())
    assert tags == {"#xanax_bars", "#perc_30", "#bars_on_deck"}
    assert "#xanax" not in vocab and "#xanax_bars" in vocab
