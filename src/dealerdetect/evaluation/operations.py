"""Operations: accounts run by one seller, linked by a shared contact detail or a pasted ad.

One dealer runs several accounts; when one is banned the next posts the same ad with the same
Wickr handle or phone number. Two accounts are linked when

* they give the same contact detail (``contact_values``: a phone number in E.164, an app handle
  per app, an e-mail address), read from the raw caption and the poster's own comments before
  redaction; only salted hashes of the values are kept (``contact_hashes``), or
* they post near-identical text: MinHash LSH (``datasketch``) over word shingles of the redacted
  caption without hashtags and redaction placeholders, each candidate pair confirmed by its
  exact Jaccard similarity (``near_duplicates``).

An operation is a connected component of these links over accounts (a lone account is an
operation of one). Operation ids are ``o_`` + 12 hex of a hash of the member pseudonyms, so they
are pseudonymous and reveal no contact. ``operations.csv`` carries counts and link kinds only.

``leakage`` measures, per protocol and variant, the share of test posts with a near-duplicate,
their own account, or their operation in the training folds.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from dealerdetect.errors import InputValueError
from dealerdetect.privacy.contacts import APPS, contact_values
from dealerdetect.privacy.redaction import PLACEHOLDERS, PSEUDONYM_RE

# Link kinds an operation can be joined by: the contact kinds read by contact_values, then text.
# What privacy.contacts.contact_values gives: a number, an e-mail, a handle per app, a handle
# of no named app ("ig: ..."), a link-in-bio page.
CONTACT_LINK_KINDS = ("phone", "email", *APPS, "handle", "link")
# same_picture: the same or a near-identical picture (perceptual hash, pictures.phash_distance).
LINK_KINDS = (*CONTACT_LINK_KINDS, "near_duplicate", "same_picture")
OPERATION_RE = re.compile(r"o_[0-9a-f]{12}")
OPERATION_COLUMNS = (
    "operation",
    "accounts",
    "posts",
    "dealer_posts",
    "dealer_accounts",
    "link_kinds",
)
LEAKAGE_COLUMNS = (
    "protocol",
    "variant",
    "test_posts",
    "near_duplicate_in_training",
    "account_in_training",
    "operation_in_training",
    "dealer_test_posts",
    "dealer_near_duplicate_in_training",
    "dealer_account_in_training",
    "dealer_operation_in_training",
    "picture_in_training",
    "dealer_picture_in_training",
)
DEFAULTS = {
    "jaccard_threshold": 0.8,
    "shingle_words": 3,
    "min_words": 6,
    "num_perm": 128,
    "max_text_accounts": 10,
}

_HASHTAG_RE = re.compile(r"#\w+")
_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))
_WORD_RE = re.compile(r"\w+")


# --- contact details ---------------------------------------------------------------------------


def contact_hash(kind: str, value: str, salt: str) -> str:
    """Salted SHA-256 of a contact value (hex): equal values give equal hashes within a study;
    without the salt a list of numbers or handles cannot be matched against them."""
    if not salt:
        raise InputValueError("operations: a contact hash needs the study's salt (empty salt)")
    data = f"{salt}\0{kind}\0{value}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def contact_hashes(posts, salt: str, phone_regions=None) -> pd.DataFrame:
    """One row per post and contact value it gives: id, user, kind, hash (salted).

    ``posts``: Post records (``posts.read_jsonl`` of the raw file) or a frame with id, user and
    ``text`` (the raw caption and the poster's own comments). The values live in memory only.
    """
    rows = []
    seen: set[str] = set()
    for post_id, user, text in _raw_texts(posts):
        if post_id in seen:  # the raw file repeats a post once per hashtag that found it
            continue
        seen.add(post_id)
        for kind, value in contact_values(text, phone_regions):
            rows.append((post_id, user, kind, contact_hash(kind, value, salt)))
    return pd.DataFrame(rows, columns=["id", "user", "kind", "hash"])


def _raw_texts(posts):
    if isinstance(posts, pd.DataFrame):
        yield from posts[["id", "user", "text"]].itertuples(index=False, name=None)
        return
    for p in posts:
        own = " ".join(c.text for c in p.comments if c.user == p.user)
        yield p.id, p.user, p.caption + "\n" + own


def same_pictures(
    ids, hashes, max_distance: int, max_accounts: int | None = None, owner=None
) -> pd.DataFrame:
    """Pairs of posts whose pictures' perceptual hashes (hex, ``pictures.phash``) differ
    in at most ``max_distance`` bits: id_a, id_b, distance. With ``owner`` (post -> account)
    and ``max_accounts``, a picture more accounts post is a meme or stock photo, not one
    seller's: its pairs are dropped (as :func:`text_links` drops templates)."""
    ids = [str(i) for i, h in zip(ids, hashes, strict=True) if h]
    hs = [h for h in hashes if h]
    cols = ["id_a", "id_b", "distance"]
    if len(hs) < 2:
        return pd.DataFrame(columns=cols)
    width = max((len(h) + 1) // 2 for h in hs)  # bytes per hash (32 for a 256-bit hash)
    raw = b"".join(bytes.fromhex(h.rjust(2 * width, "0")) for h in hs)
    bits = np.unpackbits(np.frombuffer(raw, dtype=np.uint8).reshape(len(hs), width), axis=1).astype(
        bool
    )
    rows = []
    for i in range(len(hs) - 1):
        d = np.count_nonzero(bits[i + 1 :] != bits[i], axis=1)
        for j in np.flatnonzero(d <= max_distance):
            rows.append((ids[i], ids[i + 1 + j], int(d[j])))
    pairs = pd.DataFrame(rows, columns=cols)
    if owner is not None and max_accounts is not None and len(pairs):
        comp = _Components(ids)
        for a, b in zip(pairs["id_a"], pairs["id_b"], strict=True):
            comp.union(a, b)
        accounts: dict[str, set] = defaultdict(set)
        for i in ids:
            accounts[comp.find(i)].add(owner.get(i))
        keep = pairs["id_a"].map(lambda a: len(accounts[comp.find(a)]) <= max_accounts)
        pairs = pairs[keep].reset_index(drop=True)
    return pairs


# --- near-identical text -----------------------------------------------------------------------


def settings(given: dict | None = None) -> dict:
    """The operations settings (config ``operations``) with defaults, checked."""
    s = {**DEFAULTS, **(given or {})}
    unknown = sorted(set(s) - set(DEFAULTS))
    if unknown:
        raise InputValueError(f"operations: unknown settings {unknown} (known: {sorted(DEFAULTS)})")
    if not 0 < float(s["jaccard_threshold"]) <= 1:
        raise InputValueError(
            f"operations.jaccard_threshold: must be in (0, 1], got {s['jaccard_threshold']}"
        )
    for key in ("shingle_words", "min_words", "num_perm", "max_text_accounts"):
        if int(s[key]) < 1 or int(s[key]) != s[key]:
            raise InputValueError(f"operations.{key}: must be a positive integer, got {s[key]}")
    return s


def words(caption: str) -> list[str]:
    """The words an ad is compared on: NFKC, case-folded, without hashtags and redaction
    placeholders (a contact replaced by ``[PHONE]`` must not make two ads look alike)."""
    text = unicodedata.normalize("NFKC", str(caption))
    text = _PLACEHOLDER_RE.sub(" ", text)
    text = _HASHTAG_RE.sub(" ", text)
    return _WORD_RE.findall(text.casefold())


def shingles(caption: str, size: int = 3) -> frozenset[str]:
    """Word ``size``-grams of :func:`words` (one shingle of all words when fewer)."""
    w = words(caption)
    if len(w) <= size:
        return frozenset([" ".join(w)]) if w else frozenset()
    return frozenset(" ".join(w[i : i + size]) for i in range(len(w) - size + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if (a or b) else 0.0


def near_duplicates(ids, captions, config: dict | None = None) -> pd.DataFrame:
    """Pairs of posts whose captions are near-identical: id_a < id_b, jaccard.

    MinHash LSH (datasketch, ``num_perm`` permutations, seed 1) proposes pairs at about
    ``jaccard_threshold``; each is kept when its exact shingle Jaccard reaches the threshold.
    Captions with fewer than ``min_words`` words (after dropping hashtags and placeholders) are
    never paired: "dm me" is not an ad. Ids repeated with the same caption are read once.
    """
    from datasketch import MinHash, MinHashLSH

    s = settings(config)
    thr, size = float(s["jaccard_threshold"]), int(s["shingle_words"])
    texts = dict(zip(map(str, ids), captions, strict=True))
    sets = {}
    for post_id, caption in texts.items():
        if len(words(caption)) >= int(s["min_words"]):
            sets[post_id] = shingles(caption, size)
    # Candidates a little below a threshold near 1 (datasketch needs two bands or more); the
    # exact Jaccard decides.
    lsh = MinHashLSH(threshold=min(thr, 0.95), num_perm=int(s["num_perm"]))
    # Identical shingle sets share one signature: pasted ads are common, MinHash is the cost.
    by_set: dict[frozenset, list[str]] = defaultdict(list)
    for post_id, sh in sets.items():
        by_set[sh].append(post_id)
    keys = {}
    for n, (sh, members) in enumerate(by_set.items()):
        m = MinHash(num_perm=int(s["num_perm"]), seed=1)
        m.update_batch([x.encode("utf-8") for x in sorted(sh)])
        keys[n] = (sh, members, m)
        lsh.insert(n, m)
    pairs = set()
    for n, (sh, members, m) in keys.items():
        for a_i, a in enumerate(members):  # identical texts
            for b in members[a_i + 1 :]:
                pairs.add((min(a, b), max(a, b), 1.0))
        for other in lsh.query(m):
            if other <= n:
                continue
            sh_b, members_b, _ = keys[other]
            j = jaccard(sh, sh_b)
            if j >= thr:
                for a in members:
                    for b in members_b:
                        pairs.add((min(a, b), max(a, b), round(j, 4)))
    out = pd.DataFrame(sorted(pairs), columns=["id_a", "id_b", "jaccard"])
    return out


# --- operations --------------------------------------------------------------------------------


class _Components:
    """Union-find over account ids."""

    def __init__(self, items):
        self.parent = {x: x for x in items}

    def find(self, x):
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def operation_id(users) -> str:
    """``o_`` + 12 hex of the sorted member pseudonyms: pseudonymous, and the same members give
    the same id."""
    data = "\0".join(sorted(map(str, users))).encode("utf-8")
    return "o_" + hashlib.sha256(data).hexdigest()[:12]


def text_links(pairs: pd.DataFrame, owner: dict, max_accounts: int) -> list[tuple[str, str]]:
    """Account pairs joined by pasted text. A text that ``max_accounts`` or more other accounts
    also post near-identically is a meme, a quote or a template, not one seller's ad: a pair
    counts only when neither post's near-duplicates span more than ``max_accounts`` accounts."""
    accounts: dict[str, set] = defaultdict(set)
    ids = list(zip(pairs["id_a"].astype(str), pairs["id_b"].astype(str), strict=True))
    for a, b in ids:
        if a in owner and b in owner:
            accounts[a].update((owner[a], owner[b]))
            accounts[b].update((owner[a], owner[b]))
    out = []
    for a, b in ids:
        ua, ub = owner.get(a), owner.get(b)
        if ua is None or ub is None or ua == ub:
            continue
        if len(accounts[a]) <= max_accounts and len(accounts[b]) <= max_accounts:
            out.append((ua, ub))
    return out


def link_operations(
    posts: pd.DataFrame,
    hashes: pd.DataFrame,
    pairs: pd.DataFrame,
    max_text_accounts: int = DEFAULTS["max_text_accounts"],
    picture_pairs: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Accounts into operations.

    ``posts``: id, user, label (one row per post; repeats are dropped); ``hashes``: id, user,
    kind, hash (:func:`contact_hashes`); ``pairs``: id_a, id_b (:func:`near_duplicates`).
    Returns ``(members, operations)``: members = user, operation (every account); operations =
    one row per operation with :data:`OPERATION_COLUMNS`, largest first.
    """
    posts = posts[["id", "user", "label"]].drop_duplicates("id")
    owner = dict(zip(posts["id"].astype(str), posts["user"].astype(str), strict=True))
    users = sorted(set(owner.values()))
    comp = _Components(users)
    edges: list[tuple[str, str, str]] = []  # (user, user, kind) between different accounts
    if len(hashes):
        known = hashes[hashes["user"].astype(str).isin(comp.parent)]
        for (kind, _), g in known.groupby(["kind", "hash"], sort=False):
            members = sorted(set(g["user"].astype(str)))
            edges += [(members[0], u, kind) for u in members[1:]]
    edges += [(a, b, "near_duplicate") for a, b in text_links(pairs, owner, max_text_accounts)]
    if picture_pairs is not None and len(picture_pairs):
        for a, b in zip(
            picture_pairs["id_a"].astype(str), picture_pairs["id_b"].astype(str), strict=True
        ):
            ua, ub = owner.get(a), owner.get(b)
            if ua and ub and ua != ub:
                edges.append((ua, ub, "same_picture"))
    for a, b, _ in edges:
        comp.union(a, b)
    root = {u: comp.find(u) for u in users}
    groups: dict[str, list[str]] = defaultdict(list)
    for u in users:
        groups[root[u]].append(u)
    op_of_root = {r: operation_id(m) for r, m in groups.items()}
    members = pd.DataFrame({"user": users, "operation": [op_of_root[root[u]] for u in users]})
    kinds: dict[str, set] = defaultdict(set)
    for a, _, kind in edges:
        kinds[op_of_root[root[a]]].add(kind)
    p = posts.assign(
        operation=posts["user"].astype(str).map(dict(zip(users, members["operation"], strict=True)))
    )
    dealer_users = p[p["label"] == 1].groupby("operation")["user"].nunique()
    ops = pd.DataFrame(
        {
            "accounts": members.groupby("operation").size(),
            "posts": p.groupby("operation").size(),
            "dealer_posts": p.groupby("operation")["label"].sum(),
        }
    )
    ops["dealer_accounts"] = dealer_users.reindex(ops.index).fillna(0)
    ops = ops.fillna(0).astype(int).reset_index()
    order = {k: i for i, k in enumerate(LINK_KINDS)}
    ops["link_kinds"] = ops["operation"].map(
        lambda o: ",".join(sorted(kinds.get(o, ()), key=order.__getitem__))
    )
    ops = ops.sort_values(["accounts", "posts", "operation"], ascending=[False, False, True])
    return members, ops[list(OPERATION_COLUMNS)].reset_index(drop=True)


def check_operations_privacy(ops: pd.DataFrame, members: pd.DataFrame) -> None:
    """Raise unless the outputs hold pseudonymous ids, counts and known link kinds only."""

    if list(ops.columns) != list(OPERATION_COLUMNS):
        raise InputValueError(f"operations: unexpected columns {list(ops.columns)}")
    if not ops["operation"].astype(str).map(OPERATION_RE.fullmatch).astype(bool).all():
        raise InputValueError("operations: an operation id is not pseudonymous")
    for i, value in ops["link_kinds"].fillna("").items():
        if not {k for k in str(value).split(",") if k} <= set(LINK_KINDS):
            raise InputValueError(f"operations: row {i} has unknown link kinds")
    if not members["user"].astype(str).map(PSEUDONYM_RE.fullmatch).astype(bool).all():
        raise InputValueError("operations: a member id is not a pseudonymous user id")


def build_operations(
    raw_posts,
    corpus: pd.DataFrame,
    salt: str,
    config: dict | None = None,
    phone_regions=None,
    pictures: dict[str, dict] | None = None,
    phash_distance: int = 24,
):
    """Everything from the raw posts (contacts, before redaction), the labelled corpus
    (redacted captions, labels) and the pictures read (``pictures.job.read_picture_texts``: the
    contacts in their text, their perceptual hashes): ``(hashes, pairs, members, operations,
    picture_pairs)``."""
    raw_posts = list(raw_posts)
    hashes = contact_hashes(raw_posts, salt, phone_regions)
    pictures = pictures or {}
    owner = {str(p.id): str(p.user) for p in raw_posts}
    if pictures:
        # A contact written in the picture links like one in the caption.
        texts = pd.DataFrame(
            [
                (i, owner[i], r.get("text", ""))
                for i, r in pictures.items()
                if i in owner and r.get("text")
            ],
            columns=["id", "user", "text"],
        )
        hashes = pd.concat([hashes, contact_hashes(texts, salt, phone_regions)], ignore_index=True)
    posts = corpus.drop_duplicates("id")
    pairs = near_duplicates(posts["id"], posts["caption"], config)
    cfg = settings(config)
    ids = [i for i in pictures if i in owner]
    picture_pairs = same_pictures(
        ids,
        [pictures[i].get("phash", "") for i in ids],
        phash_distance,
        cfg["max_text_accounts"],
        owner,
    )
    members, ops = link_operations(posts, hashes, pairs, cfg["max_text_accounts"], picture_pairs)
    return hashes, pairs, members, ops, picture_pairs


def write_operations(
    raw_path, corpus_path, salt_file, hashes_out, pairs_out, members_out, ops_out,
    config=None, phone_regions=None, pictures_path=None, picture_pairs_out=None,
    phash_distance=24,
) -> pd.DataFrame:  # fmt: skip
    """The ``operations`` job: salted contact hashes under data/, near-duplicate pairs, the
    account-to-operation map and ``operations.csv`` under results/."""
    from dealerdetect.annotation.corpus import read_corpus
    from dealerdetect.posts import read_jsonl
    from dealerdetect.privacy.redaction import load_salt

    salt = load_salt(None, salt_file)
    corpus = read_corpus(corpus_path)
    from dealerdetect.pictures.job import read_picture_texts

    pictures = read_picture_texts(pictures_path) if pictures_path else {}
    hashes, pairs, members, ops, picture_pairs = build_operations(
        read_jsonl(raw_path), corpus, salt, config, phone_regions, pictures, phash_distance
    )
    check_operations_privacy(ops, members)
    for path in (hashes_out, pairs_out, members_out, ops_out):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    hashes.to_csv(hashes_out, index=False)
    pairs.to_csv(pairs_out, index=False)
    members.to_csv(members_out, index=False)
    ops.to_csv(ops_out, index=False)
    if picture_pairs_out:
        picture_pairs.to_csv(picture_pairs_out, index=False)
    return ops


def size_distribution(ops: pd.DataFrame) -> pd.DataFrame:
    """Operations by number of accounts: size, operations, with a dealer post, accounts in them."""
    g = ops.assign(dealer=ops["dealer_posts"] > 0).groupby("accounts")
    return pd.DataFrame(
        {
            "operations": g.size(),
            "dealer_operations": g["dealer"].sum().astype(int),
            "posts": g["posts"].sum(),
        }
    ).reset_index(names="accounts")


# --- leakage -----------------------------------------------------------------------------------


def attach_operations(df: pd.DataFrame, members) -> pd.DataFrame:
    """``df`` (with a ``user`` column) with each post's ``operation``; an account missing from
    ``members`` (a frame or the members.csv path) is an error naming it."""
    if not isinstance(members, pd.DataFrame):
        members = pd.read_csv(members, dtype=str)
    op = dict(zip(members["user"].astype(str), members["operation"].astype(str), strict=True))
    out = df.assign(operation=df["user"].astype(str).map(op))
    if out["operation"].isna().any():
        first = out.loc[out["operation"].isna(), "user"].iloc[0]
        n = int(out["operation"].isna().sum())
        raise InputValueError(
            f"operations: {n} posts have a user without an operation (first: {first})"
        )
    return out


def training_mask(fold_of: np.ndarray, fold: int, protocol: str) -> np.ndarray:
    """Which posts train the model of test fold ``fold``: every other fold, or under
    ``temporal`` the blocks before it (the earliest block is -1)."""
    if protocol == "temporal":
        return fold_of < fold
    return fold_of != fold


def leakage(
    folds: pd.DataFrame,
    users: pd.DataFrame,
    members: pd.DataFrame,
    pairs: pd.DataFrame,
    protocol: str,
    picture_pairs: pd.DataFrame | None = None,
) -> dict:
    """Shares of test posts (percent) with a near-duplicate, their account, or their operation
    among the posts that trained their fold's model; the near-duplicate share also over the
    dealer posts (when ``users`` has a ``label``).

    ``folds``: id, fold (one variant); ``users``: id, user (and label); ``members``: user,
    operation; ``pairs``: id_a, id_b (near-duplicates at the study's threshold, whole corpus).
    """
    f = folds[["id", "fold"]].astype({"id": str}).reset_index(drop=True)
    u = users.astype({"id": str}).drop_duplicates("id").set_index("id")
    f["user"] = f["id"].map(u["user"].astype(str))
    if f["user"].isna().any():
        raise InputValueError(f"leakage: post {f.loc[f['user'].isna(), 'id'].iloc[0]} has no user")
    f["label"] = f["id"].map(u["label"]) if "label" in u else 0
    f = attach_operations(f, members)
    fold_of = dict(zip(f["id"], f["fold"], strict=True))

    def neighbours_of(p: pd.DataFrame | None) -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        if p is None or not len(p):
            return out
        for a, b in zip(p["id_a"].astype(str), p["id_b"].astype(str), strict=True):
            if a in fold_of and b in fold_of:
                out[a].append(fold_of[b])
                out[b].append(fold_of[a])
        return out

    neighbours = neighbours_of(pairs)
    same_picture = neighbours_of(picture_pairs)
    folds_arr = f["fold"].to_numpy()
    pic = np.zeros(len(f), dtype=bool)
    dup = np.zeros(len(f), dtype=bool)
    acc = np.zeros(len(f), dtype=bool)
    oper = np.zeros(len(f), dtype=bool)
    tested = np.zeros(len(f), dtype=bool)
    for k in sorted(k for k in np.unique(folds_arr) if k >= 0):
        train = training_mask(folds_arr, k, protocol)
        test = folds_arr == k
        tested |= test
        acc[test] = f.loc[test, "user"].isin(set(f.loc[train, "user"])).to_numpy()
        oper[test] = f.loc[test, "operation"].isin(set(f.loc[train, "operation"])).to_numpy()
        for i in np.flatnonzero(test):
            nb = neighbours.get(f.at[i, "id"])
            dup[i] = bool(nb) and bool(training_mask(np.asarray(nb), k, protocol).any())
            nb = same_picture.get(f.at[i, "id"])
            pic[i] = bool(nb) and bool(training_mask(np.asarray(nb), k, protocol).any())
    dealer = tested & (f["label"].to_numpy() == 1)

    def share(hit, among) -> float:
        n = int(among.sum())
        return 100.0 * int((hit & among).sum()) / n if n else float("nan")

    return {
        "test_posts": int(tested.sum()),
        "near_duplicate_in_training": share(dup, tested),
        "account_in_training": share(acc, tested),
        "operation_in_training": share(oper, tested),
        "dealer_test_posts": int(dealer.sum()),
        "dealer_near_duplicate_in_training": share(dup, dealer),
        "dealer_account_in_training": share(acc, dealer),
        "dealer_operation_in_training": share(oper, dealer),
        "picture_in_training": share(pic, tested),
        "dealer_picture_in_training": share(pic, dealer),
    }


def leakage_table(items, members, pairs, picture_pairs=None) -> pd.DataFrame:
    """``items``: (protocol, variant, folds frame, users frame). One row per protocol and
    variant, shares in percent."""
    rows = [
        {
            "protocol": protocol,
            "variant": variant,
            **leakage(folds, users, members, pairs, protocol, picture_pairs),
        }
        for protocol, variant, folds, users in items
    ]
    out = pd.DataFrame(rows, columns=list(LEAKAGE_COLUMNS))
    return out.round({c: 2 for c in LEAKAGE_COLUMNS if "in_training" in c})


def leakage_markdown(table: pd.DataFrame, threshold: float) -> str:
    """The table and one sentence a reader can act on."""
    from dealerdetect.study.registry import VARIANT_NAMES

    lines = [
        f"**Leakage.** Percent of test posts with a near-duplicate (word-shingle Jaccard >= "
        f"{threshold:g}), their own account, their operation, or the same picture (perceptual "
        "hash) among the posts their fold's model trained on; dealer posts apart.",
        "",
        "| Protocol | Variant | Test posts | Near-duplicate | Account | Operation "
        "| Dealer posts: near-duplicate | account | operation | Same picture | Dealer posts: "
        "same picture |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for _, r in table.iterrows():
        lines.append(
            f"| {r['protocol']} | {r['variant']} | {r['test_posts']} | "
            f"{r['near_duplicate_in_training']:.1f} | {r['account_in_training']:.1f} | "
            f"{r['operation_in_training']:.1f} | {r['dealer_near_duplicate_in_training']:.1f} | "
            f"{r['dealer_account_in_training']:.1f} | {r['dealer_operation_in_training']:.1f} | "
            f"{r['picture_in_training']:.1f} | {r['dealer_picture_in_training']:.1f} |"
        )
    lines += ["", leakage_sentence(table, VARIANT_NAMES)]
    return "\n".join(lines) + "\n"


def leakage_sentence(table: pd.DataFrame, variant_order=()) -> str:
    """One actionable sentence from the first variant's rows."""
    if table.empty:
        return "No folds were measured."
    order = [v for v in variant_order if v in set(table["variant"])] or [table["variant"].iloc[0]]
    t = table[table["variant"] == order[0]].set_index("protocol")
    parts = [f"`{p}` {t.at[p, 'dealer_near_duplicate_in_training']:.0f}%" for p in t.index]
    best = t["dealer_near_duplicate_in_training"].idxmin()
    if "operation" not in t.index and "grouped" in t.index:
        share = t.at["grouped", "dealer_operation_in_training"]
        return (
            f"**Of the dealer posts tested ({order[0]}), this share has a near-identical post in "
            f"the training folds: {', '.join(parts)}; under `grouped` folds {share:.0f}% still "
            "have their operation (another account sharing a contact or an ad) in training. Add "
            "`operation` to `cv.protocols` to measure F1 on sellers the model has not seen.**"
        )
    return (
        f"**Of the dealer posts tested ({order[0]}), this share has a near-identical post in "
        f"the training folds: {', '.join(parts)}. Quote F1 under `{best}` folds, the protocol "
        "with the least such leakage, when claiming how a model does on sellers it has not "
        "seen; the paper protocol's F1 partly measures recall of pasted ads.**"
    )


def write_leakage(
    fold_paths, variant_paths, members, pairs, csv_out, md_out, threshold, picture_pairs=None
) -> pd.DataFrame:
    """The ``leakage`` job: fold files ``results/cv/<protocol>/<variant>/folds.csv``, the
    variant parquets (id, user, label)."""
    from dealerdetect.privacy.csvsafe import read_csv

    users = {
        Path(p).stem: pd.read_parquet(p, columns=["id", "user", "label"]) for p in variant_paths
    }
    members = pd.read_csv(members, dtype=str)
    pairs = pd.read_csv(pairs, dtype={"id_a": str, "id_b": str})
    items = []
    for path in fold_paths:
        protocol, variant = Path(path).parts[-3], Path(path).parts[-2]
        items.append((protocol, variant, read_csv(path, dtype={"id": str}), users[variant]))
    if picture_pairs is not None:
        picture_pairs = pd.read_csv(picture_pairs, dtype={"id_a": str, "id_b": str})
    table = leakage_table(items, members, pairs, picture_pairs)
    Path(csv_out).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(csv_out, index=False)
    Path(md_out).write_text(leakage_markdown(table, threshold), encoding="utf-8")
    return table
