"""Tests for dealerdetect.evaluation.accounts, with expected values worked out by hand."""

import re

import numpy as np
import pandas as pd
import pytest

from dealerdetect.evaluation import accounts

A, B, C, D = (f"u_{c * 12}" for c in "abcd")

# Out-of-fold rows of one model on one variant, grouped by user (each user in one fold).
#   A: scores .9 .2, labels 1 0 -> label 1; max .9, mean .55, noisy-OR 1 - .1 * .8 = .92
#   B: scores .4 .4 .4, labels 0 -> max .4, mean .4, noisy-OR 1 - .6^3 = .784
#   C: score .3, label 1 -> .3 under every rule
#   D: scores .1 .05, labels 0 -> max .1, mean .075, noisy-OR 1 - .9 * .95 = .145
OOF = pd.DataFrame(
    {
        "id": ["BZa1", "BZa2", "BZb1", "BZb2", "BZb3", "BZc1", "BZd1", "BZd2"],
        "variant": "hashtags_only",
        "model": "svm",
        "fold": [0, 0, 1, 1, 1, 2, 1, 1],
        "label": [1, 0, 0, 0, 0, 1, 0, 0],
        "score": [0.9, 0.2, 0.4, 0.4, 0.4, 0.3, 0.1, 0.05],
    }
).assign(pred=lambda d: (d["score"] > 0.5).astype(int))
USERS = pd.DataFrame({"id": OOF["id"], "user": [A, A, B, B, B, C, D, D]})
EXPECTED = {
    "max": {A: 0.9, B: 0.4, C: 0.3, D: 0.1},
    "mean": {A: 0.55, B: 0.4, C: 0.3, D: 0.075},
    "noisy_or": {A: 0.92, B: 0.784, C: 0.3, D: 0.145},
}
# The corpus repeats a post once per hashtag hit; kinds come as lists or comma strings.
CONTACTS = pd.DataFrame(
    {
        "id": ["BZa1", "BZa1", "BZa2", "BZb1", "BZc1", "BZd1", "BZd2"],
        "contacts": [["wickr", "phone"], ["wickr", "phone"], "phone, bio", [], "", None, "kik"],
    }
)


def scores_of(table: pd.DataFrame, rule: str) -> dict:
    part = table[table["rule"] == rule]
    return dict(zip(part["user"], part["score"], strict=True))


@pytest.mark.parametrize("rule", accounts.RULES)
def test_aggregation_rules_by_hand(rule):
    table = accounts.account_scores(OOF, USERS)
    assert scores_of(table, rule) == pytest.approx(EXPECTED[rule])
    a = table[(table["rule"] == rule) & (table["user"] == A)].iloc[0]
    assert (a["label"], a["n_posts"], a["n_flagged"]) == (1, 2, 1)
    assert table.loc[table["user"] == B, "label"].eq(0).all()  # no dealer post, not a dealer


def test_user_column_in_the_oof_frame_replaces_the_users_frame():
    table = accounts.account_scores(OOF.merge(USERS, on="id"))
    assert scores_of(table, "noisy_or") == pytest.approx(EXPECTED["noisy_or"])


def test_noisy_or_saturates_without_nan():
    assert accounts.noisy_or([1.0, 0.3]) == 1.0
    assert accounts.noisy_or([0.0, 0.0]) == 0.0
    assert accounts.noisy_or(np.full(5000, 0.999)) == pytest.approx(1.0)


def test_noisy_or_ranks_accounts_whose_score_rounds_to_one():
    # Two prolific accounts: both noisy-OR scores are 1.0 in floating point, but A's posts are
    # less sure (1 - 1e-6 against 1 - 1e-9) so A must rank second though its id sorts first.
    oof = pd.DataFrame(
        {
            "id": [f"Bx{i:02d}" for i in range(60)],
            "user": [A] * 30 + [B] * 30,
            "variant": "with_hashtags",
            "model": "logistic_regression",
            "fold": [0] * 30 + [1] * 30,
            "label": [0] * 30 + [1] * 30,
            "score": [1 - 1e-6] * 30 + [1 - 1e-9] * 30,
            "pred": 1,
        }
    )
    table = accounts.account_scores(oof, rules=["noisy_or"])
    assert table["score"].tolist() == [1.0, 1.0]
    assert accounts.account_metrics(table, ks=(1,))["precision_at_1"].item() == 1.0


