"""Step 6: coder sheets, Cohen's kappa, adjudication and final labels."""

from __future__ import annotations

import csv
import math

import pytest

from dealerdetect.annotation.sheets import (
    LabelFormatError,
    LabelsIncomplete,
    MissingLabel,
    coder_confusion,
    cohen_kappa,
    disagreements,
    final_labels,
    labels_file_overrides,
    read_adjudication_sheet,
    read_labels_file,
    read_sheet,
    write_adjudication_sheet,
    write_sheet,
)
from dealerdetect.posts import PostFormatError
from dealerdetect.privacy.csvsafe import unescape

POSTS = [
    {"id": f"p{i:02d}", "user": f"user{i}", "caption": f'caption {i}, with "quotes"\nand 🙂'}
    for i in range(10, 0, -1)
]
A = dict(zip([f"p{i:02d}" for i in range(1, 11)], [1, 1, 1, 1, 0, 0, 0, 0, 0, 0], strict=True))
B = dict(zip([f"p{i:02d}" for i in range(1, 11)], [1, 1, 1, 0, 0, 0, 0, 0, 0, 1], strict=True))


def fill(path, labels):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("label") if "label" in rows[0] else rows[0].index("final")
    for r in rows[1:]:
        r[col] = str(labels.get(unescape(r[0]), ""))  # the id as the spreadsheet shows it
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def test_sheet_roundtrip_sorted_by_id(tmp_path):
    path = write_sheet(POSTS, tmp_path / "a.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [
        "post_id", "user", "caption", "hashtags", "comments", "url", "image", "language", "label",
        "image_category",
    ]  # fmt: skip
    assert [r[0] for r in rows[1:]] == sorted(A)
    assert rows[1][2] == POSTS[-1]["caption"] and all(r[8] == r[9] == "" for r in rows[1:])
    fill(path, A)
    assert read_sheet(path, "annotator_a") == A


def test_kappa_hand_computed():
    # a\b   1  0      p_o = 8/10; p_e = .4*.4 + .6*.6 = .52
    #  1    3  1      kappa = (.8 - .52) / (1 - .52) = 7/12
    #  0    1  5
    assert coder_confusion(A, B) == {0: {0: 5, 1: 1}, 1: {0: 1, 1: 3}}
    assert cohen_kappa(A, B) == pytest.approx(7 / 12)
    assert cohen_kappa(A, A) == 1.0
    assert math.isnan(cohen_kappa({"x": 1}, {"x": 1}))  # p_e = 1: undefined
    sklearn = pytest.importorskip("sklearn.metrics")
    assert cohen_kappa(A, B) == pytest.approx(
        sklearn.cohen_kappa_score([A[k] for k in sorted(A)], [B[k] for k in sorted(A)])
    )
    with pytest.raises(ValueError, match="different posts"):
        cohen_kappa(A, {"p01": 1})


