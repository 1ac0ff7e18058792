"""Operations: contact values, salted hashes, near-duplicates, linking, leakage, folds, privacy."""

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from dealerdetect.evaluation import operations as ops
from dealerdetect.evaluation.cv import make_folds

A, B, C, D, E = (f"u_{c * 12}" for c in "abcde")
SALT = "test-salt-0123456789abcdef"


# --- contact values: the family of ways one detail is written -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "text me +44 7700 900461",
        "text me +44 (0)7700-900461",
        "call +44 7700 900 461 for menu",
        "whatsapp 0044 7700 900461",
        "📞 +447700900461",
    ],
)
def test_one_phone_number_written_many_ways_is_one_e164_value(text):
    assert ("phone", "+447700900461") in ops.contact_values(text, ["GB", "US"])


@pytest.mark.parametrize(
    "text", ["+1 (213) 555-0143", "213.555.0143", "call 2135550143 now", "001 213 555 0143"]
)
def test_a_national_and_an_international_number_are_one_value(text):
    assert ops.contact_values(text, ["US", "GB"]) == [("phone", "+12135550143")]


@pytest.mark.parametrize(
    "text",
    ["wickr: PlugDaddy", "Wickr ➡️ plugdaddy", "WICKR ME plugdaddy", "wickr: ｐｌｕｇｄａｄｄｙ"],
)
def test_one_app_handle_written_many_ways_is_one_value(text):
    assert ops.contact_values(text) == [("wickr", "plugdaddy")]


def test_emails_are_lowercased_and_mentions_and_app_names_are_no_value():
    assert ("email", "rx.shop@gmail.com") in ops.contact_values("orders: RX.Shop@Gmail.com")
    # A bare @mention names another account; "hit my wickr" gives no handle.
    assert ops.contact_values("love this @u_3f9a0c1b2d4e") == []
    assert ops.contact_values("hit my wickr for the menu") == []


def test_the_same_handle_on_two_apps_stays_two_values():
    got = ops.contact_values("wickr: plugdaddy\nkik: plugdaddy")
    assert sorted(got) == [("kik", "plugdaddy"), ("wickr", "plugdaddy")]


# --- salted hashes -------------------------------------------------------------------------------


def test_contact_hashes_are_salted():
    h1 = ops.contact_hash("phone", "+447700900461", SALT)
    assert h1 == ops.contact_hash("phone", "+447700900461", SALT)
    assert h1 != ops.contact_hash("phone", "+447700900461", SALT + "x")
    assert h1 != hashlib.sha256(b"+447700900461").hexdigest()
    assert "447700900461" not in h1
    with pytest.raises(ValueError, match="salt"):
        ops.contact_hash("phone", "+447700900461", "")


# --- near-identical text -------------------------------------------------------------------------

AD = (
    "🔥 plug is back 🔥 xanax bars 2mg - $5 each, percs 10s - $20, fast discreet shipping "
    "worldwide, stealth packaging guaranteed. wickr: [HANDLE] #xanax #plug"
)


def test_a_pasted_ad_with_other_hashtags_and_contact_is_a_near_duplicate():
    other = AD.replace("wickr: [HANDLE] #xanax #plug", "kik: [HANDLE] #percs #bars #pills")
    # 19 words, one changed: 3 of 17 shingles differ, Jaccard 14/20 = 0.7.
    changed = AD.replace("fast discreet", "quick discreet")
    unrelated = "went hiking with the dog today, the view from the top was amazing #nature"
    texts = [AD, other, changed, unrelated]
    ids = ["p1", "p2", "p3", "p4"]

    def found(config=None):
        pairs = ops.near_duplicates(ids, texts, config)
        return set(zip(pairs["id_a"], pairs["id_b"], strict=True))

    assert found() == {("p1", "p2")}  # default threshold 0.8
    assert ops.jaccard(ops.shingles(AD), ops.shingles(changed)) == pytest.approx(0.7)
    assert {("p1", "p2"), ("p1", "p3")} <= found({"jaccard_threshold": 0.6})
    assert not any("p4" in pair for pair in found({"jaccard_threshold": 0.3}))
    # Only the wording counts: other hashtags and another redacted contact leave it identical.
    same = AD.replace("[HANDLE] #xanax #plug", "[PHONE] #bars")
    pairs = ops.near_duplicates(["p1", "p2", "p5"], [AD, other, same], {"jaccard_threshold": 1.0})
    assert set(zip(pairs["id_a"], pairs["id_b"], strict=True)) == {("p1", "p5")}


