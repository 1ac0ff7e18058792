"""InstagramSource over instaloader's real Hashtag/NodeIterator/Post code and a fake context."""

from __future__ import annotations

import importlib.util
import pickle
from pathlib import Path

import pytest
from instaloader.exceptions import (
    ConnectionException,
    LoginRequiredException,
    QueryReturnedNotFoundException,
    TooManyRequestsException,
)

from dealerdetect.collection import CollectionError
from dealerdetect.collection.base import Window
from dealerdetect.collection.discovery import Discovery, discover
from dealerdetect.collection.instagram import InstagramSource, LoggingRateController
from dealerdetect.drugs import Lexicon

_spec = importlib.util.spec_from_file_location(
    "instagram_nodes", Path(__file__).parent / "fixtures" / "instagram_nodes.py"
)
nodes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nodes)

WINDOW = Window.from_config(nodes.WINDOW)
KEYWORDS = Lexicon.from_config(
    {
        "xanax": {"name": "Xanax", "names": ["xanax"], "slang": ["bars"]},
        "percocet": {"name": "Percocet", "names": ["percocet"], "slang": ["perc"]},
    }
)


def make(tmp_path, loader=None, **cfg):
    base = {
        "session_file": str(tmp_path / "session-test_researcher"),
        "username": "test_researcher",
        "checkpoint_dir": str(tmp_path / "ckpt"),
    }
    return InstagramSource({**base, **cfg}, loader=loader or nodes.fake_loader())


def ids(posts):
    return [p.id for p in posts]


def test_two_loops_via_discovery(tmp_path):
    src = make(tmp_path)
    disc = Discovery()
    hits = list(discover(src, ["xanaxangel", "#Percocert"], WINDOW, KEYWORDS, 2, disc))
    got = [(p.found_via, p.loop, p.id) for p in hits]
    assert got == [
        ("xanaxangel", 1, "XA2"),
        ("xanaxangel", 1, "XA3"),
        ("xanaxangel", 1, "XA4"),
        ("percocert", 1, "PC1"),
        ("xanaxbars", 2, "XB1"),
        ("xanaxbars", 2, "XA2"),
        ("percs", 2, "PS1"),
    ]
    assert {r.hashtag: r.reason for r in disc.hashtags if r.loop == 2} == {
        "xanaxbars": "drug:xanax:xanax",
        "percs": "drug:percocet:perc",
    }
    assert set(disc.rejected) == {"sunset", "gym", "meds"}
    x2 = hits[0]
    assert x2.user == "test_vendor_one"  # raw here; the pipeline pseudonymizes later
    assert x2.timestamp == "2018-10-10T12:30:00Z"
    assert x2.hashtags == ["xanaxangel", "xanaxbars", "sunset"]
    assert x2.mentions == ["test_plug_acct"]
    assert x2.source == "instagram"
    assert [(c.user, c.timestamp, c.text) for c in x2.comments][:1] == [
        ("curious_buyer_1", "2018-10-10T13:00:00Z", "how much?")
    ]
    assert len(x2.comments) == 3


def test_window_stop_rule_reads_no_further(tmp_path):
    loader = nodes.fake_loader(page_size=2)
    src = make(tmp_path, loader)
    # XA1 is newer than the window (skipped), XA5 older (stop): XA6, on the next page and
    # inside the window, is never requested, as with the paper's scraper.
    assert ids(src.posts("xanaxangel", WINDOW)) == ["XA2", "XA3", "XA4"]
    assert loader.context.requests == [("xanaxangel", 0), ("xanaxangel", 1), ("xanaxangel", 2)]
    assert ids(make(tmp_path / "b").feed("xanaxangel")) == [f"XA{i}" for i in range(1, 7)]


def test_comment_cap_and_switch(tmp_path):
    capped = make(tmp_path / "a", max_comments=2)
    assert len(next(iter(capped.posts("xanaxbars", WINDOW))).comments) == 0  # XB1 has none
    x2 = [p for p in capped.posts("xanaxangel", WINDOW) if p.id == "XA2"][0]
    assert [c.user for c in x2.comments] == ["curious_buyer_1", "curious_buyer_2"]
    off = make(tmp_path / "b", fetch_comments=False)
    assert all(not p.comments for p in off.posts("xanaxangel", WINDOW))


def test_max_posts_per_hashtag(tmp_path):
    assert ids(make(tmp_path, max_posts_per_hashtag=2).posts("xanaxangel", WINDOW)) == [
        "XA2",
        "XA3",
    ]