def test_adjudication_and_final_labels(tmp_path):
    assert disagreements(A, B) == ["p04", "p10"]
    sheet = write_adjudication_sheet(disagreements(A, B), POSTS, A, B, tmp_path / "adj.csv")
    with open(sheet, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["post_id", "caption", "annotator_a", "annotator_b", "final"]
    assert [r[0] for r in rows[1:]] == ["p04", "p10"] and rows[1][2:] == ["1", "0", ""]

    labels, missing = final_labels(A, B, read_adjudication_sheet(sheet))
    assert missing == [
        MissingLabel("p04", "where the coders disagree", "adjudication"),
        MissingLabel("p10", "where the coders disagree", "adjudication"),
    ]
    assert len(labels) == 8 and labels["p01"] == 1 and labels["p05"] == 0

    fill(sheet, {"p04": 1})  # the meeting decided p04; p10 still open
    labels, missing = final_labels(A, B, read_adjudication_sheet(sheet))
    assert labels["p04"] == 1 and [m.post_id for m in missing] == ["p10"]
    fill(sheet, {"p04": 1, "p10": 0})
    labels, missing = final_labels(A, B, read_adjudication_sheet(sheet))
    assert missing == [] and labels == {**A, "p04": 1}


def test_missing_labels_message_counts_and_sheets():
    a = {"p1": 1, "p2": 0, "p3": 1}
    b = {"p1": 1, "p2": 1}
    _, missing = final_labels(a, b, None, None, ids=["p1", "p2", "p3", "p4"])
    err = LabelsIncomplete(missing, where={"adjudication": "data/annotation/adjudication.csv"})
    msg = str(err)
    assert msg.startswith("3 posts lack a final label.")
    assert (
        "1 where the coders disagree: fill column 'final' in the adjudication sheet "
        "(data/annotation/adjudication.csv) for post ids p2" in msg
    )
    assert "1 not labelled by annotator_b: fill column 'label' in the annotator_b sheet" in msg
    assert "1 not labelled by anyone" in msg and "p4" in msg
    assert err.missing == missing


def test_single_labels_file(tmp_path):
    f = tmp_path / "labels.csv"
    f.write_text("post_id,label\np1,1\np2,no\np3,YES\np1,1\n", encoding="utf-8")
    assert read_labels_file(f) == {"p1": 1, "p2": 0, "p3": 1}
    labels, missing = final_labels(None, None, None, read_labels_file(f), ids=["p1", "p2", "p9"])
    assert labels == {"p1": 1, "p2": 0}
    assert missing == [MissingLabel("p9", "not labelled by anyone", "labels")]
    with pytest.raises(ValueError, match="contradicts"):
        final_labels({"p1": 0}, {"p1": 0}, None, {"p1": 1})


@pytest.mark.parametrize(
    "text, row, field, why",
    [
        ("post_id,label\np1,1\np2,2\n", 3, "label", "must be 0 or 1"),
        ("post_id,label\np1,1\np2,\n", 3, "label", "missing label"),
        ("post_id,label\np1,1\np1,0\n", 3, "label", "row 2"),
        ("post_id,lbl\np1,1\n", 1, "label", "missing column"),
    ],
)
def test_label_errors_name_file_row_field(tmp_path, text, row, field, why):
    f = tmp_path / "coder.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(LabelFormatError, match=why) as info:
        read_sheet(f, "annotator_a")
    assert isinstance(info.value, PostFormatError)
    assert (info.value.path, info.value.row, info.value.field) == (str(f), row, field)


def test_non_utf8_sheet(tmp_path):
    f = tmp_path / "excel.csv"
    f.write_bytes(b"post_id,user,caption,label\np1,u,caf\xe9,1\n")
    with pytest.raises(PostFormatError, match="not UTF-8") as info:
        read_sheet(f, "annotator_b")
    assert (info.value.row, info.value.field) == (2, "caption")


def test_sheet_shows_what_the_coders_need(tmp_path):
    post = {
        "id": "Bq1",
        "user": "u_1",
        "caption": "bars in stock, wickr: [HANDLE]",
        "hashtags": ["xanax", "bars"],
        "comments": [
            {"user": "u_2", "timestamp": "", "text": "price?\nhow much"},
            {"user": "u_1", "timestamp": "", "text": "check [URL]"},
        ],
        "url": "https://www.instagram.com/p/Bq1/",
        "image": "https://cdn.test/p.jpg",
    }
    path = write_sheet(
        [post, {"id": "a0", "user": "u_3", "caption": "old-style row"}], tmp_path / "s.csv"
    )
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0] == {  # sorted by id: "Bq1" < "a0"
        "post_id": "Bq1",
        "user": "u_1",
        "caption": "bars in stock, wickr: [HANDLE]",
        "hashtags": "#xanax #bars",
        "comments": "u_2: price? how much\nu_1 (poster): check [URL]",
        "url": "https://www.instagram.com/p/Bq1/",
        "image": "https://cdn.test/p.jpg",
        "language": "und",  # identified from the caption: too little text to tell
        "label": "",
        "image_category": "",
    }
    assert rows[1]["hashtags"] == rows[1]["url"] == rows[1]["image"] == ""


