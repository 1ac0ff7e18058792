"""Which posts to label next: the active-learning annotation loop (step 6, fewer labels).

The paper's coders labelled every post. Here they label one batch at a time; each batch is
chosen by the model trained on the labels so far:

- ``random``: a uniform random sample of the posts not labelled yet (the control);
- ``uncertainty``: the posts the model is least sure of (probability closest to 0.5);
- ``diverse``: the same order, but a post whose TF-IDF cosine similarity to a post already in
  the batch reaches ``near_duplicate`` is skipped, so one dealer's ad posted twenty times
  takes one label, not twenty.

With no labels yet, or labels of one class only (no model can be trained), the batch is a
stratified random sample: posts are allotted to the hashtag that found them in proportion
to its share of the corpus, and inside each hashtag every account gives its first post before
any gives a second, so that no account fills the batch.

The model is the study's TF-IDF logistic regression (``models.classic``), on the cleaned
caption (step 2, hashtags included) that the ``with_hashtags`` variant reads. Plain
scikit-learn: small-text would add a dependency (and its integrations pull PyTorch) for what
is here a probability, a sort and a cosine similarity. Every random choice is drawn from
``seed`` and the number of posts labelled so far, so the same labels give the same batch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from dealerdetect.errors import InputError, InputValueError

STRATEGIES = ("random", "uncertainty", "diverse")
NEXT_BATCH = "next_batch.csv"
MANIFEST = "next_batch.json"
SHEETS = ("annotator_a", "annotator_b", "adjudication", "labels")


class Selection(NamedTuple):
    ids: list[str]
    how: str  # what chose them, in words, for the manifest and the log


class NextBatchInUse(InputError):
    """next_batch.csv holds labels, or was not written by the study: it is not replaced."""


def _rng(seed: int, n_labelled: int) -> np.random.Generator:
    return np.random.default_rng([int(seed), int(n_labelled)])


def stratified_sample(posts: pd.DataFrame, size: int, seed: int, n_labelled: int = 0) -> list[str]:
    """``size`` ids from ``posts`` (columns ``id``, ``user``, ``found_via``): proportional to
    each hashtag, accounts taking turns inside each hashtag (first posts before second posts).

    ``found_via`` may be a hashtag or a list of them (a post found under several); a list is
    filed under its first hashtag in sorted order.
    """
    if size <= 0 or posts.empty:
        return []
    rng = _rng(seed, n_labelled)
    df = posts[["id", "user"]].copy()
    df["stratum"] = [
        (sorted(v)[0] if len(v) else "") if isinstance(v, list | tuple | np.ndarray) else str(v)
        for v in posts["found_via"]
    ]
    df["key"] = rng.random(len(df))
    df = df.sort_values(["key", "id"], kind="stable")
    # An account's k-th post (in random order) waits until every account gave k-1 posts.
    df["turn"] = df.groupby("user", sort=False).cumcount()
    size = min(size, len(df))
    counts = df["stratum"].value_counts().sort_index()
    quota = counts * size / len(df)
    alloc = np.floor(quota).astype(int)
    # Largest remainder, ties broken by stratum name, so the quotas add up to size.
    left = size - int(alloc.sum())
    order = sorted(counts.index, key=lambda s: (-(quota[s] - alloc[s]), s))
    for s in order[:left]:
        alloc[s] += 1
    chosen = []
    for s, n in alloc.items():
        group = df[df["stratum"] == s].sort_values(["turn", "key", "id"], kind="stable")
        chosen.extend(group["id"].head(int(n)))
    return sorted(chosen)


def similarity_space(texts: Sequence[str]):
    """L2-normalised TF-IDF rows of ``texts`` (dot product = cosine similarity); None if empty."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Unlabelled text is fair to use: the vocabulary comes from every post, no label is read.
    vec = TfidfVectorizer(analyzer=str.split, sublinear_tf=True)
    try:
        return vec.fit_transform(texts)
    except ValueError:  # every text empty
        return None


