"""The annotation loop: which posts to label next, and the learning-curve simulation."""

import csv
import json

import numpy as np
import pandas as pd
import pytest

from dealerdetect.annotation import active
from dealerdetect.annotation.corpus import labels_or_explain
from dealerdetect.annotation.sheets import write_sheet


def _posts(n_by_tag: dict[str, int], heavy: str | None = None, heavy_posts: int = 0):
    rows = []
    for tag, n in n_by_tag.items():
        for k in range(n):
            user = heavy if heavy and tag == "a" and k < heavy_posts else f"u_{tag}{k}"
            rows.append({"id": f"{tag}{k:03d}", "user": user, "found_via": [tag]})
    return pd.DataFrame(rows)


def test_first_batch_is_stratified_by_hashtag_and_no_account_fills_it():
    # Hashtag a: 60 posts, 50 of them one account's; b: 30; c: 10.
    posts = _posts({"a": 60, "b": 30, "c": 10}, heavy="u_heavy", heavy_posts=50)
    ids = active.stratified_sample(posts, 20, seed=7)
    chosen = posts[posts["id"].isin(ids)]
    assert len(ids) == 20 == len(set(ids))
    tags = chosen["found_via"].str[0].value_counts().to_dict()
    assert tags == {"a": 12, "b": 6, "c": 2}
    # 11 accounts in hashtag a: each gives one post before the heavy account gives a second.
    assert (chosen["user"] == "u_heavy").sum() == 2
    assert active.stratified_sample(posts, 20, seed=7) == ids
    assert active.stratified_sample(posts, 20, seed=8) != ids


def test_stratified_sample_quotas_add_up_and_cap_at_the_corpus():
    posts = _posts({"a": 3, "b": 3, "c": 3})
    assert len(active.stratified_sample(posts, 4, seed=1)) == 4
    assert sorted(active.stratified_sample(posts, 50, seed=1)) == sorted(posts["id"])


def _texts_corpus():
    # Dealers say "dm plug"; others "sad day"; ambiguous posts mix both.
    rows, texts = [], []
    for k in range(30):
        rows.append({"id": f"d{k:02d}", "user": f"ud{k}", "found_via": ["x"], "label": 1})
        texts.append(f"#xanax dm plug ship{k}")
    for k in range(60):
        rows.append({"id": f"n{k:02d}", "user": f"un{k}", "found_via": ["x"], "label": 0})
        texts.append(f"#xanax sad day mood{k}")
    for k in range(10):
        rows.append({"id": f"m{k:02d}", "user": f"um{k}", "found_via": ["y"], "label": k % 2})
        texts.append(f"#xanax plug sad mix{k}")
    return pd.DataFrame(rows), texts


@pytest.mark.parametrize("strategy", active.STRATEGIES)
def test_a_batch_never_repeats_a_labelled_post_and_keeps_its_size(strategy):
    posts, texts = _texts_corpus()
    labels = {"d00": 1, "d01": 1, "n00": 0, "n01": 0, "n02": 0}
    taken = {"n03", "m09"}  # in a coder's sheet, label not filled yet
    sel = active.choose_batch(posts, texts, labels, taken, 12, strategy, seed=3)
    assert len(sel.ids) == 12 == len(set(sel.ids))
    assert not set(sel.ids) & (set(labels) | taken)
    assert sel.ids == sorted(sel.ids)
    again = active.choose_batch(posts, texts, labels, taken, 12, strategy, seed=3)
    assert again == sel, "the same labels and seed give the same batch"


def test_uncertainty_asks_about_the_posts_the_model_is_unsure_of():
    posts, texts = _texts_corpus()
    labels = {f"d{k:02d}": 1 for k in range(10)} | {f"n{k:02d}": 0 for k in range(20)}
    sel = active.choose_batch(posts, texts, labels, None, 6, "uncertainty", seed=1)
    assert sum(i.startswith("m") for i in sel.ids) >= 5, sel
    rnd = active.choose_batch(posts, texts, labels, None, 6, "random", seed=1)
    assert rnd.how.startswith("random") and rnd.ids != sel.ids


