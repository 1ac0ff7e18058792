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

NLTK_DATA = Path(__file__).parent / "data" / "nltk_data"
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

VARIANTS = ("with_hashtags", "hashtags_only", "no_hashtags")


@lru_cache(maxsize=4)
def load_stopwords(name: str = "english") -> frozenset[str]:
    """The NLTK stopword list shipped with the package (2018's 179-word English list)."""
    import nltk  # local import: only preprocessing needs NLTK

    if str(NLTK_DATA) not in nltk.data.path:
        nltk.data.path.insert(0, str(NLTK_DATA))
    from nltk.corpus import stopwords

    try:
        return frozenset(stopwords.words(name))
    except (OSError, LookupError) as err:
        raise ValueError(
            f"preprocessing.stopwords: no NLTK stopword list '{name}' in {NLTK_DATA}"
        ) from err


def clean(text: str, stopwords: frozenset[str]) -> list[str]:
    """Step 2: tokens of ``text`` without links, special characters and stopwords.

    Lower-cases; keeps '#' at the start of hashtags (``"sale#xanax"`` gives ``sale``, ``#xanax``)
    and a hashtag whole (``"#xanax_bars"`` is one token);
    drops '@', emoji and punctuation; apostrophes inside words are matched against the stopword
    list ("don't") and then removed ("dont" never reaches the dictionary).
    """
    # Case-fold and normalise before tokenising, so a second pass finds the same tokens.
    text = unicodedata.normalize("NFKC", URL_RE.sub(" ", text or "")).lower()
    out = []
    for m in TOKEN_RE.finditer(text.replace("#", " #")):
        tok = m.group(0)
        if tok.replace("’", "'") in stopwords:
            continue
        tok = tok.replace("'", "").replace("’", "")
        if tok == "#" or not tok:
            continue
        out.append(tok)
    return out


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


@dataclass
class Flow:
    """Posts left after each step, and every dropped post with its reason."""

    rows: list[dict] = field(default_factory=list)
    dropped: list[dict] = field(default_factory=list)

    def step(self, step: str, variant: str, before: pd.DataFrame, after: pd.DataFrame, reason: str):
        gone = before.loc[~before.index.isin(after.index)]
        self.rows.append(
            {
                "step": step,
                "variant": variant,
                "posts_in": len(before),
                "posts_out": len(after),
                "dropped": len(gone),
                "reason": reason if len(gone) else "",
            }
        )
        for pid in gone["id"]:
            self.dropped.append(
                {"post_id": pid, "variant": variant, "step": step, "reason": reason}
            )

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            self.rows, columns=["step", "variant", "posts_in", "posts_out", "dropped", "reason"]
        )


def dedupe_posts(hits: pd.DataFrame) -> pd.DataFrame:
    """Step 1: one row per post id; ``found_via`` lists every hashtag that found it.

    Hits of one id with different content are a data error, not a duplicate: raise, naming it.
    """
    hits = hits.reset_index(drop=True)
    content = hits[["id", "user", "timestamp", "caption"]].astype(str).drop_duplicates()
    clash = content["id"][content["id"].duplicated()]
    if len(clash):
        raise ValueError(
            f"step 1: post id {clash.iloc[0]!r} was collected with different content "
            f"({len(clash)} such ids); fix the raw data before deduplicating"
        )
    via = hits.groupby("id", sort=False)["found_via"].agg(lambda s: sorted(set(s)))
    first = hits.drop_duplicates("id", keep="first").copy()
    first["found_via"] = first["id"].map(via)
    if "loop" in first:
        first["loop"] = first["id"].map(hits.groupby("id")["loop"].min())
    return first


def _dedupe_texts(df: pd.DataFrame, col: str) -> tuple[pd.DataFrame, int]:
    """Step 5 for one variant: unique texts, and how many dropped copies had another label."""
    labels = df.groupby(col)["label"].nunique()
    conflicted = int(df[col].map(labels).gt(1).sum() - (labels > 1).sum())
    return df.drop_duplicates(col, keep="first"), conflicted


