"""The account-level view: score accounts from their posts' out-of-fold scores.

People who act on such a model (public-health researchers counting dealers, trust-and-safety
analysts) act on accounts. An account's label is 1 when it has at least one dealer post (the
paper's "dealer users"). Its score aggregates its posts' out-of-fold scores by one of:

* ``max``: the account's most dealer-like post; flagged when any post is flagged;
* ``mean``: the average post; one stray post does not flag an account;
* ``noisy_or``: ``1 - prod(1 - p)``, the chance that at least one post is a dealer post were
  the posts independent. They are not (a dealer's posts are near-copies), so it is
  over-confident and drifts to 1 with the number of posts. In floating point it reaches
  exactly 1.0 for prolific dealers (11 accounts on the default corpus), so accounts are ranked
  by ``rank_score`` = ``-log(1 - score)`` summed in logs, which keeps their order.

An account may only be scored by models that never saw it: ``check_held_out`` verifies that
all of an account's posts lie in one test fold (the grouped protocol), since every fold's
model trains on the other folds. Under shuffled folds it raises.

Outputs carry pseudonymous ids (``u_`` + 12 hex) and contact *kinds* only (``wickr``,
``phone``...), never handles, numbers or addresses; ``check_ranked_privacy`` enforces it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dealerdetect.characterization import APPS
from dealerdetect.errors import InputValueError
from dealerdetect.evaluation.operations import OPERATION_RE
from dealerdetect.evaluation.stats import confusion, oof_auc, oof_pr_auc, prf
from dealerdetect.privacy.redaction import PSEUDONYM_RE

RULES = ("max", "mean", "noisy_or")
TOP_K = (10, 50, 100)
# Every kind characterization.find_contacts can return; anything else is refused as a possible
# contact detail rather than a kind.
CONTACT_KINDS = frozenset({*APPS, "phone", "email", "link", "bio", "handle"})
OOF_COLUMNS = ("id", "variant", "model", "fold", "label", "score", "pred")
RANKED_COLUMNS = (
    "variant",
    "model",
    "rule",
    "rank",
    "user",
    "score",
    "label",
    "n_posts",
    "n_flagged",
    "contact_kinds",
)


def _frame(x) -> pd.DataFrame:
    """A frame as given, or read from a .parquet / .jsonl (the corpus) / .csv path."""
    if isinstance(x, pd.DataFrame):
        return x
    path = Path(x)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True, dtype={"id": str, "user": str})
    return pd.read_csv(path, dtype={"id": str, "user": str})


def _frames(xs) -> pd.DataFrame:
    if isinstance(xs, (pd.DataFrame, str, Path)):
        xs = [xs]
    return pd.concat([_frame(x) for x in xs], ignore_index=True)


def _need(df: pd.DataFrame, columns, what: str) -> None:
    missing = sorted(set(columns) - set(df.columns))
    if missing:
        raise InputValueError(f"accounts: {what} lacks columns {missing}")


def _owner(users: pd.DataFrame, where: str = "") -> pd.Series:
    """id -> user; a post with two users is an error (mismatched inputs)."""
    _need(users, ("id", "user"), f"users frame{where}")
    owner = users[["id", "user"]].drop_duplicates().set_index("id")["user"]
    if not owner.index.is_unique:
        dup = owner.index[owner.index.duplicated()][0]
        raise InputValueError(f"accounts{where}: post {dup} has more than one user")
    return owner


def check_held_out(folds: pd.DataFrame, users: pd.DataFrame, where: str = "") -> None:
    """Raise unless every user's posts lie in exactly one fold.

    ``folds`` has columns id, fold; ``users`` id, user. A fold model trains on every other fold,
    so then no model that scores an account has seen any of its posts.
    """
    where = f" ({where})" if where else ""
    _need(folds, ("id", "fold"), f"folds frame{where}")
    dup = folds["id"][folds["id"].duplicated()]
    if len(dup):
        raise InputValueError(f"accounts{where}: post {dup.iloc[0]} is in the folds more than once")
    user = folds["id"].map(_owner(users, where))
    if user.isna().any():
        post = folds.loc[user.isna(), "id"].iloc[0]
        n = int(user.isna().sum())
        raise InputValueError(f"accounts{where}: {n} posts (first: {post}) have no user")
    n_folds = folds.groupby(user.values)["fold"].nunique()
    split = n_folds[n_folds > 1]
    if len(split):
        first = split.index[0]
        seen = sorted(folds.loc[(user == first).values, "fold"].unique().tolist())
        raise InputValueError(
            f"accounts{where}: {len(split)} users have posts in more than one fold (first: "
            f"{first}, folds {seen}); an account score needs folds grouped by user"
        )


# A post scored exactly 1 (a decision tree's leaf) would make the evidence infinite, and every
# such account tie; capped, each post at 1 adds the same large amount, so more of them rank higher.
P_MAX = 1 - 1e-12


def noisy_or_evidence(p) -> float:
    """``-log(prod(1 - p))``: increases with ``noisy_or`` and does not round to a tie near 1;
    finite (scores are capped at ``P_MAX``)."""
    return float(-np.log1p(-np.minimum(np.asarray(p, dtype=float), P_MAX)).sum())


def noisy_or(p) -> float:
    """``1 - prod(1 - p)``, in logs so thousands of posts do not underflow; exactly 1 when a
    post is scored 1."""
    if (np.asarray(p, dtype=float) >= 1).any():
        return 1.0
    return float(-np.expm1(-noisy_or_evidence(p)))


def account_scores(oof: pd.DataFrame, users=None, rules=RULES) -> pd.DataFrame:
    """One row per variant, model, rule and user: score, rank_score, label, n_posts, n_flagged.

    ``rank_score`` orders accounts (AUCs, precision@k, the review list): the score itself for
    ``max`` and ``mean``, ``noisy_or_evidence`` for ``noisy_or``.

    ``oof`` holds out-of-fold rows (id, variant, model, fold, label, score, pred); ``users``
    maps id to user (frame(s) or path(s) of the variant parquets), or None when ``oof`` has a
    ``user`` column. Raises if any account was split across folds.
    """
    _need(oof, OOF_COLUMNS, "out-of-fold frame")
    unknown = sorted(set(rules) - set(RULES))
    if unknown:
        raise InputValueError(f"accounts: unknown rules {unknown} (known: {list(RULES)})")
    bad = ~oof["score"].between(0.0, 1.0)
    if bad.any():
        row = oof[bad].iloc[0]
        raise InputValueError(
            f"accounts: score {row['score']} of post {row['id']} is not in [0, 1]"
        )
    if "protocol" in oof and oof["protocol"].nunique() > 1:
        raise InputValueError("accounts: the out-of-fold frame mixes protocols; pass one (grouped)")
    if users is None:
        _need(oof, ("user",), "out-of-fold frame without a users frame")
        df = oof
    else:
        df = oof.assign(user=oof["id"].map(_owner(_frames(users))))
    parts = []
    for (variant, model), g in df.groupby(["variant", "model"], sort=True):
        check_held_out(g[["id", "fold"]], g[["id", "user"]], f"{model}/{variant}")
        by = g.groupby("user", sort=True)
        base = pd.DataFrame(
            {"label": by["label"].max(), "n_posts": by.size(), "n_flagged": by["pred"].sum()}
        )
        aggs = {"max": (by["score"].max(),) * 2, "mean": (by["score"].mean(),) * 2}
        if "noisy_or" in rules:
            aggs["noisy_or"] = (by["score"].agg(noisy_or), by["score"].agg(noisy_or_evidence))
        for rule in rules:
            score, key = aggs[rule]
            one = base.assign(variant=variant, model=model, rule=rule, score=score, rank_score=key)
            parts.append(one.reset_index())
    cols = ["variant", "model", "rule", "user", "score", "rank_score", "label", "n_posts"]
    cols.append("n_flagged")
    out = pd.concat(parts, ignore_index=True)[cols]
    return out.astype({"label": int, "n_posts": int, "n_flagged": int})


def rank_order(score, ids) -> np.ndarray:
    """Indexes by score descending; equal scores by id ascending, so the order is reproducible."""
    return np.lexsort((np.asarray(ids, dtype=str), -np.asarray(score, dtype=float)))


def precision_at_k(label, score, k: int) -> float:
    """Share of dealer accounts among the ``k`` highest-scored ones.

    Accounts tied with the ``k``-th score share the places left at the cut: each counts as
    (places left) / (tied accounts), i.e. the precision expected when the tie is broken at
    random. Breaking it by id instead would make the number depend on the pseudonym salt, which
    every checkout draws anew (the ranked list still shows ties by id, for a stable order).
    With fewer than ``k`` accounts the reviewer reads the whole list, so the denominator is
    the number of accounts (then it equals the dealer share); unlike trec_eval, which counts the
    missing places as misses. NaN when there are no accounts.
    """
    if k < 1:
        raise InputValueError(f"precision_at_k: k must be at least 1, got {k}")
    label = np.asarray(label, dtype=float)
    score = np.asarray(score, dtype=float)
    if len(label) == 0:
        return float("nan")
    k = min(k, len(label))
    cut = np.sort(score)[::-1][k - 1]
    above, tied = score > cut, score == cut
    places = k - int(above.sum())
    return float((label[above].sum() + places * label[tied].mean()) / k)


def account_metrics(accounts: pd.DataFrame, threshold: float = 0.5, ks=TOP_K) -> pd.DataFrame:
    """Per variant, model and rule: P, R, F1 at ``threshold`` (score > threshold, as for posts),
    ROC AUC, PR AUC (average precision) and precision@k by ``rank_score``, as fractions; NaN
    AUCs on one class."""
    rows = []
    for (variant, model, rule), g in accounts.groupby(["variant", "model", "rule"], sort=True):
        pred = (g["score"] > threshold).astype(int)
        c = confusion(g["label"], pred)
        p, r, f = prf(c["tp"], c["fp"], c["fn"])
        row = dict(variant=variant, model=model, rule=rule, accounts=len(g))
        row.update(dealer_accounts=int(g["label"].sum()), precision=p, recall=r, f1=f)
        row.update(roc_auc=oof_auc(g["label"], g["rank_score"]))
        row.update(pr_auc=oof_pr_auc(g["label"], g["rank_score"]), **c)
        for k in ks:
            row[f"precision_at_{k}"] = precision_at_k(g["label"], g["rank_score"], k)
        rows.append(row)
    return pd.DataFrame(rows)


def _kinds(value) -> set[str]:
    """Contact kinds from a list/array, a comma-separated string, or nothing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return set()
    items = value.split(",") if isinstance(value, str) else list(value)
    return {str(k).strip().lower() for k in items if str(k).strip()}


