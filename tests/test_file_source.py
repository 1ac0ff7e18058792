"""FileSource: JSON Lines, CSV with custom columns, instaloader metadata files; errors."""

from __future__ import annotations

import json
import lzma

import instaloader
import pytest

from dealerdetect.collection import CollectionError
from dealerdetect.collection.base import Window
from dealerdetect.collection.discovery import discover
from dealerdetect.collection.files import FileSource
from dealerdetect.drugs import Lexicon
from dealerdetect.posts import PostFormatError

WINDOW = Window.from_config({"start": "2018-07-19", "end": "2018-10-18"})


XAN = Lexicon.from_config({"xanax": {"name": "Xanax", "names": ["xan"]}})


def post(pid, ts, caption, user="test_user", **extra):
    return {"id": pid, "user": user, "timestamp": ts, "caption": caption, **extra}


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_jsonl_and_discovery_filter(tmp_path):
    f = write_jsonl(
        tmp_path / "mine.jsonl",
        [
            post("a1", "2018-08-01T10:00:00Z", "pills here #xanaxangel #xanaxbars"),
            post("a2", "2018-09-01T10:00:00Z", "#XanaxAngel dm me"),
            post("a3", "2018-10-01T10:00:00Z", "#xanaxbars #sunset"),
            post("a4", "2018-06-01T10:00:00Z", "too old #xanaxangel"),
            post("a5", "2018-09-05T10:00:00Z", "#percs unrelated to seeds"),
        ],
    )
    src = FileSource({"path": str(f), "format": "auto", "apply_discovery": True})
    assert src.apply_discovery
    assert [p.id for p in src.feed("#xanaxangel")] == ["a2", "a1", "a4"]  # newest first
    hits = [(p.found_via, p.loop, p.id) for p in discover(src, ["xanaxangel"], WINDOW, XAN)]
    assert hits == [
        ("xanaxangel", 1, "a2"),
        ("xanaxangel", 1, "a1"),
        ("xanaxbars", 2, "a3"),
        ("xanaxbars", 2, "a1"),  # a second hit; preprocessing removes the duplicate
    ]
    # discovery stamps found_via on what it gets; the source's own posts stay untouched
    assert [p.found_via for p in src.all_posts()] == [""] * 5
    off = FileSource({"path": str(f), "apply_discovery": False})
    assert not off.apply_discovery and [p.id for p in off.all_posts()] == [
        f"a{i}" for i in range(1, 6)
    ]
    assert {p.source for p in off.all_posts()} == {"file"}


def test_csv_with_custom_columns(tmp_path):
    f = tmp_path / "export.csv"
    f.write_text(
        "shortcode,author,created,text,tags,replies\n"
        '1,vendor_a,2018-08-01 10:00:00,"plug here\nline two #Xanax @Kik_Me",,\n'
        '2,vendor_b,1533117600,no tags in text,"#percs, bars xanax",'
        '"[{""user"": ""u1"", ""timestamp"": ""2018-08-01T11:00:00Z"", ""text"": ""price?""}, '
        '""plain""]"\n',
        encoding="utf-8",
    )
    cols = {
        "id": "shortcode",
        "user": "author",
        "timestamp": "created",
        "caption": "text",
        "hashtags": "tags",
        "comments": "replies",
    }
    src = FileSource({"path": str(f), "format": "csv", "columns": cols, "apply_discovery": False})
    p1, p2 = src.all_posts()
    assert (p1.id, p1.user, p1.timestamp) == ("1", "vendor_a", "2018-08-01T10:00:00Z")
    assert p1.caption.startswith("plug here\nline two") and p1.hashtags == ["xanax"]
    assert p1.mentions == ["kik_me"] and p1.comments == []
    assert p2.timestamp == "2018-08-01T10:00:00Z"  # Unix seconds
    assert p2.hashtags == ["percs", "bars", "xanax"]
    assert [(c.user, c.text) for c in p2.comments] == [("u1", "price?"), ("", "plain")]


def save_instaloader(path, node, xz=False):
    target = str(path) + (".json.xz" if xz else ".json")
    instaloader.save_structure_to_file(instaloader.Post(None, node), target)


def il_node(code, ts, caption, user="vendor_test", comments=()):
    edges = [
        {"node": {"id": str(i), "created_at": t, "text": x, "owner": {"id": "7", "username": u}}}
        for i, (u, t, x) in enumerate(comments)
    ]
    return {
        "shortcode": code,
        "id": "1",
        "taken_at_timestamp": ts,
        "__typename": "GraphImage",
        "owner": {"id": "5", "username": user},
        "edge_media_to_caption": {"edges": [{"node": {"text": caption}}]},
        "edge_media_to_comment": {"count": len(edges), "edges": edges},
    }


