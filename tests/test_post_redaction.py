"""A contact split between a post's fields: caption, hashtags and the author's own comments.

Each case is a post whose contact no single field holds whole (or holds without its cue), then
posts whose fields must come through as each field alone gives them.
"""

from __future__ import annotations

import json

import pytest
from contact_cases import folded

from dealerdetect.annotation.corpus import build_corpus
from dealerdetect.privacy.redaction import redact, redact_hashtags, redact_post

POSTER, OTHER = "u_seller", "u_buyer"

# (caption, hashtags, [(author, comment)], what must not survive anywhere in the post)
SPLIT = [
    ("wickr in the comments 👇", [], [(POSTER, "⬆️ plugdaddy99")], "plugdaddy99"),
    ("menu in bio", ["wickr"], [(POSTER, "plugdaddy99")], "plugdaddy99"),
    ("call 555 201", ["xanax"], [(POSTER, "3344 anytime")], "3344"),
    ("text me on whatsapp +44 7700", [], [(POSTER, "900461 ✅")], "900461"),
    ("my kik", ["bars"], [(OTHER, "price?"), (POSTER, "bigbars_uk")], "bigbars_uk"),
    ("snap 👻", [], [(POSTER, "xan.queen")], "xan.queen"),
    ("email me rxstore@", [], [(POSTER, "gmail.com")], "rxstore"),
    ("telegram:", ["oxy"], [(OTHER, "legit?"), (POSTER, "rxhouse_uk")], "rxhouse_uk"),
]

# Posts whose fields must be as each field alone redacts it: another user's comment is not
# read after the author's text ("hit my line" then "facts"), nor a tag after an app name.
KEEP = [
    ("party favors 🎉", ["xanax"], [(OTHER, "hit my line"), (OTHER, "facts")]),
    ("plug 🔌 t.me/vip_kid_ (telegram)", ["acid", "mood"], [(OTHER, "big mood")]),
    ("wickr me plugdaddy", ["oxy80s", "xanax"], [(OTHER, "same")]),
    ("Line: the queue was long today", ["love"], [(POSTER, "signal: boost was great")]),
    ("reported 7 accounts on instagram", ["oxycontin"], [(OTHER, "nice pic")]),
    # The author's own hashtag dump under a caption that ends in an app name.
    ("plug 🔌 t.me/vip_kid_ (telegram)", ["oxy80s"], [(POSTER, "tags: #oxy80s #xanax")]),
]


def _redact(caption, tags, comments):
    return redact_post(
        caption, tags, [t for _, t in comments], own=[u == POSTER for u, _ in comments]
    )


def _everything(caption, tags, comments) -> str:
    return "\n".join([caption, *tags, *comments])


@pytest.mark.parametrize(("caption", "tags", "comments", "secret"), SPLIT)
def test_a_contact_split_between_fields_is_redacted(caption, tags, comments, secret):
    raw = _everything(caption, tags, [t for _, t in comments])
    assert folded(secret) in folded(raw)  # the case itself is sound
    # Each field alone leaves it: that is what the reading together is for.
    alone = _everything(redact(caption), redact_hashtags(tags), [redact(t) for _, t in comments])
    assert folded(secret) in folded(alone)
    out = _redact(caption, tags, comments)
    assert folded(secret) not in folded(_everything(out[0], out[1], out[2])), out


@pytest.mark.parametrize(("caption", "tags", "comments"), KEEP)
def test_fields_read_apart_where_nothing_is_split(caption, tags, comments):
    alone = (redact(caption), redact_hashtags(tags), [redact(t) for _, t in comments])
    assert _redact(caption, tags, comments) == alone


def _raw_posts(tmp_path):
    rows = []
    for i, (caption, tags, comments, _) in enumerate(SPLIT + [(*k, None) for k in KEEP]):
        rows.append(
            {
                "id": f"p{i}",
                "user": POSTER,
                "timestamp": "2018-06-01T12:00:00",
                "caption": caption,
                "hashtags": tags,
                "comments": [
                    {"user": u, "timestamp": "2018-06-01T13:00:00", "text": t} for u, t in comments
                ],
            }
        )
    raw = tmp_path / "posts.jsonl"
    raw.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return raw


def test_the_corpus_reads_a_post_s_fields_together(tmp_path):
    corpus = build_corpus(_raw_posts(tmp_path))
    for (_, _, _, secret), (_, row) in zip(SPLIT, corpus.iterrows(), strict=False):
        text = _everything(row["caption"], row["hashtags"], [c["text"] for c in row["comments"]])
        assert folded(secret) not in folded(text), text


def test_the_corpus_read_by_several_processes_is_the_same(tmp_path, monkeypatch):
    import pandas as pd

    import dealerdetect.annotation.corpus as corpus_module

    raw = _raw_posts(tmp_path)
    one = build_corpus(raw, jobs=1)
    monkeypatch.setattr(corpus_module, "PARALLEL_MIN_POSTS", 2)
    pool = build_corpus(raw, jobs=2)
    pd.testing.assert_frame_equal(one, pool)