def test_resume_after_refusal_mid_feed_without_duplicates(tmp_path):
    err = TooManyRequestsException("HTTP error code 429.")
    first = make(tmp_path, nodes.fake_loader(fail_at={("xanaxangel", 1): err}))
    kept = []
    with pytest.raises(CollectionError, match=r"#xanaxangel: Instagram refused .*429"):
        for post in first.posts("xanaxangel", WINDOW):
            kept.append(post)
    assert ids(kept) == ["XA2"]  # collected so far, for the caller to write

    loader = nodes.fake_loader()
    again = list(make(tmp_path, loader).posts("xanaxangel", WINDOW))
    assert ids(again) == ["XA2", "XA3", "XA4"]  # XA2 replayed from the checkpoint, once
    assert ("xanaxangel", 1) in loader.context.requests


def test_resume_after_interruption_by_the_caller(tmp_path):
    src = make(tmp_path, nodes.fake_loader(page_size=3))
    gen = src.posts("xanaxangel", WINDOW)
    assert [next(gen).id, next(gen).id] == ["XA2", "XA3"]
    gen.close()  # e.g. Ctrl-C in the caller: the generator is closed mid-page
    with open(tmp_path / "ckpt" / "xanaxangel.posts.jsonl", "a") as fh:
        fh.write('{"id": "XA9", "us')  # a line cut short by a hard kill is dropped
    # instaloader's frozen iterator repeats its last item (XA3); it must not come twice.
    again = list(make(tmp_path, nodes.fake_loader(page_size=3)).posts("xanaxangel", WINDOW))
    assert ids(again) == ["XA2", "XA3", "XA4"]


def test_complete_hashtag_replays_from_checkpoint_without_network(tmp_path):
    assert ids(make(tmp_path).posts("percocert", WINDOW)) == ["PC1"]
    refusing = nodes.fake_loader(refuse={"percocert": ConnectionException("offline")})
    src = make(tmp_path, refusing)
    assert ids(src.posts("percocert", WINDOW)) == ["PC1"]
    assert refusing.context.requests == []
    # Other settings (here: another window) do not reuse the checkpoint.
    wider = Window.from_config({"start": "2018-01-01", "end": "2018-10-18"})
    assert ids(make(tmp_path).posts("percocert", wider)) == ["PC1", "PC2"]
    src.clear_checkpoints()
    assert not list((tmp_path / "ckpt").iterdir())


@pytest.mark.parametrize(
    "exc",
    [
        QueryReturnedNotFoundException("404 Not Found"),
        LoginRequiredException("Login required"),
        ConnectionException("HTTP error code 429"),
    ],
)
def test_refused_hashtag(tmp_path, exc):
    src = make(tmp_path, nodes.fake_loader(refuse={"percs": exc}))
    with pytest.raises(CollectionError) as info:
        list(src.posts("percs", WINDOW))
    assert str(info.value).startswith("#percs: Instagram refused the hashtag feed: ")
    assert type(exc).__name__ in str(info.value)


def test_refusal_inside_discovery_keeps_earlier_hits(tmp_path):
    src = make(tmp_path, nodes.fake_loader(refuse={"percocert": LoginRequiredException("no")}))
    hits = []
    with pytest.raises(CollectionError, match="#percocert"):
        for post in discover(src, ["xanaxangel", "percocert"], WINDOW, KEYWORDS, 2):
            hits.append(post)
    assert ids(hits) == ["XA2", "XA3", "XA4"]


def test_missing_session_file_names_path_and_command(tmp_path):
    missing = tmp_path / "nowhere" / "session-test_researcher"
    with pytest.raises(CollectionError) as info:
        InstagramSource({"session_file": str(missing), "username": "test_researcher"})
    msg = str(info.value)
    assert str(missing) in msg and "instaloader --login test_researcher" in msg


def test_required_keys_and_no_password(tmp_path):
    with pytest.raises(CollectionError, match="collection.instagram.username"):
        InstagramSource({"session_file": str(tmp_path / "s")}, loader=nodes.fake_loader())
    with pytest.raises(CollectionError, match="must not hold a password"):
        make(tmp_path, password="hunter2")


def test_real_loader_from_session_file_offline(tmp_path):
    session = tmp_path / "session-test_researcher"
    session.write_bytes(pickle.dumps({"csrftoken": "test-token", "sessionid": "test-id"}))
    src = InstagramSource(
        {"session_file": str(session), "username": "test_researcher", "request_pause": 0.5}
    )
    ctx = src.loader.context
    assert ctx.is_logged_in and ctx.username == "test_researcher"
    assert isinstance(ctx._rate_controller, LoggingRateController)
    assert ctx._rate_controller.pause == 0.5


def test_corrupt_session_file(tmp_path):
    session = tmp_path / "session"
    session.write_bytes(b"not a pickle")
    with pytest.raises(CollectionError, match="cannot load Instagram session file"):
        InstagramSource({"session_file": str(session), "username": "test_researcher"})