def test_instaloader_directory_json_and_xz(tmp_path):
    d = tmp_path / "#xanaxangel"
    d.mkdir()
    save_instaloader(d / "2018-08-01_10-00-00_UTC", il_node("C1", 1533117600, "#xanaxangel hi"))
    save_instaloader(
        d / "2018-09-01_10-00-00_UTC",
        il_node("C2", 1535796000, "#xanaxangel dm", comments=[("b1", 1535796060, "how much")]),
        xz=True,
    )
    (d / "2018-09-01_10-00-00_UTC_comments.json").write_text(
        json.dumps(
            [
                {
                    "id": 9,
                    "created_at": 1535796120,
                    "text": "from sidecar",
                    "owner": {"id": "8", "username": "b2"},
                    "answers": [],
                }
            ]
        ),
        encoding="utf-8",
    )
    with lzma.open(d / "test_vendor_123.json.xz", "wt") as fh:  # a Profile: skipped
        json.dump(
            {"node": {"username": "x", "id": "1"}, "instaloader": {"node_type": "Profile"}}, fh
        )
    src = FileSource({"path": str(tmp_path), "format": "auto"})
    assert [p.id for p in src.feed("xanaxangel")] == ["C2", "C1"]
    c2 = next(iter(src.feed("xanaxangel")))
    assert (c2.user, c2.timestamp, c2.source) == ("vendor_test", "2018-09-01T10:00:00Z", "file")
    assert [(c.user, c.timestamp, c.text) for c in c2.comments] == [
        ("b2", "2018-09-01T10:02:00Z", "from sidecar")
    ]
    assert [s["reason"] for s in src.skipped] == ["instaloader Profile structure, not a Post"]


def test_duplicates(tmp_path):
    rows = [post("a1", "2018-08-01T10:00:00Z", "#x one")]
    f = write_jsonl(tmp_path / "d.jsonl", rows + [dict(rows[0], found_via="y", loop=2)])
    src = FileSource({"path": str(f)})
    assert len(src.all_posts()) == 1
    assert src.skipped == [{"file": str(f), "row": 2, "reason": f"duplicate of {f} row 1 (id a1)"}]
    write_jsonl(f, rows + [post("a1", "2018-08-01T10:00:00Z", "#x changed")])
    with pytest.raises(PostFormatError) as info:
        FileSource({"path": str(f)})
    assert (info.value.row, info.value.field) == (2, "id")
    assert f"{f} row 1" in str(info.value) and "caption" in str(info.value)


HEADER = "id,user,timestamp,caption\n"


@pytest.mark.parametrize(
    "name, data, fmt, row, field",
    [
        ("m.csv", b"id,user,caption\n1,u,hi\n", "csv", 1, "timestamp"),
        (
            "t.csv",
            (HEADER + "1,u,2018-08-01,ok\n2,u,last tuesday,hi\n").encode(),
            "csv",
            3,
            "timestamp",
        ),
        ("u.csv", HEADER.encode() + b"1,u,2018-08-01,caf\xe9\n", "csv", 2, "caption"),
        ("e.csv", (HEADER + "1,,2018-08-01,hi\n").encode(), "csv", 2, "user"),
        ("x.csv", (HEADER + "1,u,2018-08-01,hi,extra\n").encode(), "csv", 2, "column 5"),
        (
            "c.csv",
            b"id,user,timestamp,caption,comments\n1,u,2018-08-01,hi,[oops\n",
            "csv",
            2,
            "comments",
        ),
        (
            "b.jsonl",
            b'{"id": "1", "user": "u", "timestamp": "2018-08-01", "caption": ""}\n{bad\n',
            "jsonl",
            2,
            "<line>",
        ),
        (
            "n.jsonl",
            b'{"id": "1", "user": "u", "timestamp": "2018-08-01", "caption": "\xff"}\n',
            "jsonl",
            1,
            "<line>",
        ),
        (
            "ts.jsonl",
            b'{"id": "1", "user": "u", "timestamp": "soon", "caption": ""}\n',
            "jsonl",
            1,
            "timestamp",
        ),
        ("p.json", b'{"node": {"shortcode": "Z"', "instaloader", 1, "<file>"),
        (
            "o.json",
            json.dumps(
                {
                    "node": {"shortcode": "Z", "taken_at_timestamp": 1, "owner": {"id": "1"}},
                    "instaloader": {"node_type": "Post"},
                }
            ).encode(),
            "instaloader",
            1,
            "node.owner.username",
        ),
        (
            "d.json",
            json.dumps(
                {
                    "node": {"shortcode": "Z", "owner": {"id": "1", "username": "u"}},
                    "instaloader": {"node_type": "Post"},
                }
            ).encode(),
            "instaloader",
            1,
            "node.taken_at_timestamp",
        ),
    ],
)
def test_errors_name_file_row_field(tmp_path, name, data, fmt, row, field):
    f = tmp_path / name
    f.write_bytes(data)
    with pytest.raises(PostFormatError) as info:
        FileSource({"path": str(f), "format": fmt})
    assert (info.value.path, info.value.row, info.value.field) == (str(f), row, field)
    assert str(f) in str(info.value) and f"row {row}" in str(info.value)


def test_xz_file_that_is_not_xz(tmp_path):
    f = tmp_path / "broken.json.xz"
    f.write_bytes(b"plain text")
    with pytest.raises(PostFormatError, match="not a valid .xz file"):
        FileSource({"path": str(f)})