def preprocess(
    posts: pd.DataFrame,
    text_length: int = 50,
    hashtag_length: int = 15,
    min_tokens: int = 2,
    stopwords: str = "english",
):
    """Run steps 1-5 on collection hits (columns id, user, timestamp, caption, found_via, label).

    Returns ``(variants, vocab, flow)``: a DataFrame per variant (id, user, label, text, words,
    tags, text_idx, tag_idx), the dictionary, and the Flow record.
    """
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
    uniq["tokens"] = [clean(c, sw) for c in uniq["caption"]]
    flow.step("2_clean", "all", uniq, uniq, "")
    vocab = build_dictionary(uniq["tokens"])
    flow.step("3_dictionary", "all", uniq, uniq, "")

    original = uniq[uniq["tokens"].map(len) >= min_tokens]
    flow.step(
        "4_min_tokens",
        "all",
        uniq,
        original,
        f"fewer than {min_tokens} indexes after cleaning (step 4: 'more than 1 index')",
    )
    original = original.copy()
    original["words"] = original["tokens"].map(
        lambda ts: " ".join(t for t in ts if not is_hashtag(t))
    )
    original["tags"] = original["tokens"].map(lambda ts: " ".join(t for t in ts if is_hashtag(t)))
    original["all"] = original["tokens"].map(" ".join)

    sources = {
        "with_hashtags": ("all", original, None),
        "hashtags_only": ("tags", original[original["tags"] != ""], "no hashtags in the text"),
        "no_hashtags": (
            "words",
            original[original["words"] != ""],
            "no words left once hashtags are removed",
        ),
    }
    variants = {}
    for name, (col, df, reason) in sources.items():
        if reason is not None:
            flow.step("4_variant", name, original, df, reason)
        unique, conflicted = _dedupe_texts(df, col)
        why = "duplicate text within the variant"
        if conflicted:
            why += f" ({conflicted} copies carried the other label; the first copy's label kept)"
        flow.step("5_dedupe_texts", name, df, unique, why)
        out = pd.DataFrame(
            {
                "id": unique["id"].astype(str),
                "user": unique["user"].astype(str),
                "label": unique["label"].astype(int),
                "text": unique[col],
                "words": unique["words"],
                "tags": unique["tags"],
            }
        )
        out["text_idx"] = [to_index(w.split(), vocab, text_length) for w in out["words"]]
        out["tag_idx"] = [to_index(t.split(), vocab, hashtag_length) for t in out["tags"]]
        variants[name] = out.reset_index(drop=True)
    return variants, vocab, flow


def check_variants(variants: dict[str, pd.DataFrame], flow: Flow) -> None:
    """A variant the models cannot learn from is an error that shows where the posts went."""
    for name, df in variants.items():
        problem = None
        if df.empty:
            problem = "is empty after steps 1-5"
        elif df["label"].nunique() < 2:
            kind = "dealer" if int(df["label"].iloc[0]) == 1 else "non-dealer"
            problem = f"holds only {kind} posts ({len(df)}); a classifier needs both labels"
        if problem:
            raise ValueError(
                f"preprocessing: variant {name} {problem}. Posts left after each step:\n"
                + flow.frame().to_string(index=False)
            )


def run_and_write(corpus: pd.DataFrame, settings: dict, outputs) -> None:
    """Steps 1-5 on the labelled corpus; write the variants, dictionary, flow and dropped list."""
    import json

    variants, vocab, flow = preprocess(
        corpus,
        text_length=settings["text_length"],
        hashtag_length=settings["hashtag_length"],
        min_tokens=settings.get("min_tokens", 2),
        stopwords=settings.get("stopwords", "english"),
    )
    check_variants(variants, flow)
    for path in outputs.variants:
        variants[Path(path).stem].to_parquet(path, index=False)
    with open(outputs.vocabulary, "w", encoding="utf-8") as fh:
        json.dump(
            {"pad": PAD, "unknown": UNK, "size": len(vocab) + 2, "index": vocab},
            fh,
            ensure_ascii=False,
        )
    flow.frame().to_csv(outputs.flow, index=False)
    pd.DataFrame(flow.dropped, columns=["post_id", "variant", "step", "reason"]).to_csv(
        outputs.dropped, index=False
    )
