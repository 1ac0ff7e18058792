"""Property tests for cleaning, hashtag extraction and indexing."""

from hypothesis import given, settings
from hypothesis import strategies as st

from dealerdetect.posts import extract_hashtags
from dealerdetect.preprocessing.steps import (
    PAD,
    build_dictionary,
    clean,
    is_hashtag,
    load_stopwords,
    to_index,
)
from dealerdetect.privacy.redaction import redact

SW = load_stopwords()
words = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=8)
captions = st.lists(
    st.one_of(
        words,
        words.map(lambda w: "#" + w),
        st.sampled_from(["!", "@", "😍", "https://x.co/a", "[PHONE]", "#", "’", "'"]),
    ),
    max_size=30,
).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_clean_never_crashes_and_gives_clean_tokens(text):
    toks = clean(text, SW)
    for t in toks:
        assert t and " " not in t and t == t.lower()
        assert t not in SW
        assert "@" not in t and "!" not in t
        assert t.count("#") <= 1 and (not t.startswith("#") or len(t) > 1)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(), captions))
def test_clean_is_idempotent(text):
    toks = clean(text, SW)
    assert clean(" ".join(toks), SW) == toks


@settings(max_examples=100, deadline=None)
@given(captions)
def test_hashtags_survive_cleaning_and_words_do_not_gain_a_hash(text):
    toks = clean(text, SW)
    tags = [t for t in toks if is_hashtag(t)]
    assert all(t.startswith("#") for t in tags)
    assert {t[1:] for t in tags} <= {h for h in extract_hashtags(text.lower())} | {
        t[1:] for t in tags
    }


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_extract_hashtags_is_lower_case_unique_and_without_hash(text):
    tags = extract_hashtags(text)
    assert len(tags) == len(set(tags))
    assert all(t and not t.startswith("#") and t == t.lower() for t in tags)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(words, max_size=20), min_size=1, max_size=10),
    st.integers(1, 60),
    st.integers(1, 20),
)
def test_index_sequences_always_have_the_configured_length(texts, text_length, tag_length):
    vocab = build_dictionary(texts)
    assert PAD not in vocab.values() and 1 not in vocab.values()
    for toks in texts:
        for length in (text_length, tag_length):
            seq = to_index(toks, vocab, length)
            assert len(seq) == length
            assert seq[: min(len(toks), length)] == [vocab[t] for t in toks[:length]]
            assert all(i == PAD for i in seq[len(toks) :])


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(), captions))
def test_redact_then_clean_is_stable(text):
    once = clean(redact(text), SW)
    assert clean(redact(" ".join(once)), SW) == once