def test_short_captions_and_placeholders_alone_are_never_near_duplicates():
    pairs = ops.near_duplicates(
        ["p1", "p2", "p3", "p4"],
        ["dm me 🔌", "dm me 🔌", "[PHONE] [HANDLE] [URL] #xanax", "[EMAIL] [HANDLE] #xanax"],
    )
    assert pairs.empty


def test_settings_are_checked():
    with pytest.raises(ValueError, match="jaccard_threshold"):
        ops.settings({"jaccard_threshold": 1.5})
    with pytest.raises(ValueError, match="unknown"):
        ops.settings({"treshold": 0.5})


# --- linking --------------------------------------------------------------------------------------


def _world():
    posts = pd.DataFrame(
        {
            "id": ["a1", "a2", "b1", "c1", "d1", "e1"],
            "user": [A, A, B, C, D, E],
            "label": [1, 0, 1, 0, 0, 1],
        }
    )
    # A and B share a phone number; B and C post the same ad; D and E are alone.
    hashes = pd.DataFrame(
        {
            "id": ["a1", "b1", "e1"],
            "user": [A, B, E],
            "kind": ["phone", "phone", "wickr"],
            "hash": ["h1", "h1", "h2"],
        }
    )
    pairs = pd.DataFrame({"id_a": ["b1"], "id_b": ["c1"], "jaccard": [0.9]})
    return posts, hashes, pairs


def test_accounts_sharing_a_contact_or_an_ad_form_one_operation():
    posts, hashes, pairs = _world()
    members, table = ops.link_operations(posts, hashes, pairs)
    op = dict(zip(members["user"], members["operation"], strict=True))
    assert op[A] == op[B] == op[C] and len({op[A], op[D], op[E]}) == 3
    top = table.iloc[0]
    assert (top["accounts"], top["posts"], top["dealer_posts"], top["dealer_accounts"]) == (
        3,
        4,
        2,
        2,
    )
    assert top["link_kinds"] == "phone,near_duplicate"
    assert table["link_kinds"].iloc[1:].tolist() == ["", ""]
    assert table["accounts"].sum() == 5 and table["posts"].sum() == 6
    ops.check_operations_privacy(table, members)
    # Operation ids depend on the members only.
    assert op[A] == ops.operation_id([C, B, A])


def test_a_text_many_accounts_post_is_a_template_and_links_none():
    users = [f"u_{i:012x}" for i in range(6)]
    posts = pd.DataFrame({"id": [f"p{i}" for i in range(6)], "user": users, "label": 0})
    pairs = pd.DataFrame(
        [(f"p{i}", f"p{j}", 1.0) for i in range(6) for j in range(i + 1, 6)],
        columns=["id_a", "id_b", "jaccard"],
    )
    empty = pd.DataFrame(columns=["id", "user", "kind", "hash"])
    members, _ = ops.link_operations(posts, empty, pairs, max_text_accounts=5)
    assert members["operation"].nunique() == 6
    members, _ = ops.link_operations(posts, empty, pairs, max_text_accounts=6)
    assert members["operation"].nunique() == 1


def test_privacy_check_refuses_a_contact_in_the_operations_table():
    posts, hashes, pairs = _world()
    members, table = ops.link_operations(posts, hashes, pairs)
    bad = table.copy()
    bad.loc[0, "link_kinds"] = "phone:+447700900461"
    with pytest.raises(ValueError, match="link kinds"):
        ops.check_operations_privacy(bad, members)


# --- folds and leakage ------------------------------------------------------------------------