def test_configuration_errors(tmp_path):
    with pytest.raises(CollectionError, match="does not exist"):
        FileSource({"path": str(tmp_path / "nope.csv")})
    (tmp_path / "a.csv").write_text(HEADER)
    (tmp_path / "b.jsonl").write_text("")
    with pytest.raises(CollectionError, match="mixed"):
        FileSource({"path": str(tmp_path)})
    with pytest.raises(CollectionError, match="unknown keys"):
        FileSource({"path": str(tmp_path / "a.csv"), "columns": {"likes": "n"}})


def test_links_for_the_coders_from_every_format(tmp_path):
    """url/image reach the Post: instaloader (Instagram address; saved picture or display_url),
    JSON Lines fields and CSV columns; absent means empty, never invented."""
    d = tmp_path / "il"
    d.mkdir()
    node = il_node("Bq1Xy", 1533117600, "#xanaxangel hi")
    save_instaloader(d / "2018-08-01_10-00-00_UTC", {**node, "display_url": "https://cdn.test/a"})
    save_instaloader(d / "2018-08-02_10-00-00_UTC", il_node("Bq2Zz", 1533204000, "#x"), xz=True)
    (d / "2018-08-02_10-00-00_UTC.jpg").write_bytes(b"\xff\xd8")
    got = {p.id: (p.url, p.image) for p in FileSource({"path": str(d)}).all_posts()}
    assert got == {
        "Bq1Xy": ("https://www.instagram.com/p/Bq1Xy/", "https://cdn.test/a"),
        "Bq2Zz": ("https://www.instagram.com/p/Bq2Zz/", str(d / "2018-08-02_10-00-00_UTC.jpg")),
    }

    f = write_jsonl(
        tmp_path / "m.jsonl",
        [
            post("j1", "2018-08-01T10:00:00Z", "hi", url="https://forum.test/t/1", image="1.png"),
            post("j2", "2018-08-01T10:00:00Z", "no links"),
        ],
    )
    got = [(p.url, p.image) for p in FileSource({"path": str(f)}).all_posts()]
    # A picture named relative to the file is read from the file's folder, wherever the study runs.
    assert got == [("https://forum.test/t/1", str((tmp_path / "1.png").resolve())), ("", "")]

    c = tmp_path / "e.csv"
    c.write_text(HEADER.strip() + ",link\n1,u,2018-08-01,hi,https://x.test/1\n2,u,2018-08-01,b,\n")
    src = FileSource({"path": str(c), "columns": {"url": "link"}})
    assert [(p.url, p.image) for p in src.all_posts()] == [("https://x.test/1", ""), ("", "")]


@pytest.mark.parametrize(
    "extra, field, why",
    [
        ({"mentions": [123]}, "mentions[0]", "expected a user name"),
        ({"mentions": "RealHandle"}, "mentions", "expected a list of user names, got str"),
        ({"id": True}, "id", "got bool"),
        ({"user": False}, "user", "got bool"),
        ({"url": 5}, "url", "expected a string"),
    ],
)
def test_jsonl_fields_of_the_wrong_type_name_file_row_field(tmp_path, extra, field, why):
    # mentions [123] used to crash with AttributeError, "RealHandle" became ten one-letter
    # handles, and JSON true became the id "True".
    good = post("ok", "2018-08-01T10:00:00Z", "fine", mentions=["someone"])
    f = write_jsonl(tmp_path / "w.jsonl", [good, {**good, "id": "bad", **extra}])
    with pytest.raises(PostFormatError, match=why) as info:
        FileSource({"path": str(f)})
    assert (info.value.path, info.value.row, info.value.field) == (str(f), 2, field)


def test_committed_real_shaped_fixtures_load_as_described():
    """tests/data/no_hashtags and one_class_variant (used by the study tests) keep their shape."""
    from pathlib import Path

    from dealerdetect.annotation.sheets import read_labels_file

    data = Path(__file__).parent / "data"
    src = FileSource({"path": str(data / "no_hashtags/posts.jsonl"), "apply_discovery": False})
    posts = src.all_posts()
    labels = read_labels_file(data / "no_hashtags/labels.csv")
    assert len(posts) == 200 and set(labels) == {p.id for p in posts} and not src.skipped
    assert all(p.hashtags == [] and "#" not in p.caption for p in posts)
    assert all(WINDOW.start <= p.time <= WINDOW.end for p in posts)
    assert 0.15 <= sum(labels.values()) / len(labels) <= 0.25

    cols = {"id": "msg_id", "user": "author", "timestamp": "sent_at", "caption": "text"}
    path = data / "one_class_variant/posts.csv"
    posts = FileSource({"path": str(path), "columns": cols}).all_posts()
    labels = read_labels_file(data / "one_class_variant/labels.csv")
    assert set(labels) == {p.id for p in posts}
    tagged = {labels[p.id] for p in posts if p.hashtags}
    assert tagged == {1} and {labels[p.id] for p in posts if not p.hashtags} == {0, 1}