def test_without_two_classes_the_batch_is_the_stratified_sample():
    posts, texts = _texts_corpus()
    for labels in ({}, {"n00": 0, "n01": 0}):
        sel = active.choose_batch(posts, texts, labels, None, 8, "diverse", seed=5)
        assert "stratified" in sel.how and len(sel.ids) == 8
    # Every strategy, random included, starts from the same first batch.
    first = {
        s: active.choose_batch(posts, texts, {}, None, 8, s, seed=5).ids for s in active.STRATEGIES
    }
    assert len({tuple(v) for v in first.values()}) == 1


def test_diverse_keeps_near_duplicates_out_of_one_batch():
    texts = [
        "xanax bars dm me now ship fast",  # an ad
        "xanax bars dm me now ship fast",  # reposted
        "xanax bars dm me now ship fast today",  # reposted, one word added
        "lost my job feeling low",
        "percocet refill at the pharmacy",
        "party tonight who is coming",
    ]
    picked = active.diverse_pick([0, 1, 2, 3, 4, 5], texts, 4, near_duplicate=0.8)
    assert picked == [0, 3, 4, 5]
    # Too few distinct posts left: the skipped near-duplicates fill the batch, in order.
    assert active.diverse_pick([0, 1, 2, 3], texts, 3, near_duplicate=0.8) == [0, 3, 1]
    # A threshold above every similarity keeps the order as it is.
    assert active.diverse_pick([0, 1, 2, 3], texts, 3, near_duplicate=1.01) == [0, 1, 2]


def test_diverse_batch_on_reposted_ads_asks_about_each_ad_once():
    posts, texts = _texts_corpus()
    # Ten copies of one ambiguous ad, the likeliest to be asked about.
    for k in range(10):
        posts.loc[len(posts)] = {"id": f"r{k:02d}", "user": "ur", "found_via": ["y"], "label": 1}
        texts.append("#xanax plug sad mix")
    labels = {f"d{k:02d}": 1 for k in range(10)} | {f"n{k:02d}": 0 for k in range(20)}
    unc = active.choose_batch(posts, texts, labels, None, 8, "uncertainty", seed=2)
    div = active.choose_batch(posts, texts, labels, None, 8, "diverse", seed=2)
    assert sum(i.startswith("r") for i in unc.ids) >= 2
    assert sum(i.startswith("r") for i in div.ids) <= 1 and len(div.ids) == 8


def test_bad_settings_name_the_key():
    posts, texts = _texts_corpus()
    with pytest.raises(ValueError, match="annotation.strategy"):
        active.choose_batch(posts, texts, {}, None, 5, "smart", seed=1)
    with pytest.raises(ValueError, match="annotation.batch"):
        active.choose_batch(posts, texts, {}, None, 0, "random", seed=1)


def test_the_study_never_replaces_a_next_batch_it_did_not_write(tmp_path):
    sheet = tmp_path / active.NEXT_BATCH
    active.check_next_batch(tmp_path)  # nothing there yet
    write_sheet([{"id": "p1", "user": "u_1", "caption": "x"}], sheet)
    with pytest.raises(active.NextBatchInUse, match="not the one the study wrote"):
        active.check_next_batch(tmp_path)
    manifest = tmp_path / active.MANIFEST
    manifest.write_text(json.dumps({"sha256": active.file_sha256(sheet)}))
    active.check_next_batch(tmp_path)  # the study's own, untouched: may be replaced
    # A coder fills the label column (whatever columns stand before it).
    rows = list(csv.reader(sheet.read_text(encoding="utf-8-sig").splitlines()))
    rows[1][rows[0].index("label")] = "1"
    with sheet.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(active.NextBatchInUse, match="1 labels were filled"):
        active.check_next_batch(tmp_path)
    manifest.write_text(json.dumps({"sha256": active.file_sha256(sheet)}))
    with pytest.raises(active.NextBatchInUse, match="labels were filled"):
        active.check_next_batch(tmp_path)


def _coders(folder, a: dict, b: dict):
    folder.mkdir(exist_ok=True)
    for name, labels in (("annotator_a", a), ("annotator_b", b)):
        rows = "".join(f"{k},{v}\n" for k, v in labels.items())
        (folder / f"{name}.csv").write_text("post_id,label\n" + rows)