def test_operation_folds_keep_each_operation_in_one_fold_and_ignore_its_id():
    rng = np.random.default_rng(0)
    n = 300
    users = [f"u_{i:012x}" for i in rng.integers(0, 90, n)]
    op_of = {u: f"o_{hash(u) % 25:012x}" for u in set(users)}
    df = pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(n)],
            "user": users,
            "label": rng.integers(0, 2, n),
            "operation": [op_of[u] for u in users],
        }
    )
    folds = make_folds(df, 5, 3, "operation")
    per_op = folds.assign(op=df["operation"]).groupby("op")["fold"].nunique()
    assert (per_op == 1).all()
    # Renaming the operations (another salt gives other ids) gives the same folds.
    renamed = df.assign(operation=df["operation"].map(lambda o: "o_" + o[::-1][:12]))
    assert make_folds(renamed, 5, 3, "operation")["fold"].tolist() == folds["fold"].tolist()
    with pytest.raises(ValueError, match="operation"):
        make_folds(df.drop(columns="operation"), 5, 3, "operation")


def test_leakage_counts_test_posts_with_a_duplicate_account_or_operation_in_training():
    users = pd.DataFrame(
        {"id": ["a1", "a2", "b1", "c1"], "user": [A, A, B, C], "label": [1, 1, 1, 0]}
    )
    members = pd.DataFrame({"user": [A, B, C], "operation": ["o_1", "o_1", "o_2"]})
    pairs = pd.DataFrame({"id_a": ["a1"], "id_b": ["b1"], "jaccard": [0.95]})
    # Fold 0: a1, c1; fold 1: a2, b1. a1's twin b1 and its account (a2) train fold 0.
    folds = pd.DataFrame({"id": ["a1", "a2", "b1", "c1"], "fold": [0, 1, 1, 0]})
    got = ops.leakage(folds, users, members, pairs, "paper")
    assert got["test_posts"] == 4
    assert got["near_duplicate_in_training"] == pytest.approx(50.0)  # a1 and b1
    assert got["account_in_training"] == pytest.approx(50.0)  # a1 and a2
    assert got["operation_in_training"] == pytest.approx(75.0)  # all of o_1
    assert got["dealer_near_duplicate_in_training"] == pytest.approx(100 * 2 / 3)
    # Grouped by operation: nothing of the test post's operation trains its model.
    by_op = pd.DataFrame({"id": ["a1", "a2", "b1", "c1"], "fold": [0, 0, 0, 1]})
    got = ops.leakage(by_op, users, members, pairs, "operation")
    assert got["near_duplicate_in_training"] == got["operation_in_training"] == 0.0
    # Temporal: fold 1 trains on the earlier blocks only (-1 and 0), never on fold 2.
    temporal = pd.DataFrame({"id": ["a1", "a2", "b1", "c1"], "fold": [2, -1, 1, 2]})
    got = ops.leakage(temporal, users, members, pairs, "temporal")
    assert got["test_posts"] == 3
    assert got["near_duplicate_in_training"] == pytest.approx(100 / 3)  # a1 (b1 in block 1)


# --- the whole step on a simulated world: nothing under results/ names a contact --------------


@pytest.fixture(scope="module")
def small_study(tmp_path_factory):
    from dealerdetect.annotation.corpus import build_corpus, write_corpus
    from dealerdetect.collection.collect import collect

    root = tmp_path_factory.mktemp("ops")
    config = yaml.safe_load((Path(__file__).parents[1] / "config.yaml").read_text())
    cfg = config["collection"]
    cfg["simulated"] = {"scale": 0.05}
    raw = root / "data/raw/simulated"
    collect(cfg, seed=11, salt=SALT, out_dir=raw, drugs=config["drugs"])
    corpus = build_corpus(raw / "posts.jsonl").assign(label=0)
    write_corpus(corpus, root / "results/corpus/posts.jsonl")
    (root / "data/secrets").mkdir(parents=True)
    (root / "data/secrets/salt.txt").write_text(SALT + "\n")
    out = {
        "hashes": root / "data/operations/simulated/contact_hashes.csv",
        "pairs": root / "results/accounts/near_duplicates.csv",
        "members": root / "results/accounts/members.csv",
        "ops": root / "results/accounts/operations.csv",
    }
    ops.write_operations(
        raw / "posts.jsonl",
        root / "results/corpus/posts.jsonl",
        root / "data/secrets/salt.txt",
        out["hashes"],
        out["pairs"],
        out["members"],
        out["ops"],
    )
    return root, raw, out