def test_an_account_split_across_folds_is_refused():
    leaky = OOF.assign(fold=[0, 1, 1, 1, 1, 2, 1, 1])  # A's two posts in folds 0 and 1
    with pytest.raises(ValueError, match=rf"1 users .*first: {A}, folds \[0, 1\].*grouped"):
        accounts.account_scores(leaky, USERS)
    with pytest.raises(ValueError, match="more than one fold"):
        accounts.check_held_out(leaky[["id", "fold"]], USERS)
    accounts.check_held_out(OOF[["id", "fold"]], USERS)  # grouped: passes


def test_held_out_guard_names_posts_without_a_user_or_with_two():
    with pytest.raises(ValueError, match="1 posts .first: BZd2. have no user"):
        accounts.check_held_out(OOF[["id", "fold"]], USERS.iloc[:-1])
    two = pd.concat([USERS, pd.DataFrame({"id": ["BZa1"], "user": [B]})])
    with pytest.raises(ValueError, match="post BZa1 has more than one user"):
        accounts.check_held_out(OOF[["id", "fold"]], two)


def test_bad_scores_and_mixed_protocols_are_refused():
    with pytest.raises(ValueError, match=r"score 1.2 of post BZa1"):
        accounts.account_scores(OOF.assign(score=[1.2, *OOF["score"][1:]]), USERS)
    mixed = OOF.assign(protocol=["grouped"] * 7 + ["paper"])
    with pytest.raises(ValueError, match="mixes protocols"):
        accounts.account_scores(mixed, USERS)


def test_precision_at_k_by_hand_with_ties_and_short_lists():
    # Scores .5 .5 .2: one place at the top for two tied accounts, a dealer and not.
    label, score = [0, 1, 1], [0.5, 0.5, 0.2]
    assert accounts.precision_at_k(label, score, 1) == 0.5  # the tie shares the place
    assert accounts.precision_at_k(label, score, 2) == 0.5  # both tied accounts are in
    assert accounts.precision_at_k([1, 0, 0, 1], [0.9, 0.4, 0.4, 0.4], 2) == pytest.approx(
        (1 + 1 / 3) / 2
    )  # one above the cut, one place for three tied accounts of which one is a dealer
    # k beyond the list: the whole list is read, so the dealer share 2/3, not 2/10.
    assert accounts.precision_at_k(label, score, 10) == pytest.approx(2 / 3)
    assert np.isnan(accounts.precision_at_k([], [], 10))
    with pytest.raises(ValueError, match="k must be at least 1"):
        accounts.precision_at_k(label, score, 0)


def test_precision_at_k_does_not_depend_on_the_ids_of_tied_accounts():
    """Ids are salted pseudonyms: renaming the accounts must not move precision@k."""
    accs = pd.DataFrame(
        {
            "variant": "v",
            "model": "m",
            "rule": "max",
            "user": ["u_a", "u_b", "u_c", "u_d"],
            "label": [1, 0, 1, 0],
            "score": [0.9, 0.9, 0.9, 0.1],
            "rank_score": [0.9, 0.9, 0.9, 0.1],
        }
    )
    renamed = accs.assign(user=["u_z", "u_a", "u_y", "u_b"])
    one = accounts.account_metrics(accs, ks=(1, 2))
    other = accounts.account_metrics(renamed, ks=(1, 2))
    pd.testing.assert_frame_equal(one, other)
    assert one["precision_at_1"].iloc[0] == pytest.approx(2 / 3)