def test_filled_sheets_old_and_new_read_the_same(tmp_path):
    old = tmp_path / "old.csv"
    old.write_text("post_id,user,caption,label\np1,u,hi,1\np2,u,yo,0\n", encoding="utf-8")
    new = write_sheet(
        [{"id": i, "user": "u", "caption": "x", "url": "https://x.test", "hashtags": ["a"]}
         for i in ("p1", "p2")],
        tmp_path / "new.csv",
    )  # fmt: skip
    fill(new, {"p1": 1, "p2": 0})
    assert read_sheet(old, "annotator_a") == read_sheet(new, "annotator_b") == {"p1": 1, "p2": 0}


def test_template_from_raw_posts_redacts_and_links(tmp_path):
    from dealerdetect.annotation.corpus import annotation_template
    from dealerdetect.posts import Comment, Post, write_jsonl

    raw = tmp_path / "posts.jsonl"
    p = Post(
        "Bq1",
        "u_1",
        "2018-08-01T00:00:00Z",
        "xanax bars text +1 (555) 013-2233 #xanax",
        ["xanax"],
        comments=[Comment("u_2", "", "mine is +44 7700 900123, call me")],
        url="https://www.instagram.com/p/Bq1/",
        image="https://cdn.test/Bq1.jpg",
        found_via="xanax",
    )
    write_jsonl([p, Post(**{**p.to_dict(), "comments": p.comments, "found_via": "bars"})], raw)
    out = tmp_path / "data" / "to_annotate.csv"
    assert annotation_template(raw, tmp_path / "none", out) == 1
    with open(out, encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert "555" not in row["caption"] and "7700" not in row["comments"]
    assert "[PHONE]" in row["caption"] and row["comments"] == "u_2: mine is [PHONE], call me"
    assert (row["hashtags"], row["url"], row["image"]) == (
        "#xanax",
        "https://www.instagram.com/p/Bq1/",
        "https://cdn.test/Bq1.jpg",
    )
    with pytest.raises(ValueError, match="never under results/"):
        annotation_template(raw, tmp_path / "none", tmp_path / "results" / "annotation" / "s.csv")


def test_labels_file_overrides_only_where_it_decides():
    a, b = {"p1": 1, "p2": 1, "p3": 0}, {"p1": 1, "p3": 1}
    adj = {"p3": 1}
    one = {"p1": 1, "p2": 0, "p3": 1, "p4": 1}
    # p2: only a labelled it, and the file says otherwise; p1/p3 are decided by coders/meeting.
    assert labels_file_overrides(a, b, adj, one) == ["p2"]
    assert labels_file_overrides(a, b, adj, None) == []


HOSTILE_IDS = [
    '=HYPERLINK("[URL]","click me")',
    "+cmd|'/c calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "-xgik4pqRZ",  # a real Instagram shortcode may start with '-'
    "'=quoted already",
]


def test_hostile_ids_and_captions_run_nothing_and_read_back(tmp_path):
    """Coder sheets go to spreadsheet programs: no cell may start a formula."""
    posts = [
        {"id": pid, "user": "=u_1", "caption": pid if i % 2 else "+cmd|'/c calc'!A0"}
        for i, pid in enumerate(HOSTILE_IDS)
    ]
    labels = {pid: i % 2 for i, pid in enumerate(HOSTILE_IDS)}
    other = {pid: 1 - v if i < 2 else v for i, (pid, v) in enumerate(labels.items())}
    a = write_sheet(posts, tmp_path / "a.csv")
    adj = write_adjudication_sheet(
        disagreements(labels, other), posts, labels, other, tmp_path / "adj.csv"
    )
    for path in (a, adj):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            cells = [c for row in csv.reader(fh) for c in row]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    fill(a, labels)  # the coder fills 'label' and saves (quotes kept as in the file)
    assert read_sheet(a, "annotator_a") == labels
    fill(adj, {k: 1 for k in labels})
    assert read_adjudication_sheet(adj) == {k: 1 for k in disagreements(labels, other)}
