"""The paper's text analysis of dealer posts, counted on any labelled corpus.

Counts posts, never prints a handle, number or address: contact kinds were extracted before
redaction (``corpus.build_corpus``) and only their kinds were kept.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import pandas as pd
import yaml

from dealerdetect.annotation.corpus import DATA, paper_corpus
from dealerdetect.preprocessing.steps import dedupe_posts
from dealerdetect.privacy.contacts import APPS

from ..drugs import Lexicon
from ..posts import extract_hashtags

# The paper's four apps, Snapchat, and the apps the later literature reports (Signal, Threema,
# Session, LINE, WeChat, Discord, QQ, KakaoTalk): the paper has no figure for those.
APP_ORDER = APPS


@lru_cache(maxsize=1)
def hashtag_groups() -> dict[str, list[str]]:
    return yaml.safe_load((DATA / "hashtag_groups.yaml").read_text())


def hashtag_group(tag: str, lexicon: Lexicon) -> str | None:
    """The paper's group of a hashtag: drug_name (equals a family's proper name), codeword
    (any other hashtag the drug lexicon assigns to a family: misspellings, slang, compounds),
    sale_shipping, or None. Drug groups come from the lexicon (config ``drugs``); the sale
    stems from hashtag_groups.yaml (equal, or starts or ends with a stem of 4+ letters)."""
    t = tag.lower().lstrip("#")
    if lexicon.match(t):
        return "drug_name" if lexicon.is_drug_name(t) else "codeword"
    stems = hashtag_groups()["sale_shipping"]
    if any(t == s or (len(s) >= 4 and (t.startswith(s) or t.endswith(s))) for s in stems):
        return "sale_shipping"
    return None


def has_sale_language(text: str) -> bool:
    low = (text or "").lower()
    return any(p in low for p in hashtag_groups()["sale_phrases"])


def characterize(corpus: pd.DataFrame, lexicon: Lexicon) -> pd.DataFrame:
    """One row per measure: dealer posts carrying it, percent, and the paper's figures; the
    drug families of the lexicon found in dealer posts, most posts first."""
    posts = dedupe_posts(corpus)
    dealers = posts[posts["label"] == 1]
    n = len(dealers)
    paper = paper_corpus()
    pn = paper["dealer_posts"]
    contacts = dealers["contacts"].map(set)
    caption_tags = dealers["caption"].map(extract_hashtags)
    groups = dealers["hashtags"].map(lambda ts: {hashtag_group(t, lexicon) for t in ts} - {None})
    families = Counter(f for ts in dealers["hashtags"] for f in lexicon.families_of(ts))
    rows = [
        ("corpus", "dealer posts", n, paper["dealer_posts"]),
        ("corpus", "unique dealer users", dealers["user"].nunique(), paper["dealer_users"]),
        ("form", "with hashtags", int(caption_tags.map(bool).sum()), paper["with_hashtags"]),
        (
            "form",
            "descriptive text only",
            int((~caption_tags.map(bool)).sum()),
            paper["descriptive_only"],
        ),
        ("hashtag group", "drug names", int(groups.map(lambda g: "drug_name" in g).sum()), None),
        (
            "hashtag group",
            "codewords and misspellings",
            int(groups.map(lambda g: "codeword" in g).sum()),
            None,
        ),
        (
            "hashtag group",
            "sale and shipping words",
            int(groups.map(lambda g: "sale_shipping" in g).sum()),
            None,
        ),
        (
            "language",
            "sale-promoting language",
            int(dealers["caption"].map(has_sale_language).sum()),
            None,
        ),
    ]
    for fam, k in sorted(families.items(), key=lambda kv: (-kv[1], lexicon.keys.index(kv[0]))):
        rows.append(("drug family", lexicon[fam].name, k, None))
    for app in APP_ORDER:
        rows.append(
            (
                "messaging app",
                app,
                int(contacts.map(lambda c, a=app: a in c).sum()),
                paper["apps"].get(app),
            )
        )
    for kind, label in (
        ("phone", "phone number"),
        ("email", "e-mail address"),
        ("link", "short link or link-in-bio page"),
        ("bio", "refers to profile/bio or DM"),
    ):
        rows.append(("contact", label, int(contacts.map(lambda c, k=kind: k in c).sum()), None))
    rows.append(("contact", "any contact detail", int(contacts.map(bool).sum()), None))
    rows += picture_rows(dealers, contacts)
    rows.append(
        (
            "comments",
            "offer to buy in comments",
            int(dealers["offer_to_buy"].sum()),
            paper["offer_to_buy"],
        )
    )
    # Dealer posts per language of the post (language.identify), most frequent first.
    if "language" in dealers:
        for lang, k in dealers["language"].fillna("und").value_counts().items():
            rows.append(("post language", str(lang), int(k), None))
    out = pd.DataFrame(rows, columns=["section", "measure", "posts", "paper_posts"])
    out["percent"] = (100.0 * out["posts"] / n).round(2) if n else 0.0
    out["paper_percent"] = (100.0 * out["paper_posts"] / pn).round(2)
    out.loc[out["measure"] == "dealer posts", "paper_percent"] = 100.0
    return out[["section", "measure", "posts", "percent", "paper_posts", "paper_percent"]]


def picture_rows(dealers: pd.DataFrame, contacts: pd.Series) -> list[tuple]:
    """Contact details in pictures beside those in text: dealers put the contact in the picture
    because filters read captions. Kinds were read from the OCR text before redaction
    (``corpus.build_corpus``); the paper's figure is Figure 5's 60 pictures."""
    if "picture_contacts" not in dealers:
        return []
    in_pic = dealers["picture_contacts"].map(
        lambda k: set(k) if isinstance(k, list | tuple) else set()
    )
    read = dealers["picture"].fillna("").eq("read") if "picture" in dealers else in_pic.map(bool)
    rows = [
        (
            "picture",
            "dealer posts with a picture read",
            int(read.sum()),
            paper_corpus().get("pictures"),
        ),
        (
            "picture",
            "pictures with contact details",
            int(in_pic.map(bool).sum()),
            paper_corpus().get("pictures_with_contact"),
        ),
        (
            "picture",
            "contact only in the picture",
            int((in_pic.map(bool) & ~contacts.map(bool)).sum()),
            None,
        ),
    ]
    for app in APP_ORDER:
        k = int(in_pic.map(lambda c, a=app: a in c).sum())
        if k:
            rows.append(("messaging app in picture", app, k, None))
            both = int(
                (in_pic.map(lambda c, a=app: a in c) | contacts.map(lambda c, a=app: a in c)).sum()
            )
            rows.append(("messaging app, text or picture", app, both, None))
    for kind, label in (("phone", "phone number"), ("email", "e-mail address")):
        rows.append(
            ("contact in picture", label, int(in_pic.map(lambda c, k=kind: k in c).sum()), None)
        )
    return rows


def characterization_markdown(table: pd.DataFrame, note: str = "") -> str:
    lines = [
        "**Characterization of dealer posts** (paper: Results, Text Analysis of Drug Dealer Posts). "
        "Posts carrying each feature; percent of dealer posts. Counts only: no handle, number or "
        "address is ever printed.",
        "",
        "| Section | Measure | This run, n (%) | Paper, n (%) |",
        "|---|---|---:|---:|",
    ]
    for _, r in table.iterrows():
        paper = (
            "–"
            if pd.isna(r["paper_posts"])
            else f"{int(r['paper_posts'])} ({r['paper_percent']:.2f})"
        )
        lines.append(
            f"| {r['section']} | {r['measure']} | {r['posts']} ({r['percent']:.2f}) | {paper} |"
        )
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"