def contact_kinds_by_user(contacts: pd.DataFrame, users: pd.DataFrame) -> pd.Series:
    """Sorted, comma-joined contact kinds per user over their posts; kinds only.

    ``contacts`` has id and ``contacts`` (per-post kinds: lists or comma strings; the corpus
    repeats a post once per hashtag hit, which is harmless). Unknown kinds raise: they might be
    a detail, not a kind.
    """
    _need(contacts, ("id", "contacts"), "contacts frame")
    kinds = contacts.assign(kinds=contacts["contacts"].map(_kinds))
    unknown = set().union(*kinds["kinds"]) - CONTACT_KINDS if len(kinds) else set()
    if unknown:
        raise InputValueError(f"accounts: unknown contact kinds {sorted(unknown)[:5]}")
    merged = users[["id", "user"]].drop_duplicates().merge(kinds[["id", "kinds"]], on="id")
    joined = merged.groupby("user")["kinds"].agg(lambda ks: ",".join(sorted(set().union(*ks))))
    return joined


def ranked_list(
    accounts: pd.DataFrame, contacts: pd.DataFrame, users: pd.DataFrame, variant, model, rule
) -> pd.DataFrame:
    """The review list of one variant, model and rule, best-scored account first."""
    g = accounts[
        (accounts["variant"] == variant) & (accounts["model"] == model) & (accounts["rule"] == rule)
    ]
    if g.empty:
        raise InputValueError(f"accounts: no accounts scored for {model}/{variant}/{rule}")
    g = g.iloc[rank_order(g["rank_score"], g["user"])].reset_index(drop=True)
    kinds = contact_kinds_by_user(_frames(contacts), _frames(users))
    g = g.assign(rank=np.arange(1, len(g) + 1), contact_kinds=g["user"].map(kinds).fillna(""))
    return g[list(RANKED_COLUMNS)]


