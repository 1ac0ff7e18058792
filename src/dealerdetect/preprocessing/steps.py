"""Data Processing Phase, steps 1-5 of the paper, and the three input variants.

1. "We eliminated duplicate results of posts that appeared in multiple hashtag searches."
2. "we extracted the text and removed any hyperlinks, special characters (eg, emoji, !, @), and
   stop words [...]. We did not exclude # in this study"
3. "We then built a dictionary based on the words in all texts; each word had a corresponding
   index. Then we transformed the word into an index in each text."
4. "We kept text that had more than 1 index after step 2 as original data; then we removed all
   the hashtags from the original data and removed the texts that had no remaining words left."
5. "We eliminated the duplicate texts in each dataset after step 3."

Every post dropped is recorded with its step and reason (``Flow``); nothing disappears uncounted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dealerdetect.errors import InputValueError
from dealerdetect.preprocessing import tokens
from dealerdetect.privacy.csvsafe import to_csv as to_safe_csv
from dealerdetect.stopwords import load_stopwords  # noqa: F401 (step 2's stopwords)
from dealerdetect.study import registry

PAD, UNK = 0, 1  # index 0 pads sequences, 1 stands for words missing from the dictionary

URL_RE = re.compile(
    r"(?:https?://|www\.)\S+|\[URL\]|\b[a-z0-9-]+\.(?:com|net|org|me|ly|io)/\S*", re.I
)
# Redaction placeholders survive cleaning as tokens: the models learn "a phone number was here"
# without ever seeing the number (privacy, and it is the signal the paper describes).
PLACEHOLDER_RE = r"\[(?:PHONE|EMAIL|HANDLE)\]"
# A hashtag is one token with its underscores, as Instagram reads it ("#xanax_bars"), so no part
# of it reaches the text without hashtags; in words, "_" separates ("plug_daddy" -> plug, daddy).
TOKEN_RE = re.compile(
    PLACEHOLDER_RE + r"|#\w*[^\W_]\w*(?:['’][^\W_]+)*|[^\W_]+(?:['’][^\W_]+)*", re.I | re.UNICODE
)
# The stopword list of each language NLTK ships one for, by ISO 639-1 code (language.identify).
LANGUAGE_STOPWORDS = {"en": "english", "es": "spanish", "zh": "chinese"}


@lru_cache(maxsize=1)
def mark_token_re() -> re.Pattern:
    """TOKEN_RE with combining marks kept inside words (Thai vowels and tone marks, Devanagari
    vowel signs); where there is no mark it matches what TOKEN_RE matches."""
    mark = tokens.mark_class()
    w = rf"(?:[^\W_]|{mark})"
    return re.compile(
        PLACEHOLDER_RE + rf"|#(?:\w|{mark})*[^\W_]{w}*(?:['’]{w}+)*|[^\W_]{w}*(?:['’]{w}+)*",
        re.I | re.UNICODE,
    )


@lru_cache(maxsize=64)
def stopwords_for(base: frozenset[str], language: str | None) -> frozenset[str]:
    """``base`` (the configured list, the paper's English one by default) and the list of the
    post's ``language`` where NLTK ships one."""
    name = LANGUAGE_STOPWORDS.get(language or "")
    return base if name is None or name == "english" else base | load_stopwords(name)


def clean(text: str, stopwords: frozenset[str], language: str | None = None) -> list[str]:
    """Step 2: tokens of ``text`` without links, special characters and stopwords.

    Lower-cases; keeps '#' at the start of hashtags (``"sale#xanax"`` gives ``sale``, ``#xanax``)
    and a hashtag whole (``"#xanax_bars"`` is one token);
    drops '@', emoji and punctuation; apostrophes inside words are matched against the stopword
    list ("don't") and then removed ("dont" never reaches the dictionary). Combining marks stay
    in their words, and text in scripts written without spaces is cut into words per script
    (:mod:`dealerdetect.preprocessing.tokens`), in hashtags too. ``language`` (``language.identify``) adds
    that language's stopword list. The one tokenizer: the study, the LSTM's dictionary and
    predict all call it.
    """
    return _clean(text, stopwords, language)[0]


def _clean(
    text: str, stopwords: frozenset[str], language: str | None, probe: frozenset[str] = frozenset()
) -> tuple[list[str], bool]:
    """:func:`clean`, and whether a token it kept is in ``probe`` (one pass for both)."""
    # Case-fold and normalise before tokenising, so a second pass finds the same tokens.
    text = unicodedata.normalize("NFKC", URL_RE.sub(" ", text or "")).lower()
    # NFKC splits Thai and Lao SARA AM into NIKHAHIT + SARA AA, which no dictionary spells.
    text = tokens.recompose_sara_am(text)
    sw = stopwords_for(stopwords, language)
    text = text.replace("#", " #")
    # Text with no combining mark and no letter of a spaceless script (every post of the
    # default study) takes the paper's rule exactly.
    special = tokens.needs_script_rules(text)
    japanese = special and tokens.is_japanese(text)
    out, hit = [], False
    for m in (mark_token_re() if special else TOKEN_RE).finditer(text):
        tok = m.group(0)
        key = tok.replace("’", "'")
        if key in sw:
            continue
        hit = hit or key in probe
        tok = tok.replace("'", "").replace("’", "")
        if tok == "#" or not tok:
            continue
        if not (special and tokens.has_spaceless(tok)):
            out.append(tok)
            continue
        parts = [p for p in tokens.split_token(tok, japanese) if p not in sw and p != "#"]
        hit = hit or any(p in probe for p in parts)
        out.extend(parts)
    return out, hit


def is_hashtag(token: str) -> bool:
    return token.startswith("#") and len(token) > 1


def build_dictionary(token_lists) -> dict[str, int]:
    """Step 3: one dictionary for all texts; indexes by frequency, ties alphabetical.

    Deterministic (the authors' ``set()``-based vocabulary changed between runs). Indexes start
    at 2: 0 is padding and 1 the unknown word, so padding never collides with a real word.
    """
    counts = Counter(tok for toks in token_lists for tok in toks)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {tok: i + 2 for i, (tok, _) in enumerate(ordered)}


def to_index(tokens: list[str], vocab: dict[str, int], length: int) -> list[int]:
    """First ``length`` indexes of ``tokens``, zero-padded at the end (Model Training)."""
    idx = [vocab.get(t, UNK) for t in tokens[:length]]
    return idx + [PAD] * (length - len(idx))


def token_views(
    tokens: pd.Series, index=None, picture_tokens: pd.Series | None = None
) -> pd.DataFrame:
    """The texts each variant reads, from cleaned tokens: ``all`` (with hashtags), ``words``
    (hashtags removed), ``tags`` (hashtags only), ``pictures`` (the cleaned words read from the
    post's picture, empty without one) and ``all_pictures`` (``all``, then ``pictures``),
    space-joined."""
    if picture_tokens is None:
        picture_tokens = [[] for _ in range(len(tokens))]
    rows = [
        (
            " ".join(ts),
            " ".join(t for t in ts if not is_hashtag(t)),
            " ".join(t for t in ts if is_hashtag(t)),
            " ".join(ps),
            " ".join([*ts, *ps]),
        )
        for ts, ps in zip(tokens, picture_tokens, strict=True)
    ]
    return pd.DataFrame(
        rows, columns=["all", "words", "tags", "pictures", "all_pictures"], index=index
    )


def add_indexes(
    frame: pd.DataFrame,
    vocab: dict[str, int],
    text_length: int,
    hashtag_length: int,
    picture_length: int = 30,
) -> pd.DataFrame:
    """The LSTM's inputs: ``text_idx`` from the words, ``tag_idx`` from the hashtags and
    ``pic_idx`` from the picture's words (the third branch of the with_pictures variant)."""
    frame = frame.copy()
    frame["text_idx"] = [to_index(w.split(), vocab, text_length) for w in frame["words"]]
    frame["tag_idx"] = [to_index(t.split(), vocab, hashtag_length) for t in frame["tags"]]
    pictures = frame["pictures"] if "pictures" in frame else [""] * len(frame)
    frame["pic_idx"] = [to_index(t.split(), vocab, picture_length) for t in pictures]
    return frame


@lru_cache(maxsize=8)
def _other_stopwords(base: frozenset[str]) -> frozenset[str]:
    """The words of every other language's list not in ``base``: a text none of whose tokens
    is one is cleaned alike whatever its language."""
    out: frozenset[str] = frozenset()
    for name in sorted(set(LANGUAGE_STOPWORDS.values()) - {"english"}):
        out = out | load_stopwords(name)
    return out - base


# The settings of the processes that prepare posts for predict (set by _start_worker).
_WORKER: dict = {}


def _start_worker(stopwords: frozenset[str], phone_regions, kinds: bool) -> None:
    _WORKER.update(stopwords=stopwords, regions=phone_regions, kinds=kinds)


def _prepare(caption: str) -> tuple[list[str], str | None, str | None]:
    """One new post for scoring: its tokens (redacted, step 2), its language where that changes
    the tokens (None where it cannot), and its contact kinds (joined by ",")."""
    from dealerdetect.preprocessing.language import identify
    from dealerdetect.privacy.contacts import contact_kinds
    from dealerdetect.privacy.redaction import redact

    sw, regions = _WORKER["stopwords"], _WORKER["regions"]
    caption = caption or ""
    text = redact(caption, regions)
    toks, other = _clean(text, sw, None, _other_stopwords(sw))
    language = None
    # The language only adds its stopword list; identifying it (py3langid, the costly part)
    # changes nothing where no token is on another language's list.
    if other:
        language = identify(text)
        toks = clean(text, sw, language)
    # Right after redact, which read the same caption: the contact detector's cache answers.
    kinds = ",".join(sorted(contact_kinds(caption, regions))) if _WORKER["kinds"] else None
    return toks, language, kinds


# Below this many posts one process is faster than starting the others.
PARALLEL_MIN_POSTS = 2000


def prepare_posts(
    captions: list[str],
    stopwords: frozenset[str],
    phone_regions=None,
    kinds: bool = False,
    jobs: int = 1,
) -> list[tuple[list[str], str | None, str | None]]:
    """:func:`_prepare` for each caption, on ``jobs`` processes for a large batch (forked, so
    the loaded tables are shared); the result is the same whatever ``jobs``."""
    import multiprocessing as mp

    _start_worker(stopwords, phone_regions, kinds)
    if jobs <= 1 or len(captions) < PARALLEL_MIN_POSTS or "fork" not in mp.get_all_start_methods():
        return [_prepare(c) for c in captions]
    ctx = mp.get_context("fork")
    with ctx.Pool(
        jobs, initializer=_start_worker, initargs=(stopwords, phone_regions, kinds)
    ) as pool:
        return pool.map(_prepare, captions, chunksize=max(64, len(captions) // (jobs * 8)))


def featurize(
    captions: list[str],
    variant: str,
    settings: dict,
    vocab: dict[str, int] | None = None,
    phone_regions=None,
    picture_texts: list[str] | None = None,
    jobs: int = 1,
    prepared: list | None = None,
) -> pd.DataFrame:
    """New posts as the model of ``variant`` saw its training posts: redacted, cleaned (step 2),
    split into the variant's text and, with a dictionary, indexed (step 3). ``picture_texts``:
    the text read from each post's picture (redacted here like the caption). ``jobs``: processes
    for a large batch; ``prepared``: :func:`prepare_posts` of the captions, where already made.
    The column ``language`` is identified only where it changes the tokens (else None). Used by
    predict; the study's own posts take the same functions inside :func:`preprocess`."""
    from dealerdetect.privacy.redaction import redact

    sw = load_stopwords(settings.get("stopwords", "english"))
    if prepared is None:
        prepared = prepare_posts(list(captions), sw, phone_regions, jobs=jobs)
    toks = [p[0] for p in prepared]
    languages = [p[1] for p in prepared]
    pics = None
    if picture_texts is not None:
        from dealerdetect.preprocessing.language import identify

        pics = []
        for i, pic in enumerate(picture_texts):
            pic = redact(pic or "", phone_regions)
            if languages[i] is None and _clean(pic, sw, None, _other_stopwords(sw))[1]:
                # The caption's language decides the picture's stopwords too.
                languages[i] = identify(redact(captions[i] or "", phone_regions))
            pics.append(picture_tokens(pic, sw, languages[i]))
    views = token_views(pd.Series(toks, dtype=object), picture_tokens=pics)
    views["language"] = languages
    views["text"] = views[registry.variant(variant).text_column]
    if vocab is not None:
        views = add_indexes(
            views,
            vocab,
            settings["text_length"],
            settings["hashtag_length"],
            settings.get("picture_length", 30),
        )
    return views


def picture_tokens(text: str, stopwords: frozenset[str], language: str | None) -> list[str]:
    """Step 2 for the text read from a picture: cleaned like a caption, but a '#' the OCR read
    makes no hashtag (the picture's words are words), so hashtag marks are dropped."""
    return [t.lstrip("#") for t in clean(text, stopwords, language) if t.lstrip("#")]


@dataclass
class Flow:
    """Posts left after each step, and every dropped post with its reason."""

    rows: list[dict] = field(default_factory=list)
    dropped: list[dict] = field(default_factory=list)

    def step(
        self,
        step: str,
        variant: str,
        before: pd.DataFrame,
        after: pd.DataFrame,
        reason: str,
        conflict_groups: int = 0,
    ):
        gone = before.loc[~before.index.isin(after.index)]
        self.rows.append(
            {
                "step": step,
                "variant": variant,
                "posts_in": len(before),
                "posts_out": len(after),
                "dropped": len(gone),
                "reason": reason if len(gone) else "",
                "label_conflict_groups": conflict_groups,
            }
        )
        for pid in gone["id"]:
            self.dropped.append(
                {"post_id": pid, "variant": variant, "step": step, "reason": reason}
            )

    def frame(self) -> pd.DataFrame:
        columns = ["step", "variant", "posts_in", "posts_out", "dropped", "reason"]
        out = pd.DataFrame(self.rows, columns=columns + ["label_conflict_groups"])
        return out.fillna({"label_conflict_groups": 0}).astype({"label_conflict_groups": int})


def dedupe_posts(hits: pd.DataFrame) -> pd.DataFrame:
    """Step 1: one row per post id; ``found_via`` lists every hashtag that found it.

    Hits of one id with different content are a data error, not a duplicate: raise, naming it.
    """
    hits = hits.reset_index(drop=True)
    content = hits[["id", "user", "timestamp", "caption"]].astype(str).drop_duplicates()
    clash = content["id"][content["id"].duplicated()]
    if len(clash):
        raise InputValueError(
            f"step 1: post id {clash.iloc[0]!r} was collected with different content "
            f"({len(clash)} such ids); fix the raw data before deduplicating"
        )
    via = hits.groupby("id", sort=False)["found_via"].agg(lambda s: sorted(set(s)))
    first = hits.drop_duplicates("id", keep="first").copy()
    first["found_via"] = first["id"].map(via)
    if "loop" in first:
        first["loop"] = first["id"].map(hits.groupby("id")["loop"].min())
    return first


def _dedupe_texts(df: pd.DataFrame, col: str) -> tuple[pd.DataFrame, int, int]:
    """Step 5 for one variant: unique texts; how many texts had copies carrying both labels
    (groups) and how many copies beyond the first each such text had."""
    labels = df.groupby(col)["label"].nunique()
    groups = int((labels > 1).sum())
    conflicted = int(df[col].map(labels).gt(1).sum() - groups)
    return df.drop_duplicates(col, keep="first"), groups, conflicted


def preprocess(
    posts: pd.DataFrame,
    text_length: int = 50,
    hashtag_length: int = 15,
    picture_length: int = 30,
    min_tokens: int = 2,
    stopwords: str = "english",
    variants: list[str] | tuple[str, ...] = registry.VARIANT_NAMES,
):
    """Run steps 1-5 on collection hits (columns id, user, timestamp, caption, found_via, label).

    Returns ``(variants, vocab, flow)``: a DataFrame per requested variant (id, user, label,
    language, text, words, tags, text_idx, tag_idx), the dictionary, and the Flow record. The
    language of each post is the corpus's ``language`` column, identified here when absent.
    """
    wanted = [registry.variant(v).name for v in variants]
    flow = Flow()
    hits = posts.reset_index(drop=True)
    flow.rows.append(
        {
            "step": "0_collected",
            "variant": "all",
            "posts_in": len(hits),
            "posts_out": len(hits),
            "dropped": 0,
            "reason": "",
        }
    )
    uniq = dedupe_posts(hits)
    # Step 1 drops repeated hits, not posts: counted here, but no post id is lost.
    flow.rows.append(
        {
            "step": "1_dedupe_posts",
            "variant": "all",
            "posts_in": len(hits),
            "posts_out": len(uniq),
            "dropped": len(hits) - len(uniq),
            "reason": "same post collected under several hashtags" if len(hits) > len(uniq) else "",
        }
    )

    sw = load_stopwords(stopwords)
    uniq = uniq.reset_index(drop=True)
    if "language" not in uniq:  # a corpus written before posts carried their language
        from dealerdetect.preprocessing.language import identify_all

        uniq["language"] = identify_all(uniq["caption"].fillna("").astype(str))
    uniq["language"] = uniq["language"].fillna("und").astype(str)
    uniq["tokens"] = [
        clean(c, sw, lang) for c, lang in zip(uniq["caption"], uniq["language"], strict=True)
    ]
    # The text read from the picture (redacted like the caption); none without pictures.
    pictures = (
        uniq["picture_text"].fillna("").astype(str)
        if "picture_text" in uniq
        else pd.Series([""] * len(uniq), index=uniq.index)
    )
    uniq["picture_tokens"] = [
        picture_tokens(t, sw, lang) if t else []
        for t, lang in zip(pictures, uniq["language"], strict=True)
    ]
    flow.step("2_clean", "all", uniq, uniq, "")
    # Caption tokens first, then the words only pictures hold: without pictures the dictionary
    # is the paper's, index for index.
    vocab = build_dictionary(uniq["tokens"])
    extra = build_dictionary([[t for t in ts if t not in vocab] for ts in uniq["picture_tokens"]])
    vocab.update({tok: i + len(vocab) for tok, i in extra.items()})
    flow.step("3_dictionary", "all", uniq, uniq, "")

    original = uniq[uniq["tokens"].map(len) >= min_tokens]
    flow.step(
        "4_min_tokens",
        "all",
        uniq,
        original,
        f"fewer than {min_tokens} indexes after cleaning (step 4: 'more than 1 index')",
    )
    original = pd.concat(
        [
            original,
            token_views(original["tokens"], original.index, original["picture_tokens"]),
        ],
        axis=1,
    )

    out_variants = {}
    for spec in (registry.VARIANTS[v] for v in wanted):
        name, col, reason = spec.name, spec.text_column, spec.empty_reason
        df = original if reason is None else original[original[col] != ""]
        if reason is not None:
            flow.step("4_variant", name, original, df, reason)
        unique, groups, conflicted = _dedupe_texts(df, col)
        why = "duplicate text within the variant"
        if conflicted:
            why += (
                f" ({groups} texts had copies with both labels, {conflicted} copies in all; "
                "the first copy's label kept)"
            )
        flow.step("5_dedupe_texts", name, df, unique, why, conflict_groups=groups)
        out = pd.DataFrame(
            {
                "id": unique["id"].astype(str),
                "user": unique["user"].astype(str),
                "timestamp": unique["timestamp"].astype(str),
                "label": unique["label"].astype(int),
                "language": unique["language"],
                "text": unique[col],
                "words": unique["words"],
                "tags": unique["tags"],
                "pictures": unique["pictures"],
            }
        )
        out = add_indexes(out, vocab, text_length, hashtag_length, picture_length)
        out_variants[name] = out.reset_index(drop=True)
    return out_variants, vocab, flow


def write_preprocessed(
    corpus: pd.DataFrame,
    settings: dict,
    folds: int,
    variant_paths: dict[str, str | Path],
    vocabulary_path: str | Path,
    flow_path: str | Path,
    dropped_path: str | Path,
    status_path: str | Path,
) -> pd.DataFrame:
    """Steps 1-5 on the labelled corpus for the variants in ``variant_paths`` (name -> path);
    write them, the dictionary, the flow, the dropped list and each variant's status (usable by
    ``folds``-fold cross-validation, or not run and why). Returns the status table; whether an
    unusable variant stops the study (``preprocessing.strict``) is decided by the workflow
    (``variant_status.usable``)."""
    import json
    import logging

    from dealerdetect.preprocessing.variant_status import variant_status

    variants, vocab, flow = preprocess(
        corpus,
        text_length=settings["text_length"],
        hashtag_length=settings["hashtag_length"],
        picture_length=settings.get("picture_length", 30),
        min_tokens=settings.get("min_tokens", 2),
        stopwords=settings.get("stopwords", "english"),
        variants=list(variant_paths),
    )
    status = variant_status(variants, flow, folds)
    for _, row in status[status["status"] != "run"].iterrows():
        logging.warning("variant %s is not run: %s", row["variant"], row["reason"])
    for name, path in variant_paths.items():
        variants[name].to_parquet(path, index=False)
    with open(vocabulary_path, "w", encoding="utf-8") as fh:
        json.dump(
            {"pad": PAD, "unknown": UNK, "size": len(vocab) + 2, "index": vocab},
            fh,
            ensure_ascii=False,
        )
    to_safe_csv(flow.frame(), flow_path)
    to_safe_csv(
        pd.DataFrame(flow.dropped, columns=["post_id", "variant", "step", "reason"]),
        dropped_path,
    )
    status.to_csv(status_path, index=False)
    return status