def _seen_contacts(raw: Path) -> set[str]:
    from dealerdetect.posts import read_jsonl

    seen = set()
    for p in read_jsonl(raw / "posts.jsonl"):
        own = " ".join(c.text for c in p.comments if c.user == p.user)
        for kind, value in ops.contact_values(p.caption + "\n" + own):
            seen.add(value)
            if kind == "phone":
                seen.add(value.lstrip("+"))
                seen.add(value[-9:])  # the national significant digits, however written
    return seen


def test_no_output_under_results_names_a_contact_the_study_saw(small_study):
    root, raw, out = small_study
    seen = _seen_contacts(raw)
    assert len(seen) > 20  # the simulated dealers give numbers, handles and e-mails
    linked = pd.read_csv(out["ops"])
    assert (linked["accounts"] > 1).any()
    for path in (out["pairs"], out["members"], out["ops"]):
        text = path.read_text(encoding="utf-8").casefold()
        found = [v for v in seen if len(v) >= 5 and v.casefold() in text]
        assert not found, f"{path.name} holds contact details: {found[:3]}"


def test_the_hashes_under_data_are_salted(small_study):
    root, raw, out = small_study
    hashes = pd.read_csv(out["hashes"])
    assert len(hashes) > 20 and set(hashes["kind"]) <= set(ops.CONTACT_LINK_KINDS)
    text = out["hashes"].read_text(encoding="utf-8")
    seen = _seen_contacts(raw)
    assert not [v for v in seen if len(v) >= 5 and v in text]
    # No hash is the unsalted digest of a value, and each is the salted one of some value.
    from dealerdetect.posts import read_jsonl

    values = set()
    for p in read_jsonl(raw / "posts.jsonl"):
        own = " ".join(c.text for c in p.comments if c.user == p.user)
        values.update(ops.contact_values(p.caption + "\n" + own))
    salted = {ops.contact_hash(k, v, SALT) for k, v in values}
    plain = {hashlib.sha256(f"{k}\0{v}".encode()).hexdigest() for k, v in values}
    plain |= {hashlib.sha256(v.encode()).hexdigest() for _, v in values}
    assert set(hashes["hash"]) <= salted
    assert not set(hashes["hash"]) & plain
    other = {ops.contact_hash(k, v, SALT + "-other") for k, v in values}
    assert not set(hashes["hash"]) & other


# --- the simulated world's rings share contacts at the documented rate -------------------------


def _ring_dealers(n_rings=200, size=4):
    from dealerdetect.collection.simulated.model import Account, DealerProfile
    from dealerdetect.collection.simulated.text import Identity

    out = []
    for r in range(n_rings):
        for m in range(size):
            prof = DealerProfile([], [], [], [], "full", {}, ring=r)
            out.append(Account(f"d{r}_{m}", "dealer", Identity(f"h{r}_{m}", f"+1{r}{m}", ""), prof))
    out.append(
        Account(
            "loner", "dealer", Identity("solo", "+1", ""), DealerProfile([], [], [], [], "full", {})
        )
    )
    return out


@pytest.mark.parametrize("rate", [0.0, 0.5, 1.0])
def test_ring_members_share_the_first_members_contacts_at_the_rate(rate):
    from dealerdetect.collection.simulated.dealers import share_ring_contacts
    from dealerdetect.collection.simulated.rand import Rand

    dealers = _ring_dealers()
    shared = share_ring_contacts(dealers, rate, Rand(1, "test"))
    members = 200 * 3  # every ring member after the first
    assert shared == sum(d.identity.handle != d.handle.replace("d", "h", 1) for d in dealers[:-1])
    assert shared / members == pytest.approx(rate, abs=0.06)
    for d in dealers[:-1]:
        first = d.handle.split("_")[0] + "_0"
        assert d.identity.handle in (d.handle.replace("d", "h", 1), first.replace("d", "h", 1))
    assert dealers[-1].identity.handle == "solo"  # no ring, own contacts


def test_the_world_yaml_documents_the_ring_contact_rate():
    from dealerdetect.collection.simulated.data import load

    assert 0 <= load("world")["dealers"]["ring_contact_share"] <= 1
