"""The labelled corpus: raw hits + final labels (step 6), redacted, and its summary.

Every source ends here in the same shape, so one summary (``results/corpus/summary.json``)
describes a simulated or a real corpus alike, beside the paper's figures.
"""

from __future__ import annotations

import functools
import json
import logging
import multiprocessing as mp
from pathlib import Path

import pandas as pd
import yaml

from dealerdetect.characterization import PAPER_APPS, contact_kinds, has_offer_to_buy
from dealerdetect.errors import InputValueError
from dealerdetect.posts import extract_hashtags, read_jsonl
from dealerdetect.preprocessing.language import identify
from dealerdetect.preprocessing.steps import PARALLEL_MIN_POSTS, dedupe_posts
from dealerdetect.privacy.redaction import (
    glued_apps,
    redact_hashtags,
    redact_picture_text,
    redact_post,
)

DATA = Path(__file__).parents[1] / "data"
log = logging.getLogger(__name__)


def paper_table2() -> pd.DataFrame:
    # Header comment lines start with '#'; so do the hashtags, so skip by line, not by character.
    lines = (DATA / "paper_table2.csv").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    return pd.read_csv(DATA / "paper_table2.csv", skiprows=start)


def paper_corpus() -> dict:
    return yaml.safe_load((DATA / "paper_corpus.yaml").read_text())


def drug_hashtags() -> dict[str, list[str]]:
    """Table 2's drugs and their hashtags (lower-case, without '#', duplicates once)."""
    t2 = paper_table2()
    t2 = t2[t2["hashtag"] != "Total"]
    return {
        d: list(dict.fromkeys(g["hashtag"].str.lstrip("#").str.lower()))
        for d, g in t2.groupby("drug", sort=False)
    }


def picture_kinds(text: str, phone_regions=None) -> set[str]:
    """Contact kinds in the text read from a picture. OCR gives each text box its own line, and
    pill imprints read as digit lines ("M30\n1639221") join into a phone number across them: a
    number is counted only when one line holds it (it is redacted either way). On the default
    corpus this keeps 58 of the 60 dealer pictures drawn with contact details and takes 9 of
    the 20 pictures counted without one off (10 left are "DM for the menu" pointers)."""
    kinds = contact_kinds(text, phone_regions) | glued_apps(text)
    if "phone" in kinds and not any(
        "phone" in contact_kinds(line, phone_regions) for line in text.splitlines()
    ):
        kinds.discard("phone")
    return kinds


_WORKER: dict = {}


def _start_worker(phone_regions) -> None:
    _WORKER["regions"] = phone_regions


def _read_post(key: tuple) -> tuple:
    """One post's texts redacted (read together, :func:`redact_post`), the contact kinds of
    the author's own text before redaction, and the language of the redacted caption."""
    caption, tags, comments, own = key
    regions = _WORKER.get("regions")
    red_caption, red_tags, red_comments = redact_post(caption, tags, comments, regions, own)
    own_text = " ".join(c for c, mine in zip(comments, own, strict=True) if mine)
    kinds = sorted(contact_kinds(caption + "\n" + own_text, regions))
    # Identified on the redacted caption, the text every later step reads.
    return red_caption, red_tags, red_comments, kinds, identify(red_caption)


