"""Bad input through the real entry points: a clear error naming file/row/field, or a counted skip.

Each case below is one kind of bad input; nothing may disappear without a count.
"""

import json

import pandas as pd
import pytest

from dealerdetect.annotation.corpus import load_labels
from dealerdetect.annotation.sheets import LabelFormatError, LabelsIncomplete
from dealerdetect.collection.files import FileSource
from dealerdetect.evaluation.cv import make_folds, run_fold
from dealerdetect.posts import PostFormatError, read_jsonl
from dealerdetect.preprocessing.steps import dedupe_posts, preprocess
from dealerdetect.preprocessing.variant_status import check_variants, variant_status

GOOD = {"id": "1", "user": "a", "timestamp": "2018-08-01T00:00:00Z", "caption": "order now #xanax"}


def jsonl(tmp_path, lines, name="posts.jsonl"):
    path = tmp_path / name
    path.write_bytes(b"\n".join(x if isinstance(x, bytes) else x.encode() for x in lines) + b"\n")
    return path


def corpus(captions, labels=None):
    n = len(captions)
    return pd.DataFrame(
        {
            "id": [str(i) for i in range(n)],
            "user": [f"u{i}" for i in range(n)],
            "timestamp": "2018-08-01T00:00:00Z",
            "caption": captions,
            "found_via": "xanax",
            "label": labels if labels is not None else [i % 2 for i in range(n)],
        }
    )


def test_malformed_json_line_names_file_and_row(tmp_path):
    path = jsonl(tmp_path, [json.dumps(GOOD), '{"id": "2", "user": '])
    with pytest.raises(
        PostFormatError, match=r"posts.jsonl: row 2: field '<line>': malformed JSON"
    ):
        list(read_jsonl(path))


def test_non_utf8_bytes_name_file_and_row(tmp_path):
    path = jsonl(tmp_path, [json.dumps(GOOD), b'{"id": "2", "caption": "\xff\xfe"}'])
    with pytest.raises(PostFormatError, match=r"row 2: field '<line>': not UTF-8"):
        list(read_jsonl(path))


def test_missing_field_and_bad_timestamp_name_the_field(tmp_path):
    with pytest.raises(PostFormatError, match=r"row 1: field 'user': missing"):
        list(
            read_jsonl(
                jsonl(tmp_path, [json.dumps({k: v for k, v in GOOD.items() if k != "user"})])
            )
        )
    with pytest.raises(PostFormatError, match=r"row 1: field 'timestamp': not ISO 8601"):
        list(read_jsonl(jsonl(tmp_path, [json.dumps({**GOOD, "timestamp": "yesterday"})])))