def diverse_pick(
    order: Sequence[int], texts: Sequence[str], size: int, near_duplicate: float, space=None
):
    """Indexes from ``order`` (best first), skipping any whose cosine similarity to one already
    picked is ``>= near_duplicate``; if that leaves fewer than ``size``, the skipped fill up."""
    order = list(order)
    if size >= len(order):
        return order
    X = similarity_space(texts) if space is None else space
    if X is None:
        return order[:size]
    picked: list[int] = []
    skipped: list[int] = []
    chunk = 256  # candidates compared at once, as sparse products, then decided in order
    for start in range(0, len(order), chunk):
        idx = order[start : start + chunk]
        Xc = X[idx]
        if picked:
            near_before = (Xc @ X[picked].T).max(axis=1).toarray().ravel() >= near_duplicate
        else:
            near_before = np.zeros(len(idx), dtype=bool)
        within = (Xc @ Xc.T).toarray()
        local: list[int] = []
        for j, i in enumerate(idx):
            if len(picked) == size:
                break
            empty = Xc.indptr[j + 1] == Xc.indptr[j]
            if not empty and (
                near_before[j] or (local and within[j, local].max() >= near_duplicate)
            ):
                skipped.append(i)
                continue
            picked.append(i)
            local.append(j)
        if len(picked) == size:
            break
    return picked + skipped[: size - len(picked)]


def choose_batch(
    posts: pd.DataFrame,
    texts: Sequence[str],
    labels: Mapping[str, int],
    taken: set[str] | None,
    size: int,
    strategy: str,
    seed: int,
    near_duplicate: float = 0.8,
    model_settings: Mapping | None = None,
    *,
    model=None,
    space=None,
) -> Selection:
    """The next ``size`` posts to label (sorted ids) and how they were chosen.

    ``posts``: one row per post (``id``, ``user``, ``found_via``) and ``texts`` its cleaned
    text, same order. ``labels``: final labels so far (the model's training set). ``taken``:
    every id already in a sheet, labelled or not (never offered again); ``labels`` is added.
    ``model``: a logistic regression already fitted on ``labels`` (the benchmark reuses the one
    it scores); ``space``: :func:`similarity_space` of ``texts``, to compute it once.
    """
    if strategy not in STRATEGIES:
        raise InputValueError(
            f"annotation.strategy: unknown strategy {strategy!r}; use {STRATEGIES}"
        )
    if size < 1:
        raise InputValueError(f"annotation.batch: must be at least 1, got {size}")
    ids = posts["id"].astype(str).tolist()
    if len(texts) != len(ids):
        raise InputValueError(f"{len(texts)} texts for {len(ids)} posts")
    taken = set(map(str, taken or ())) | set(map(str, labels))
    free = np.array([i not in taken for i in ids])
    if not free.any():
        return Selection([], "every post is labelled or in a sheet already")
    n_labelled = len(labels)
    rng = _rng(seed, n_labelled)
    known = [i for i in ids if i in labels]
    classes = {labels[i] for i in known}
    # Every strategy starts from the same stratified batch; random stays random after it.
    if not known or (strategy != "random" and len(classes) < 2):
        why = "no labels yet" if not known else "the labels so far are all of one class"
        pool = posts[free]
        return Selection(
            stratified_sample(pool, size, seed, n_labelled),
            f"stratified random sample by hashtag and account ({why})",
        )
    free_idx = np.flatnonzero(free)
    if strategy == "random":
        pick = rng.permutation(free_idx)[:size]
        return Selection(sorted(ids[i] for i in pick), "random sample (control)")
    from dealerdetect.models.classic import make_classifier, scores

    if model is None:
        pos = {i: k for k, i in enumerate(ids)}
        train = [pos[i] for i in known]
        model = make_classifier("logistic_regression", dict(model_settings or {}), seed=seed)
        model.fit([texts[k] for k in train], [labels[ids[k]] for k in train])
    p = scores(model, [texts[k] for k in free_idx])
    # Least sure first; a random key breaks ties (identical texts score alike).
    order = free_idx[np.lexsort((rng.random(len(free_idx)), np.abs(p - 0.5)))]
    if strategy == "uncertainty":
        pick = order[:size]
        how = f"uncertainty: least sure of the logistic regression trained on {n_labelled} labels"
    else:
        pick = diverse_pick(order, texts, size, near_duplicate, space=space)
        how = (
            f"diverse: least sure of the logistic regression trained on {n_labelled} labels, "
            f"no two with TF-IDF cosine similarity >= {near_duplicate}"
        )
    return Selection(sorted(ids[i] for i in pick), how)