def check_ranked_privacy(ranked: pd.DataFrame) -> None:
    """Raise unless the list holds only known columns, ``u_`` ids and known contact kinds."""
    extra = sorted(set(ranked.columns) - set(RANKED_COLUMNS))
    if extra:
        raise InputValueError(f"accounts: ranked list has unexpected columns {extra}")
    bad = ranked.loc[~ranked["user"].astype(str).map(PSEUDONYM_RE.fullmatch).astype(bool), "user"]
    if len(bad):
        raise InputValueError(
            f"accounts: ranked list row {bad.index[0]} has a non-pseudonymous user id"
        )
    for i, value in ranked["contact_kinds"].items():
        if not _kinds(value) <= CONTACT_KINDS:
            raise InputValueError(f"accounts: ranked list row {i} has unknown contact kinds")


def best_choice(metrics: pd.DataFrame, by: str = "pr_auc") -> tuple[str, str, str]:
    """(variant, model, rule) with the highest ``by``; ties to the first by name."""
    ok = metrics.dropna(subset=[by]).sort_values(
        [by, "variant", "model", "rule"], ascending=[False, True, True, True]
    )
    if ok.empty:
        raise InputValueError(f"accounts: no account metrics with a defined {by}")
    top = ok.iloc[0]
    return top["variant"], top["model"], top["rule"]


