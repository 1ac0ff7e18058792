"""Run a collection and write ``data/raw/<source>/``: the hits, the hashtag log, coder sheets.

Users (posters, commenters, mentions) are replaced by salted pseudonyms here, at collection, so no
handle is ever written past this point. Captions stay as collected in ``data/raw`` (git-ignored,
never edited afterwards); the corpus step redacts contact details before anything reaches
``results/``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from dealerdetect.privacy.csvsafe import write_rows
from dealerdetect.privacy.redaction import pseudonym

from ..drugs import Lexicon
from ..posts import Post, format_time, write_jsonl
from . import make_source
from .base import Window
from .discovery import Discovery, discover

log = logging.getLogger(__name__)


def pseudonymize(post: Post, salt: str) -> Post:
    post.user = pseudonym(post.user, salt)
    post.mentions = [pseudonym(m, salt) for m in post.mentions]
    for c in post.comments:
        c.user = pseudonym(c.user, salt)
    return post


def write_hashtags(disc: Discovery, path: Path) -> None:
    rows = disc.rows()
    path.parent.mkdir(parents=True, exist_ok=True)
    cols = ["hashtag", "loop", "reason", "cooccurrences", "posts", "status"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        write_rows(fh, cols, ([r.get(c, "") for c in cols] for r in rows))


def write_skipped(rows: list[dict], path: Path) -> None:
    """Every record the source read but did not collect, with the reason (nothing vanishes)."""
    cols = ["file", "row", "post_id", "reason"]
    with open(path, "w", newline="", encoding="utf-8") as fh:  # post ids may be anything
        write_rows(fh, cols, ([r.get(c, "") for c in cols] for r in rows))


def collect(
    collection_cfg: dict,
    seed: int,
    salt: str,
    out_dir: str | Path,
    drugs: dict | None = None,
    pictures: bool = True,
) -> dict:
    """Collect with the configured source and loops; returns counts for the log.

    ``drugs`` is the config's drug lexicon: loop 2 follows the hashtags it matches, and the
    simulated source builds its market from it. Required unless the source takes a file whole.
    ``pictures``: a source that draws its posts' pictures (the simulated one: ``write_picture``)
    writes each collected post's picture to ``images/<id>.jpg`` under ``out_dir`` and sets
    ``Post.image`` to that relative path; other sources set ``image`` themselves.
    """
    out = Path(out_dir)
    lexicon = Lexicon.from_config(drugs) if drugs else None
    source = make_source(collection_cfg, seed, lexicon)
    window = Window.from_config(collection_cfg["window"])
    disc = Discovery()
    # Naive dates in the config are UTC days (Window.from_config); say so where posts are dropped.
    outside = (
        f"outside the collection window {format_time(window.start)} to "
        f"{format_time(window.end)} (UTC)"
    )
    origin = getattr(source, "origin", {})  # file sources: where each post was read
    hits: list[Post] = []
    skipped: list[dict] = []
    try:
        if getattr(source, "apply_discovery", True) is False:
            # The user's own file, taken whole: only the window filters, and it is counted.
            for p in source.all_posts():
                if p.time in window:
                    hits.append(pseudonymize(p, salt))
                else:
                    where, row = origin.get(p.id, ("", ""))
                    skipped.append({"file": where, "row": row, "post_id": p.id, "reason": outside})
        else:
            if lexicon is None:
                raise ValueError("drugs: the drug lexicon is missing; loop 2 needs it")
            for post in discover(
                source,
                collection_cfg["seed_hashtags"],
                window,
                lexicon,
                collection_cfg["loops"],
                disc,
            ):
                hits.append(pseudonymize(post, salt))
            if hasattr(source, "all_posts"):
                # A file filtered by the loops: say which of its posts the loops never reached.
                reached = {p.id for p in hits}
                for p in source.all_posts():
                    if p.id not in reached:
                        why = (
                            outside if p.time not in window else "not reached by the hashtag loops"
                        )
                        where, row = origin.get(p.id, ("", ""))
                        skipped.append({"file": where, "row": row, "post_id": p.id, "reason": why})
        if pictures and hasattr(source, "write_picture"):
            write_pictures(source, hits, out)
    finally:
        # What was collected before a refusal is kept: write it, then let the error surface.
        n = write_jsonl(hits, out / "posts.jsonl")
        write_hashtags(disc, out / "hashtags.csv")
        skipped = [{"post_id": "", **s} for s in getattr(source, "skipped", [])] + skipped
        write_skipped(skipped, out / "skipped.csv")
        source.close()
    sheets = getattr(source, "annotations", None)
    if sheets is not None:
        write_simulated_sheets(source, hits, out / "annotation")
    unique = len({p.id for p in hits})
    log.info(
        "collected %d hits, %d unique posts, %d hashtags searched", n, unique, len(disc.hashtags)
    )
    return {"hits": n, "posts": unique, "hashtags": len(disc.hashtags), "skipped": len(skipped)}


def write_pictures(source, hits: list[Post], out: Path) -> int:
    """Each collected post's picture drawn once (a post may be hit under several hashtags),
    ``Post.image`` set on every hit of it; returns how many pictures were written."""
    paths: dict[str, str | None] = {}
    for p in hits:
        if p.id not in paths:
            paths[p.id] = source.write_picture(p.id, out)
        if paths[p.id]:
            p.image = paths[p.id]
    n = sum(1 for v in paths.values() if v)
    log.info("wrote %d pictures under %s", n, out / "images")
    return n


def write_simulated_sheets(source, hits: list[Post], out: Path) -> None:
    """The simulated world's two coders and adjudicator fill the sheets a real study would."""
    ids = sorted({p.id for p in hits})
    rows = source.annotations(ids)
    out.mkdir(parents=True, exist_ok=True)
    for coder in ("annotator_a", "annotator_b"):
        with open(out / f"{coder}.csv", "w", newline="", encoding="utf-8") as fh:
            write_rows(
                fh,
                ["post_id", "label", "image_category"],
                ((r["post_id"], r[coder], r.get("image_category", "")) for r in rows),
            )
    with open(out / "adjudication.csv", "w", newline="", encoding="utf-8") as fh:
        write_rows(
            fh,
            ["post_id", "annotator_a", "annotator_b", "final"],
            [
                (r["post_id"], r["annotator_a"], r["annotator_b"], r["final"])
                for r in rows
                if r["annotator_a"] != r["annotator_b"]
            ],
        )