def post_texts(posts: pd.DataFrame, stopwords: str = "english") -> list[str]:
    """The cleaned caption (step 2) of each post, hashtags included, as the models read it."""
    from dealerdetect.preprocessing.steps import clean, load_stopwords

    sw = load_stopwords(stopwords)
    return [" ".join(clean(c or "", sw)) for c in posts["caption"]]


# ----- the sheets in the annotation folder --------------------------------------------------


def sheet_ids(path: str | Path) -> set[str]:
    """Every post id in a sheet, labelled or not (a coder's row in progress is not offered)."""
    from dealerdetect.collection.files import read_csv_table
    from dealerdetect.privacy.csvsafe import unescape

    header, rows = read_csv_table(path)
    col = "post_id" if "post_id" in header or "id" not in header else "id"
    if col not in header:
        return set()
    j = header.index(col)
    return {unescape(c[j].strip()) for _, c in rows if j < len(c) and c[j].strip()}


def labels_so_far(annotation_dir: str | Path) -> tuple[dict[str, int], set[str]]:
    """Final labels in the sheets so far (agreed, adjudicated or from labels.csv) and every id
    in any sheet. Rows left empty are allowed here (coders are midway); a label that is not
    0/1 is still an error naming file, row and column."""
    from dealerdetect.annotation import sheets as ann

    d = Path(annotation_dir)
    got: dict[str, dict[str, int] | None] = {}
    taken: set[str] = set()
    for name in SHEETS:
        path = d / f"{name}.csv"
        if not path.exists():
            got[name] = None
            continue
        col = "final" if name == "adjudication" else "label"
        got[name] = ann._read_labels(path, col, name, allow_empty=True)
        taken |= sheet_ids(path)
    labels, _missing = ann.final_labels(
        got["annotator_a"], got["annotator_b"], got["adjudication"], got["labels"]
    )
    return labels, taken


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def check_next_batch(folder: str | Path) -> None:
    """Refuse to let the study replace ``next_batch.csv`` unless it wrote it and no label was
    filled in: raises :class:`NextBatchInUse` saying what to do. Nothing there is fine."""
    folder = Path(folder)
    sheet, manifest = folder / NEXT_BATCH, folder / MANIFEST
    if not sheet.exists():
        return
    from dealerdetect.annotation import sheets as ann

    try:
        filled = ann._read_labels(sheet, "label", "next batch", allow_empty=True)
    except ann.LabelFormatError as err:  # a label that does not parse is still a coder's work
        raise NextBatchInUse(
            f"{err}; the study does not write over a next_batch.csv it cannot read as its own. "
            "Copy any labels into the coders' sheets, move or delete the file and rerun."
        ) from None
    if filled:
        raise NextBatchInUse(
            f"{sheet}: {len(filled)} labels were filled in this file; the study does not write "
            "over them. Copy its rows into annotator_a.csv / annotator_b.csv (each coder their "
            "own), then delete next_batch.csv and rerun to get the next batch."
        )
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8")).get("sha256")
    except (OSError, ValueError, AttributeError):
        recorded = None
    if recorded != file_sha256(sheet):
        raise NextBatchInUse(
            f"{sheet}: this file is not the one the study wrote (no {MANIFEST}, or the file "
            "changed since); the study does not write over it. Move or delete it and rerun."
        )