def test_account_metrics_by_hand():
    m = accounts.account_metrics(accounts.account_scores(OOF, USERS), ks=(1, 2, 10))
    m = m.set_index("rule")
    # max: A .9 (dealer) B .4 C .3 (dealer) D .1 -> only A flagged: P 1, R 1/2, F1 2/3;
    # ROC AUC: 3 of the 4 dealer/non-dealer pairs in order; AP = 1/2 * 1 + 1/2 * 2/3 = 5/6.
    mx = m.loc["max"]
    assert (mx["accounts"], mx["dealer_accounts"], mx["tp"], mx["fp"], mx["fn"]) == (4, 2, 1, 0, 1)
    assert (mx["precision"], mx["recall"], mx["f1"]) == pytest.approx((1.0, 0.5, 2 / 3))
    assert (mx["roc_auc"], mx["pr_auc"]) == pytest.approx((0.75, 5 / 6))
    assert (mx["precision_at_1"], mx["precision_at_2"], mx["precision_at_10"]) == (1, 0.5, 0.5)
    # noisy-OR lifts B (.784) over the threshold: P 1/2, R 1/2, F1 1/2; same order as max.
    no = m.loc["noisy_or"]
    assert (no["precision"], no["recall"], no["f1"]) == pytest.approx((0.5, 0.5, 0.5))
    assert no["roc_auc"] == pytest.approx(0.75)
    # mean: A .55 is the only one over .5.
    assert m.loc["mean", "f1"] == pytest.approx(2 / 3)


def test_ranked_list_is_sorted_and_holds_kinds_only(tmp_path):
    metrics, ranked = accounts.write_accounts(
        OOF, USERS, CONTACTS, tmp_path / "accounts.csv", tmp_path / "ranked.csv"
    )
    assert list(ranked.columns) == list(accounts.RANKED_COLUMNS)
    assert list(ranked["user"]) == [A, B, C, D]  # every rule ranks these four alike
    assert list(ranked["rank"]) == [1, 2, 3, 4]
    assert ranked["score"].is_monotonic_decreasing
    assert dict(zip(ranked["user"], ranked["contact_kinds"], strict=True)) == {
        A: "bio,phone,wickr",
        B: "",
        C: "",
        D: "kik",
    }
    assert list(ranked["n_posts"]) == [2, 3, 1, 2] and list(ranked["n_flagged"]) == [1, 0, 0, 0]
    # Privacy: nothing but u_ ids and kind words in any text column of the file as written.
    back = pd.read_csv(tmp_path / "ranked.csv", keep_default_na=False)
    assert back["user"].map(lambda u: bool(re.fullmatch(r"u_[0-9a-f]{12}", u))).all()
    words = set(",".join(back["contact_kinds"]).split(",")) - {""}
    assert words <= accounts.CONTACT_KINDS
    assert set(back["variant"]) == {"hashtags_only"} and set(back["model"]) == {"svm"}
    assert len(pd.read_csv(tmp_path / "accounts.csv")) == len(metrics) == 3


def test_privacy_check_refuses_handles_and_details(tmp_path):
    _, ranked = accounts.write_accounts(
        OOF,
        USERS,
        CONTACTS,
        tmp_path / "a.csv",
        tmp_path / "r.csv",
        choice=("hashtags_only", "svm", "max"),
    )
    accounts.check_ranked_privacy(ranked)
    with pytest.raises(ValueError, match="non-pseudonymous"):
        accounts.check_ranked_privacy(ranked.assign(user=["@xanaxplug_la", B, C, D]))
    with pytest.raises(ValueError, match="unknown contact kinds"):
        accounts.check_ranked_privacy(ranked.assign(contact_kinds="wickr,plugdaddy420"))
    with pytest.raises(ValueError, match="unexpected columns"):
        accounts.check_ranked_privacy(ranked.assign(handle="plugdaddy420"))
    with pytest.raises(ValueError, match="unknown contact kinds"):
        accounts.contact_kinds_by_user(CONTACTS.assign(contacts="(213) 555-0147"), USERS)


