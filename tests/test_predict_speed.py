"""predict's fast path reads as the plain one: posts prepared on several processes, the
language identified only where it changes the tokens, and posts streamed in chunks."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from dealerdetect.preprocessing import steps
from dealerdetect.preprocessing.language import identify
from dealerdetect.privacy.contacts import contact_kinds
from dealerdetect.privacy.redaction import redact
from dealerdetect.stopwords import load_stopwords

ROOT = Path(__file__).resolve().parents[1]
SW = load_stopwords()

HAND_WRITTEN = [
    "hola amigos, tengo lo mejor de la ciudad, escribeme por wickr: plugdaddy",
    "la mejor calidad, envíos a todo el país #xanax",
    "Fresh batch today, hit me up on snap",
    "我们有最好的货 微信 plug99 #xanax",
    "es lo que hay bro, no cap #percocet",
    "con amor para todos 💊 y feliz fin de semana",
    "send it to me, yo te lo mando mañana",
    "te amo mi vida",
    "de nada",
    "",
    "😍😍😍",
    "https://example.com/shop y mas",
]


def _captions() -> list[str]:
    rows = (ROOT / "tests/data/multilingual/posts.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(r).get("caption") or "" for r in rows if r.strip()]
    return HAND_WRITTEN + texts


def _plain(caption: str, sw=SW):
    """predict's path before the shortcut: redact, identify, clean with that language."""
    text = redact(caption or "")
    language = identify(text)
    return steps.clean(text, sw, language), ",".join(sorted(contact_kinds(caption or "")))


def test_the_language_is_identified_only_where_it_changes_the_tokens():
    captions = _captions()
    prepared = steps.prepare_posts(captions, SW, kinds=True)
    identified = 0
    for caption, (toks, language, kinds) in zip(captions, prepared, strict=True):
        assert (toks, kinds) == _plain(caption), caption
        identified += language is not None
    assert 0 < identified < len(captions)


@pytest.mark.parametrize("name", ["spanish", "chinese"])
def test_a_configured_other_language_list_reads_alike(name):
    sw = load_stopwords(name) | SW
    captions = _captions()
    prepared = steps.prepare_posts(captions, sw, kinds=True)
    for caption, (toks, _language, kinds) in zip(captions, prepared, strict=True):
        assert (toks, kinds) == _plain(caption, sw), caption


def test_posts_prepared_on_two_processes_equal_one(monkeypatch):
    monkeypatch.setattr(steps, "PARALLEL_MIN_POSTS", 10)
    rng = random.Random(2019)
    captions = [f"{rng.choice(_captions())} {i}" for i in range(300)]
    assert steps.prepare_posts(captions, SW, kinds=True, jobs=2) == steps.prepare_posts(
        captions, SW, kinds=True, jobs=1
    )


def test_picture_text_stopwords_follow_the_caption_language():
    captions = ["Fresh batch today", "hola amigos, la mejor calidad"]
    pictures = ["la mejor de la ciudad", "la mejor de la ciudad"]
    settings = {"stopwords": "english"}
    feats = steps.featurize(captions, "with_pictures", settings, picture_texts=pictures)
    for i, caption in enumerate(captions):
        language = identify(redact(caption))
        want = steps.picture_tokens(redact(pictures[i]), SW, language)
        assert feats["pictures"][i].split() == want, caption