def write_next_batch(
    raw_path: str | Path,
    annotation_dir: str | Path,
    out: str | Path,
    manifest: str | Path,
    settings: Mapping,
    seed: int,
    phone_regions=None,
    stopwords: str = "english",
    model_settings: Mapping | None = None,
) -> dict:
    """Write the next batch (the coder sheet's columns, redacted, formula-safe) and its
    manifest (how it was chosen, the file's sha256). ``settings``: config ``annotation``.
    Returns the manifest."""
    from dealerdetect.annotation import sheets as ann
    from dealerdetect.annotation.corpus import build_corpus
    from dealerdetect.posts import read_jsonl
    from dealerdetect.preprocessing.steps import dedupe_posts

    out, manifest = Path(out), Path(manifest)
    if "results" in out.parts:
        raise InputValueError(f"{out}: coder sheets link to the posts; write them under data/")
    check_next_batch(out.parent)
    corpus = build_corpus(raw_path, phone_regions=phone_regions)
    posts = dedupe_posts(corpus).sort_values("id", kind="stable").reset_index(drop=True)
    labels, taken = labels_so_far(annotation_dir)
    ids = set(posts["id"])
    labels = {k: v for k, v in labels.items() if k in ids}
    sel = choose_batch(
        posts,
        post_texts(posts, stopwords),
        labels,
        taken,
        int(settings["batch"]),
        settings["strategy"],
        seed,
        float(settings.get("near_duplicate", 0.8)),
        model_settings,
    )
    links = {p.id: {"url": p.url, "image": p.image} for p in read_jsonl(raw_path)}
    chosen = posts[posts["id"].isin(set(sel.ids))]
    rows = chosen[["id", "user", "caption", "hashtags", "comments"]].to_dict("records")
    ann.write_sheet([{**r, **links.get(r["id"], {})} for r in rows], out)
    info = {
        "posts": int(len(posts)),
        "labelled": len(labels),
        "in_sheets": len(taken & ids),
        "batch": len(sel.ids),
        "strategy": settings["strategy"],
        "chosen_by": sel.how,
        "seed": int(seed),
        "sha256": file_sha256(out),
    }
    manifest.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def labelling_summary(collected: int, labelled: int, loop: Mapping | None = None) -> dict:
    """How many posts were labelled and how they were chosen, for the corpus summary.

    ``loop``: config ``annotation`` when ``unlabelled`` is ``leave_out`` (else None: every post
    had to be labelled). The strategy is the one configured now; each batch's own is in
    next_batch.json beside the sheets.
    """
    left = collected - labelled
    if left == 0:
        how = "every collected post was labelled, as in the paper"
    elif loop:
        how = (
            f"{labelled} of {collected} posts labelled; the other {left} were left out "
            "(annotation.unlabelled: leave_out). Rule next_batch chooses the posts to label in "
            f"batches of {loop.get('batch')}: the first a stratified random sample by hashtag "
            f"and account, the next by strategy '{loop.get('strategy')}' (as configured now)"
        )
    else:
        how = f"{labelled} of {collected} posts labelled; the other {left} were left out"
    return {
        "collected_posts": int(collected),
        "labelled_posts": int(labelled),
        "left_out_unlabelled": int(left),
        "chosen": how,
    }


# ----- the learning-curve benchmark: coders simulated by known labels ------------------------

DEFAULT_SHARES = (0.01, 0.02, 0.04, 0.06, 0.08, 0.10, 0.15, 0.20, 0.25, 0.35, 0.50, 0.75, 1.0)