def test_write_accounts_reads_paths(tmp_path):
    """The workflow passes paths: OOF and variant parquet, corpus jsonl (ids that look numeric)."""
    numeric = {old: f"{i:04d}" for i, old in enumerate(OOF["id"])}  # "0001" must stay "0001"
    oof = OOF.assign(id=OOF["id"].map(numeric))
    users = USERS.assign(id=oof["id"])
    oof.to_parquet(tmp_path / "oof.parquet")
    users.to_parquet(tmp_path / "variant.parquet")
    CONTACTS.assign(id=CONTACTS["id"].map(numeric)).to_json(
        tmp_path / "posts.jsonl", orient="records", lines=True
    )
    _, ranked = accounts.write_accounts(
        tmp_path / "oof.parquet",
        [tmp_path / "variant.parquet"],
        tmp_path / "posts.jsonl",
        tmp_path / "accounts.csv",
        tmp_path / "ranked.csv",
    )
    assert ranked.set_index("user").loc[A, "contact_kinds"] == "bio,phone,wickr"


def test_posts_scored_exactly_one_give_finite_ranks_and_more_of_them_rank_higher():
    """A decision tree scores posts exactly 0 or 1: noisy-OR evidence must stay finite."""
    from dealerdetect.evaluation.accounts import noisy_or, noisy_or_evidence

    one, two = noisy_or_evidence([1.0]), noisy_or_evidence([1.0, 1.0])
    assert np.isfinite(one) and np.isfinite(two) and two > one
    assert noisy_or([1.0, 0.0]) == pytest.approx(1.0)


def test_operations_are_scored_by_their_best_account_and_ranked_with_precision_at_k(tmp_path):
    # A and D are one operation (max .9, a dealer); B and C alone. Max rule: o_ad .9, B .4, C .3.
    members = pd.DataFrame(
        {
            "user": [A, B, C, D],
            "operation": ["o_" + "a" * 12, "o_" + "b" * 12, "o_" + "c" * 12, "o_" + "a" * 12],
        }
    )
    table = accounts.operation_scores(accounts.account_scores(OOF, USERS), members)
    mx = table[table["rule"] == "max"].set_index("operation")
    assert mx["score"].to_dict() == pytest.approx(
        {"o_" + "a" * 12: 0.9, "o_" + "b" * 12: 0.4, "o_" + "c" * 12: 0.3}
    )
    assert mx["label"].to_dict() == {"o_" + "a" * 12: 1, "o_" + "b" * 12: 0, "o_" + "c" * 12: 1}
    assert mx.loc["o_" + "a" * 12, "accounts"] == 2
    ops = pd.DataFrame(
        {
            "operation": ["o_" + "a" * 12, "o_" + "b" * 12, "o_" + "c" * 12],
            "accounts": [2, 1, 1],
            "posts": [4, 3, 1],
            "dealer_posts": [1, 0, 1],
            "dealer_accounts": [1, 0, 1],
            "link_kinds": ["phone", "", ""],
        }
    )
    metrics, ranked = accounts.write_operation_ranking(
        OOF, USERS, members, ops, tmp_path / "m.csv", tmp_path / "r.csv", ks=(1, 2)
    )
    m = metrics[metrics["rule"] == "max"].iloc[0]
    assert (m["operations"], m["dealer_operations"], m["protocol"]) == (3, 2, "operation")
    assert m["precision_at_1"] == 1.0 and m["precision_at_2"] == 0.5
    assert (
        ranked["operation"].iloc[0] == "o_" + "a" * 12 and ranked["link_kinds"].iloc[0] == "phone"
    )
    with pytest.raises(ValueError, match="no operation"):
        accounts.operation_scores(accounts.account_scores(OOF, USERS), members.iloc[:3])