def test_the_study_runs_on_the_labelled_posts_when_asked(tmp_path):
    corpus = pd.DataFrame({"id": ["p1", "p2", "p3", "p4", "p5"]})
    _coders(tmp_path, {"p1": 1, "p2": 0, "p3": 0}, {"p1": 1, "p2": 0, "p3": 0})
    with pytest.raises(Exception, match="2 posts lack a final label"):
        labels_or_explain(tmp_path, corpus)
    labels, report = labels_or_explain(tmp_path, corpus, "leave_out")
    assert labels == {"p1": 1, "p2": 0, "p3": 0}
    assert report["unlabelled_left_out"] == {"count": 2}
    # A post only one coder labelled still stops the study, and the error names only it.
    _coders(tmp_path, {"p1": 1, "p2": 0, "p3": 0, "p4": 1}, {"p1": 1, "p2": 0, "p3": 0})
    with pytest.raises(Exception, match="1 post lack") as err:
        labels_or_explain(tmp_path, corpus, "leave_out")
    assert "p4" in str(err.value) and "p5" not in str(err.value)
    for f in tmp_path.glob("*.csv"):
        f.unlink()
    _coders(tmp_path, {}, {})
    with pytest.raises(ValueError, match="no post is labelled yet"):
        labels_or_explain(tmp_path, corpus, "leave_out")


def test_labels_so_far_reads_sheets_midway(tmp_path):
    (tmp_path / "annotator_a.csv").write_text("post_id,label\np1,1\np2,0\np3,\n")
    (tmp_path / "annotator_b.csv").write_text("post_id,label\np1,1\np2,1\n")
    labels, taken = active.labels_so_far(tmp_path)
    assert labels == {"p1": 1}  # p2 disputed, p3 not filled: no final label yet
    assert taken == {"p1", "p2", "p3"}
    (tmp_path / "annotator_b.csv").write_text("post_id,label\np1,maybe\n")
    with pytest.raises(Exception, match="annotator_b.csv.*row 2"):
        active.labels_so_far(tmp_path)


def test_labelling_summary_says_how_many_and_how():
    full = active.labelling_summary(10, 10)
    assert full["left_out_unlabelled"] == 0 and "every collected post" in full["chosen"]
    part = active.labelling_summary(10, 4, {"batch": 2, "strategy": "diverse"})
    assert part["labelled_posts"] == 4 and part["left_out_unlabelled"] == 6
    assert "'diverse'" in part["chosen"] and "batches of 2" in part["chosen"]


def test_learning_curve_simulation_is_deterministic_and_ends_at_every_label():
    posts, texts = _texts_corpus()
    kw = dict(shares=(0.1, 0.3, 1.0), folds=2, repeats=2, seed=4)
    curve = active.learning_curve(posts, texts, **kw)
    assert len(curve) == 3 * 2 * 3 * 2  # strategies x models x shares x repeats
    assert set(curve.columns) >= {"strategy", "model", "share", "labels", "repeat", "f1"}
    assert curve["f1"].between(0, 1).all()
    full = curve[curve["share"] == 1.0]
    # With every label the strategies agree: the same posts, the same models.
    assert full.groupby(["model", "repeat"])["f1"].nunique().eq(1).all()
    assert (full["labels"] == 50).all()  # half of 100 posts per training part
    pd.testing.assert_frame_equal(curve, active.learning_curve(posts, texts, **kw))
    reach = active.labels_to_reach(curve)
    assert set(reach["strategy"]) == set(active.STRATEGIES)
    assert (reach["labels"] <= 50).all()


def test_labels_to_reach_reads_the_mean_curve():
    curve = pd.DataFrame(
        {
            "strategy": ["random"] * 3 + ["diverse"] * 3,
            "model": "svm",
            "share": [0.1, 0.5, 1.0] * 2,
            "labels": [10, 50, 100] * 2,
            "repeat": 0,
            "f1": [0.5, 0.8, 0.9, 0.86, 0.88, 0.9],
        }
    )
    reach = active.labels_to_reach(curve).set_index("strategy")
    assert reach.loc["diverse", "labels"] == 10  # 0.86 >= 0.95 * 0.9 = 0.855
    assert reach.loc["random", "labels"] == 100
    assert np.isclose(reach.loc["random", "target_f1"], 0.855)