def write_accounts(
    oof,
    users,
    contacts,
    out_csv,
    ranked_csv,
    threshold: float = 0.5,
    ks=TOP_K,
    rules=RULES,
    choice: tuple[str, str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Account metrics to ``out_csv`` and the ranked review list to ``ranked_csv``.

    ``oof``: grouped-protocol out-of-fold frame(s) or path(s); ``users``: frame(s)/path(s) with
    id, user (the variant parquets); ``contacts``: frame(s)/path(s) with id, contacts (the
    corpus). ``choice`` = (variant, model, rule) of the ranked list; default the best PR AUC.
    """
    users = _frames(users)
    accounts = account_scores(_frames(oof), users, rules)
    metrics = account_metrics(accounts, threshold, ks)
    ranked = ranked_list(accounts, contacts, users, *(choice or best_choice(metrics)))
    check_ranked_privacy(ranked)
    for path in (out_csv, ranked_csv):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    metrics.to_csv(out_csv, index=False)
    ranked.to_csv(ranked_csv, index=False)
    return metrics, ranked


# --- operations: accounts linked by a shared contact or pasted ad (dealerdetect.evaluation.operations) ---

OPERATION_RANKED_COLUMNS = (
    "variant",
    "model",
    "rule",
    "rank",
    "operation",
    "score",
    "label",
    "accounts",
    "posts",
    "link_kinds",
)


def operation_scores(accounts: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """One row per variant, model, rule and operation: the best of its accounts' scores (and
    rank scores), label 1 when any account is a dealer, and its number of scored accounts.

    Each account was scored by models that never saw it; under folds grouped by operation also
    none of its operation's other accounts, under folds grouped by user those may have trained
    the model (the score is then optimistic)."""
    _need(members, ("user", "operation"), "members frame")
    op = dict(zip(members["user"].astype(str), members["operation"].astype(str), strict=True))
    a = accounts.assign(operation=accounts["user"].astype(str).map(op))
    if a["operation"].isna().any():
        first = a.loc[a["operation"].isna(), "user"].iloc[0]
        raise InputValueError(f"accounts: user {first} has no operation")
    g = a.groupby(["variant", "model", "rule", "operation"], sort=True)
    out = g.agg(
        score=("score", "max"),
        rank_score=("rank_score", "max"),
        label=("label", "max"),
        accounts=("user", "nunique"),
        n_posts=("n_posts", "sum"),
    )
    return out.reset_index()


def write_operation_ranking(
    oof,
    users,
    members,
    operations,
    out_csv,
    ranked_csv,
    protocol: str = "operation",
    threshold: float = 0.5,
    ks=TOP_K,
    rules=RULES,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Operation-level metrics (P/R/F1, ROC/PR AUC, precision@k by operation) to ``out_csv`` and
    the ranked operations of the best choice to ``ranked_csv`` (pseudonymous operation ids,
    counts and link kinds only). ``protocol``: whose out-of-fold scores ``oof`` holds."""
    members = _frames(members)
    ops = _frames(operations).set_index("operation")
    accounts = account_scores(_frames(oof), _frames(users), rules)
    scored = operation_scores(accounts, members)
    metrics = account_metrics(scored.drop(columns="accounts"), threshold, ks)
    metrics = metrics.rename(
        columns={"accounts": "operations", "dealer_accounts": "dealer_operations"}
    )
    metrics.insert(0, "protocol", protocol)
    variant, model, rule = best_choice(metrics)
    g = scored[
        (scored["variant"] == variant) & (scored["model"] == model) & (scored["rule"] == rule)
    ]
    g = g.iloc[rank_order(g["rank_score"], g["operation"])].reset_index(drop=True)
    g = g.assign(
        rank=np.arange(1, len(g) + 1),
        posts=g["operation"].map(ops["posts"]),
        link_kinds=g["operation"].map(ops["link_kinds"]).fillna(""),
    )
    ranked = g[list(OPERATION_RANKED_COLUMNS)]

    if not ranked["operation"].astype(str).map(OPERATION_RE.fullmatch).astype(bool).all():
        raise InputValueError("accounts: an operation id is not pseudonymous")
    for path in (out_csv, ranked_csv):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    metrics.to_csv(out_csv, index=False)
    ranked.to_csv(ranked_csv, index=False)
    return metrics, ranked