def test_csv_with_missing_columns_names_file_row_and_column(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("id,user,caption\n1,a,hello\n")
    with pytest.raises(PostFormatError, match=r"posts.csv: row 1: field 'timestamp'"):
        FileSource({"path": str(path), "format": "csv"})


def test_duplicate_ids_with_different_content_are_an_error():
    hits = corpus(["order now #xanax", "order now #xanax"]).assign(id="7")
    hits.loc[1, "caption"] = "something else"
    with pytest.raises(ValueError, match="post id '7' was collected with different content"):
        dedupe_posts(hits)


@pytest.mark.parametrize(
    "caption, reason",
    [
        ("", "fewer than 2 indexes"),  # empty caption
        ("😍🔥💯", "fewer than 2 indexes"),  # emoji only
        ("the and of to", "fewer than 2 indexes"),  # stopwords only
        ("#xanax #bars", "no words left"),  # hashtags only: dropped from no_hashtags only
        (
            "wickr me please for real",
            "no hashtags in the text",
        ),  # no hashtags: dropped from hashtags_only
    ],
)
def test_captions_that_clean_to_little_are_counted_with_a_reason(caption, reason):
    captions = ["order now quick delivery #xanax", "sober today feeling good #recovery", caption]
    variants, _, flow = preprocess(corpus(captions, [1, 0, 1]))
    dropped = pd.DataFrame(flow.dropped)
    row = dropped[dropped["post_id"] == "2"]
    assert len(row) >= 1 and row["reason"].str.contains(reason).any()
    for name, df in variants.items():  # nothing lost: kept or dropped with a reason, per variant
        gone = set(dropped.loc[dropped["variant"].isin(["all", name]), "post_id"])
        assert set(df["id"]) | gone == {"0", "1", "2"}


def test_an_empty_variant_is_not_run_or_with_strict_an_error_showing_the_flow():
    variants, _, flow = preprocess(corpus(["order now #xanax", "sober today #recovery"]))
    variants["no_hashtags"] = variants["no_hashtags"].iloc[0:0]
    status = variant_status(variants, flow, folds=1).set_index("variant")
    assert status.loc["no_hashtags", "status"] == "not run"
    assert status.loc["no_hashtags", "reason"] == "empty after steps 1-5"
    assert status.loc["with_hashtags", "status"] == "run"
    with pytest.raises(ValueError, match=r"(?s)variant no_hashtags empty.*4_min_tokens"):
        check_variants(variant_status(variants, flow, folds=1), flow)


def test_a_corpus_with_no_dealer_posts_is_not_run_with_the_reason():
    variants, _, flow = preprocess(
        corpus(["order now quick #xanax", "sober today good #recovery"], [0, 0])
    )
    status = variant_status(variants, flow, folds=2)
    assert (status["status"] == "not run").all()
    assert status["reason"].str.contains("holds only non-dealer posts").all()


def test_fewer_posts_of_a_class_than_folds_is_not_run():
    variants, _, flow = preprocess(
        corpus(["order now quick #xanax", "sober today good #recovery", "beach day fun #sun"])
    )
    status = variant_status(variants, flow, folds=3).set_index("variant")
    assert "fewer than the 3 folds" in status.loc["with_hashtags", "reason"]
    assert variant_status(variants, flow, folds=1)["status"].eq("run").all()


def test_a_training_fold_with_a_single_class_names_model_variant_and_fold():
    df = pd.DataFrame(
        {
            "id": list("abcdef"),
            "user": list("abcdef"),
            "label": [1, 0, 0, 0, 0, 0],
            "text": ["x y"] * 6,
        }
    )
    folds = pd.DataFrame({"id": list("abcdef"), "fold": [0, 1, 1, 1, 1, 1]})
    with pytest.raises(ValueError, match="decision_tree/no_hashtags/fold 0"):
        run_fold(df, folds, 0, "decision_tree", "no_hashtags", {}, 0)


def sheet(path, rows, col="label"):
    path.write_text("post_id," + col + "\n" + "".join(f"{i},{v}\n" for i, v in rows))


def test_missing_labels_say_how_many_and_where(tmp_path):
    sheet(tmp_path / "annotator_a.csv", [("1", 1), ("2", 0)])
    sheet(tmp_path / "annotator_b.csv", [("1", 1), ("2", 0)])
    with pytest.raises(LabelsIncomplete, match="1 post lack"):
        load_labels(tmp_path, ids=["1", "2", "3"])


def test_non_binary_label_names_file_row_and_field(tmp_path):
    sheet(tmp_path / "annotator_a.csv", [("1", 1), ("2", "maybe")])
    sheet(tmp_path / "annotator_b.csv", [("1", 1), ("2", 0)])
    with pytest.raises(LabelFormatError, match=r"annotator_a.csv: row 3: field 'label'"):
        load_labels(tmp_path)


def test_conflicting_labels_for_one_post_name_the_rows(tmp_path):
    sheet(tmp_path / "labels.csv", [("1", 1), ("1", 0)])
    with pytest.raises(LabelFormatError, match=r"labels.csv: row 3.*row 2"):
        load_labels(tmp_path)


def test_posts_outside_the_window_are_counted_not_lost(tmp_path):
    from dealerdetect.collection.collect import collect

    rows = [GOOD, {**GOOD, "id": "2", "timestamp": "2017-01-01T00:00:00Z"}]
    path = jsonl(tmp_path, [json.dumps(r) for r in rows])
    cfg = {
        "source": "file",
        "file": {"path": str(path), "apply_discovery": False},
        "window": {"start": "2018-07-19", "end": "2018-10-18"},
        "seed_hashtags": ["xanax"],
        "loops": 2,
    }
    counts = collect(cfg, seed=0, salt="s", out_dir=tmp_path / "raw")
    skipped = pd.read_csv(tmp_path / "raw" / "skipped.csv", dtype=str)
    assert counts["posts"] == 1 and list(skipped["post_id"]) == ["2"]
    # The config's dates are UTC days; the reason says so and names where the post was read.
    assert skipped["reason"].iloc[0] == (
        "outside the collection window 2018-07-19T00:00:00Z to 2018-10-18T23:59:59Z (UTC)"
    )
    assert (skipped["file"].iloc[0], skipped["row"].iloc[0]) == (str(path), "2")


def test_labels_for_posts_not_in_the_corpus_are_counted_and_listed(tmp_path, caplog):
    sheet(tmp_path / "labels.csv", [("1", 1), ("2", 0), ("gone-7", 1), ("gone-3", 0)])
    with caplog.at_level("WARNING"):
        labels, report = load_labels(tmp_path, ids=["1", "2"])
    assert labels == {"1": 1, "2": 0}
    assert report["unknown_ids"] == {"count": 2, "post_ids": ["gone-3", "gone-7"]}
    assert "2 labelled post ids are not in the corpus" in caplog.text and "gone-3" in caplog.text


def test_a_labels_file_overriding_a_coder_is_reported(tmp_path, caplog):
    # Post 2 was labelled by coder a only; labels.csv gives the other label and is used.
    sheet(tmp_path / "annotator_a.csv", [("1", 1), ("2", 1)])
    sheet(tmp_path / "annotator_b.csv", [("1", 1)])
    sheet(tmp_path / "labels.csv", [("2", 0), ("3", 1)])
    with caplog.at_level("WARNING"):
        labels, report = load_labels(tmp_path, ids=["1", "2", "3"])
    assert labels == {"1": 1, "2": 0, "3": 1}
    assert report["labels_file_overrides"] == {"count": 1, "post_ids": ["2"]}
    assert report["unknown_ids"]["count"] == 0
    assert "labels.csv gives the other label" in caplog.text and ": 2" in caplog.text


def test_unknown_tokens_at_predict_time_map_to_the_unknown_index():
    from dealerdetect.preprocessing.steps import UNK, build_dictionary, to_index

    vocab = build_dictionary([["order", "#xanax"]])
    assert to_index(["order", "neverseen"], vocab, 4) == [vocab["order"], UNK, 0, 0]


def test_folds_on_too_few_posts_is_a_clear_error():
    with pytest.raises(ValueError, match=r"cv \(paper protocol, 2 posts\)"):
        make_folds(corpus(["a b", "c d"]), 10, 0)


def test_a_labels_file_contradicting_both_coders_names_the_file(tmp_path):
    sheet(tmp_path / "annotator_a.csv", [("1", 1)])
    sheet(tmp_path / "annotator_b.csv", [("1", 1)])
    sheet(tmp_path / "labels.csv", [("1", 0)])
    with pytest.raises(ValueError, match=r"labels.csv: the labels file contradicts .*'1'"):
        load_labels(tmp_path, ids=["1"])