def _read_posts(keys: list[tuple], phone_regions, jobs: int) -> list[tuple]:
    """:func:`_read_post` of every key, in a pool of ``jobs`` processes for large corpora (the
    result is the same: each post is read on its own)."""
    if jobs <= 1 or len(keys) < PARALLEL_MIN_POSTS or "fork" not in mp.get_all_start_methods():
        _start_worker(phone_regions)
        return [_read_post(k) for k in keys]
    with mp.get_context("fork").Pool(
        jobs, initializer=_start_worker, initargs=(phone_regions,)
    ) as pool:
        return pool.map(_read_post, keys, chunksize=max(64, len(keys) // (jobs * 8)))


def build_corpus(
    raw_path: str | Path,
    phone_regions=None,
    pictures: dict[str, dict] | None = None,
    jobs: int = 1,
) -> pd.DataFrame:
    """One row per collection hit with its contact kinds, redacted text and language.

    Contact kinds and offers to buy are read from the raw caption and comments before redaction;
    only the kinds (never the handle, number or address) are kept. ``phone_regions``: config
    ``privacy.phone_regions`` (None = ``contacts.DEFAULT_PHONE_REGIONS``), for both.
    ``pictures``: the text read from each post's picture by post id
    (``pictures.job.read_picture_texts``); it goes through the same detectors and redaction as
    the caption: ``picture_contacts`` holds the kinds found in it, ``picture_text`` the
    redacted text, ``picture`` whether it was read or why not ("" without a picture).
    ``jobs``: processes that read the posts (from ``PARALLEL_MIN_POSTS`` distinct posts up).
    """
    pictures = pictures or {}
    posts = list(read_jsonl(raw_path))
    # A post found under several hashtags is one hit per hashtag with the same texts (37,092 hits
    # of 12,857 posts in the default corpus), and the contact scan dominates: read each once.
    keys = [
        (
            p.caption,
            tuple(p.hashtags),
            tuple(c.text for c in p.comments),
            tuple(c.user == p.user for c in p.comments),
        )
        for p in posts
    ]
    distinct = list(dict.fromkeys(keys))
    read = dict(zip(distinct, _read_posts(distinct, phone_regions, jobs), strict=True))
    redact_picture = functools.cache(lambda text: redact_picture_text(text, phone_regions))
    picture_kinds_of = functools.cache(lambda text: picture_kinds(text, phone_regions))
    rows = []
    for p, key in zip(posts, keys, strict=True):
        caption, tags, texts, kinds, language = read[key]
        pic = pictures.get(p.id) or {}
        pic_text = pic.get("text") or ""
        rows.append(
            {
                "id": p.id,
                "user": p.user,
                "timestamp": p.timestamp,
                "caption": caption,
                # A handle glued into a hashtag ("#wickrplugdaddy00") goes like the caption's.
                "hashtags": tags,
                "comments": [
                    {"user": c.user, "timestamp": c.timestamp, "text": text}
                    for c, text in zip(p.comments, texts, strict=True)
                ],
                # Discovery may have followed a hashtag that carries a handle.
                "found_via": (redact_hashtags([p.found_via], phone_regions) or [""])[0],
                "loop": p.loop,
                "source": p.source,
                "contacts": kinds,
                "offer_to_buy": bool(has_offer_to_buy(p.caption, p.comments, p.user)),
                "language": language,
                "picture": pic.get("status", "") if p.image else "",
                "picture_text": redact_picture(pic_text) if pic_text else "",
                "picture_contacts": sorted(picture_kinds_of(pic_text)) if pic_text else [],
            }
        )
    df = pd.DataFrame(rows)
    if df.empty:
        raise InputValueError(f"{raw_path}: no posts were collected; nothing to label")
    return df


def attach_labels(corpus: pd.DataFrame, labels: dict[str, int]) -> pd.DataFrame:
    """The final label of every post; a post without one is an error, never a silent drop."""
    missing = sorted(set(corpus["id"]) - set(labels))
    if missing:
        raise InputValueError(
            f"labels: {len(missing)} collected posts have no final label (first: {missing[0]})"
        )
    return corpus.assign(label=corpus["id"].map(labels).astype(int))


def summarize(corpus: pd.DataFrame, source: str, kappa: float | None = None) -> dict:
    """Corpus figures in the paper's terms; shares are percent of dealer posts."""
    posts = dedupe_posts(corpus)
    dealers = posts[posts["label"] == 1]
    n = len(dealers)

    def share(mask) -> float:
        return round(100.0 * float(mask.sum()) / n, 2) if n else 0.0

    tags = dealers["hashtags"].map(set)
    drug_tags = drug_hashtags()
    all_tags = list(dict.fromkeys(t for ts in drug_tags.values() for t in ts))
    return {
        "source": source,
        "posts": int(len(posts)),
        "dealer_posts": int(n),
        "dealer_users": int(dealers["user"].nunique()),
        "kappa": None if kappa is None else round(float(kappa), 4),
        "dealer_share": {
            # "had hashtags" is read from the caption as posted; Table 2 from the hashtag field.
            "with_hashtags": share(dealers["caption"].map(lambda c: bool(extract_hashtags(c)))),
            "offer_to_buy": share(dealers["offer_to_buy"]),
            "apps": {a: share(dealers["contacts"].map(lambda k, a=a: a in k)) for a in PAPER_APPS},
            "drugs": {
                d: share(tags.map(lambda s, ts=ts: bool(s & set(ts))))
                for d, ts in drug_tags.items()
            },
            "hashtags": {f"#{t}": share(tags.map(lambda s, t=t: t in s)) for t in all_tags},
        },
    }


def write_corpus(corpus: pd.DataFrame, path: str | Path) -> None:
    from dealerdetect.posts import write_jsonl

    write_jsonl(corpus.to_dict(orient="records"), path)


def read_summary(path: str | Path) -> dict:
    """The corpus summary written by :func:`summarize` (``results/corpus/summary.json``)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_corpus(path: str | Path) -> pd.DataFrame:
    """The labelled corpus; ids and users stay strings (pandas would turn digits into ints)."""
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return pd.DataFrame(rows).astype({"id": str, "user": str})


def load_labels(
    annotation_dir: str | Path, ids: list[str] | None = None
) -> tuple[dict[str, int], dict]:
    """Final labels from the coders' sheets in ``annotation_dir`` (paper step 6), and a report.

    Reads ``annotator_a.csv`` and ``annotator_b.csv`` (two independent coders),
    ``adjudication.csv`` (decisions where they disagreed) and/or ``labels.csv`` (one
    ``post_id,label`` file annotated elsewhere). Raises ``LabelsIncomplete`` naming exactly what
    is missing; never returns partial labels.

    The report counts and lists (post ids only) what was set aside, each also a warning in the
    log: ``unknown_ids``, labels for posts not in ``ids`` (not collected, or outside the
    window); ``labels_file_overrides``, posts only one coder labelled where ``labels.csv``
    gave the other label and was used.
    """
    from dealerdetect.annotation import sheets as ann

    d = Path(annotation_dir)
    sheets = {
        name: d / f"{name}.csv" for name in ("annotator_a", "annotator_b", "adjudication", "labels")
    }
    if not any(p.exists() for p in sheets.values()):
        raise ann.LabelsIncomplete(
            [
                ann.MissingLabel(i, "not labelled by anyone", "annotators")
                for i in (ids or ["<all>"])
            ],
            {"annotators": str(d)},
        )
    a = (
        ann.read_sheet(sheets["annotator_a"], "annotator_a")
        if sheets["annotator_a"].exists()
        else None
    )
    b = (
        ann.read_sheet(sheets["annotator_b"], "annotator_b")
        if sheets["annotator_b"].exists()
        else None
    )
    adj = (
        ann.read_adjudication_sheet(sheets["adjudication"])
        if sheets["adjudication"].exists()
        else None
    )
    one = ann.read_labels_file(sheets["labels"]) if sheets["labels"].exists() else None
    try:
        labels, missing = ann.final_labels(a, b, adj, one, ids=ids)
    except ValueError as err:  # labels.csv against the coders' agreed label: name the file
        raise InputValueError(f"{sheets['labels']}: {err}") from err
    if missing:
        raise ann.LabelsIncomplete(missing, {k: str(v) for k, v in sheets.items()})
    report: dict = {"posts": len(labels), "dealer_posts": int(sum(labels.values()))}
    if ids is not None:
        given = set(a or {}) | set(b or {}) | set(adj or {}) | set(one or {})
        unknown = sorted(given - set(map(str, ids)))
        report["unknown_ids"] = {"count": len(unknown), "post_ids": unknown}
        if unknown:
            log.warning(
                "%d labelled post ids are not in the corpus and were ignored (%s): %s",
                len(unknown),
                d,
                _first(unknown),
            )
    overrides = ann.labels_file_overrides(a, b, adj, one)
    if one is not None:
        report["labels_file_overrides"] = {"count": len(overrides), "post_ids": overrides}
    if overrides:
        log.warning(
            "%s: for %d posts labelled by one coder only, labels.csv gives the other label and "
            "was used: %s",
            sheets["labels"],
            len(overrides),
            _first(overrides),
        )
    if a is not None and b is not None:
        both = {k: a[k] for k in a if k in b}
        report.update(
            kappa=ann.cohen_kappa(both, {k: b[k] for k in both}),
            coder_confusion={
                f"a{x}_b{y}": n
                for x, row in ann.coder_confusion(both, {k: b[k] for k in both}).items()
                for y, n in row.items()
            },
            disagreements=len(ann.disagreements(a, b)),
            adjudicated=len(adj or {}),
        )
    return labels, report


def _first(ids: list[str], n: int = 10) -> str:
    return ", ".join(ids[:n]) + (", ..." if len(ids) > n else "")


def annotation_template(
    raw_path: str | Path, annotation_dir: str | Path, out: str | Path, phone_regions=None
) -> int:
    """Write the sheet coders fill (step 6) for every post without a final label yet.

    Stable order (by post id), pseudonymous users, redacted captions and comments: coders see
    that a phone number or handle was there, which is what the coding scheme asks ("contact
    information"), never the detail itself; the post's link and image let them see the rest,
    as the paper's coders did. The sheet links to public posts about drug sales, so it is
    sensitive: ``out`` must not be under ``results/`` (kept for data under ``data/``).
    Returns the number of posts in the sheet.
    """
    from dealerdetect.annotation import sheets as ann
    from dealerdetect.posts import read_jsonl

    if "results" in Path(out).parts:
        raise InputValueError(
            f"{out}: coder sheets link to the posts; write them under data/ (git-ignored), "
            "never under results/"
        )
    corpus = build_corpus(raw_path, phone_regions=phone_regions)
    links = {p.id: {"url": p.url, "image": p.image} for p in read_jsonl(raw_path)}
    posts = dedupe_posts(corpus)
    try:
        labels, _ = load_labels(annotation_dir, ids=sorted(posts["id"]))
    except ann.LabelsIncomplete as err:
        labels = {i: 0 for i in set(posts["id"]) - {m.post_id for m in err.missing}}
    todo = posts[~posts["id"].isin(labels)]
    rows = todo[["id", "user", "caption", "hashtags", "comments", "language"]].to_dict("records")
    ann.write_sheet([{**r, **links.get(r["id"], {})} for r in rows], out)
    return len(todo)


ADJUDICATION_TODO = "adjudication_todo.csv"


def adjudication_todo(
    sheet_a: str | Path,
    sheet_b: str | Path,
    adjudicated: str | Path | None,
    corpus: pd.DataFrame,
    out: str | Path,
) -> int:
    """Write the posts the two coders disagree on, for the adjudication meeting.

    ``post_id,caption,annotator_a,annotator_b,final`` with redacted captions and an empty
    ``final``; posts already decided in ``adjudicated`` (an adjudication.csv, if any) are left
    out. The meeting fills
    ``final`` and saves the sheet as ``adjudication.csv``: the study never writes that file, so a
    rerun cannot overwrite decisions. Returns the number of posts listed.
    """
    from dealerdetect.annotation import sheets as ann

    a = ann.read_sheet(sheet_a, "annotator_a")
    b = ann.read_sheet(sheet_b, "annotator_b")
    done = ann.read_adjudication_sheet(adjudicated) if adjudicated else {}
    ids = set(corpus["id"].astype(str))
    disputed = [i for i in ann.disagreements(a, b) if i in ids and i not in done]
    posts = dedupe_posts(corpus)[["id", "caption"]].to_dict("records")
    ann.write_adjudication_sheet(disputed, posts, a, b, out)
    return len(disputed)


def labels_or_explain(
    annotation_dir: str | Path, corpus: pd.DataFrame, unlabelled: str = "error"
) -> tuple[dict[str, int], dict]:
    """Final labels, or an error naming what is missing and which sheet to fill.

    Where the coders disagree, the error points to ``adjudication_todo.csv`` (written by rule
    ``adjudication_sheet`` before labelling): fill its ``final`` column, save it as
    ``adjudication.csv``. ``unlabelled`` (config ``annotation.unlabelled``): ``"error"``, every
    post needs a label; ``"leave_out"``, posts no one labelled are left out (the annotation
    loop labels a part of the corpus), counted in the report as ``unlabelled_left_out``; a post
    one coder labelled, or one in dispute, is still an error.
    """
    from dealerdetect.annotation import sheets as ann

    ids = sorted(set(corpus["id"]))
    try:
        return load_labels(annotation_dir, ids=ids)
    except ann.LabelsIncomplete as err:
        if unlabelled == "leave_out":
            nobody = {m.post_id for m in err.missing if m.reason == "not labelled by anyone"}
            if nobody and len(nobody) == len(err.missing):
                kept = [i for i in ids if i not in nobody]
                if not kept:
                    raise InputValueError(
                        f"{annotation_dir}: no post is labelled yet (annotation.unlabelled: "
                        "leave_out); label a first batch (rule next_batch) and rerun"
                    ) from None
                labels, report = load_labels(annotation_dir, ids=kept)
                report["unlabelled_left_out"] = {"count": len(nobody)}
                log.warning(
                    "%d of %d collected posts have no label and are left out of the study "
                    "(annotation.unlabelled: leave_out)",
                    len(nobody),
                    len(ids),
                )
                return labels, report
            if nobody:  # the rest still needs a label; the unlabelled posts are not the problem
                sheets = ("annotator_a", "annotator_b", "adjudication", "labels")
                rest = [m for m in err.missing if m.post_id not in nobody]
                where = {n: str(Path(annotation_dir) / f"{n}.csv") for n in sheets}
                err = ann.LabelsIncomplete(rest, where)
        d = Path(annotation_dir)
        if not any(m.sheet == "adjudication" for m in err.missing):
            raise err from None
        where = {n: str(d / f"{n}.csv") for n in ("annotator_a", "annotator_b", "labels")}
        where["adjudication"] = f"{d / ADJUDICATION_TODO}, then save it as adjudication.csv"
        raise ann.LabelsIncomplete(err.missing, where) from None