def learning_curve(
    posts: pd.DataFrame,
    texts: Sequence[str],
    strategies: Sequence[str] = STRATEGIES,
    models: Mapping[str, Mapping] | None = None,
    shares: Sequence[float] = DEFAULT_SHARES,
    folds: int = 5,
    repeats: int = 5,
    seed: int = 2019,
    near_duplicate: float = 0.8,
    progress=None,
) -> pd.DataFrame:
    """F1 against the number of labels, each strategy, with the coders simulated by ``label``.

    ``posts``: one row per post with ``id``, ``user``, ``found_via`` and the true ``label``.
    Per repeat (seed ``seed + r``), folds grouped by user; in each training part the loop
    starts from a stratified batch and labels up to ``share`` of it for each share, each step
    chosen by the logistic regression fitted on the labels so far; at each step every model in
    ``models`` (name -> settings, the study's pipelines) is fitted on the labels so far and
    scores the held-out fold. F1 is pooled over the folds' held-out posts. A step whose labels
    are all of one class predicts that class. Returns rows (strategy, model, share, labels,
    repeat, f1) with ``labels`` the mean labels per training part.
    """
    from dealerdetect.evaluation.stats import f1_of, grouped_folds
    from dealerdetect.models.classic import make_classifier, scores

    models = dict(models or {"svm": {}, "logistic_regression": {}})
    for name in strategies:
        if name not in STRATEGIES:
            raise InputValueError(f"unknown strategy {name!r}; use {STRATEGIES}")
    posts = posts.reset_index(drop=True)
    y = posts["label"].astype(int).to_numpy()
    texts = list(texts)
    rows = []
    for r in range(repeats):
        rs = seed + r
        fold_of = grouped_folds(posts["id"], y, posts["user"], folds, rs)
        # pred[(strategy, model, share)] = held-out predictions over every fold
        pred: dict[tuple, np.ndarray] = {}
        n_lab: dict[tuple, list[int]] = {}
        for k in range(folds):
            train, test = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
            pool = posts.iloc[train].reset_index(drop=True)
            ptexts = [texts[i] for i in train]
            test_texts = [texts[i] for i in test]
            truth = dict(zip(pool["id"].astype(str), y[train].tolist(), strict=True))
            space = similarity_space(ptexts)
            for strategy in strategies:
                labels: dict[str, int] = {}
                fitted = None
                for share in shares:
                    budget = max(1, int(round(share * len(pool))))
                    if budget > len(labels):
                        sel = choose_batch(
                            pool,
                            ptexts,
                            labels,
                            None,
                            budget - len(labels),
                            strategy,
                            rs,
                            near_duplicate,
                            models.get("logistic_regression"),
                            model=fitted,
                            space=space,
                        )
                        labels.update({i: truth[i] for i in sel.ids})
                    ids = list(labels)
                    lab_texts = [ptexts[j] for j in pool.index[pool["id"].isin(ids)]]
                    lab_y = [truth[i] for i in pool["id"][pool["id"].isin(ids)]]
                    fitted = None
                    for name, settings in models.items():
                        key = (strategy, name, share)
                        if len(set(lab_y)) < 2:
                            p = np.full(len(test), lab_y[0] if lab_y else 0)
                        else:
                            m = make_classifier(name, dict(settings), seed=rs)
                            m.fit(lab_texts, lab_y)
                            p = (scores(m, test_texts) > 0.5).astype(int)
                            if name == "logistic_regression":
                                fitted = m  # chooses the next batch, as the loop would
                        pred.setdefault(key, np.zeros(len(y), dtype=int))[test] = p
                        n_lab.setdefault(key, []).append(len(labels))
                if progress:
                    progress(f"repeat {r} fold {k} {strategy} done")
        for (strategy, name, share), p in pred.items():
            rows.append(
                {
                    "strategy": strategy,
                    "model": name,
                    "share": share,
                    "labels": int(round(np.mean(n_lab[(strategy, name, share)]))),
                    "repeat": r,
                    "f1": f1_of(y, p),
                }
            )
    return pd.DataFrame(rows)


def labels_to_reach(curve: pd.DataFrame, fraction: float = 0.95) -> pd.DataFrame:
    """Per model and strategy: the fewest labels whose mean F1 over repeats reaches
    ``fraction`` of the mean F1 with every label (the largest share), and that share."""
    mean = curve.groupby(["model", "strategy", "share"], as_index=False).agg(
        labels=("labels", "mean"), f1=("f1", "mean")
    )
    out = []
    for (model, strategy), g in mean.groupby(["model", "strategy"]):
        full = mean[(mean["model"] == model) & (mean["share"] == mean["share"].max())]["f1"].mean()
        hit = g[g["f1"] >= fraction * full].sort_values("share")
        first = hit.iloc[0] if len(hit) else None
        out.append(
            {
                "model": model,
                "strategy": strategy,
                "f1_all_labels": round(float(full), 4),
                "target_f1": round(float(fraction * full), 4),
                "labels": None if first is None else int(round(first["labels"])),
                "share": None if first is None else float(first["share"]),
            }
        )
    return pd.DataFrame(out)


__all__ = [
    "MANIFEST",
    "NEXT_BATCH",
    "STRATEGIES",
    "NextBatchInUse",
    "Selection",
    "check_next_batch",
    "choose_batch",
    "diverse_pick",
    "labelling_summary",
    "labels_so_far",
    "labels_to_reach",
    "learning_curve",
    "post_texts",
    "stratified_sample",
    "write_next_batch",
]
