"""The embedded simulated Instagram: determinism, feeds, calibration, difficulty, coders."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml

from dealerdetect.characterization import contact_kinds, has_offer_to_buy
from dealerdetect.collection.base import Window
from dealerdetect.collection.discovery import Discovery, discover, matching_keyword
from dealerdetect.collection.simulated import SimulatedSource
from dealerdetect.collection.simulated.data import load, vocabulary
from dealerdetect.collection.simulated.world import WorldBuilder
from dealerdetect.drugs import Lexicon
from dealerdetect.posts import extract_hashtags
from dealerdetect.privacy.phones import find_phones

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "config.yaml").read_text())
COLLECTION = CONFIG["collection"]
SEED = CONFIG["seed"]
WINDOW = Window.from_config(COLLECTION["window"])
LEXICON = Lexicon.from_config(CONFIG["drugs"])
PAPER = yaml.safe_load((ROOT / "src/dealerdetect/data/paper_corpus.yaml").read_text())
TABLE2 = {
    "xanax": {
        "xanax": 65.3,
        "xanaxfamily": 43.1,
        "2mgxanax": 26.1,
        "zanax": 9.1,
        "greenxanax": 6.8,
    },
    "oxycodone": {
        "oxycodine": 21.3,
        "oxy80s": 17.3,
        "oxycontin": 17.5,
        "oxicotin": 18.9,
        "oxycodone": 17.2,
    },
    "lsd": {"lsd25": 11.2, "lsdtabs": 10.5},
    "mdma": {"mdmapills": 4.1, "mdmaforsale": 1.7, "mdmazing": 3.3, "mdmaonline": 1.7},
}
FICTIONAL_DOMAINS = (".invalid", "example.com", "example.net", "example.org")
GENERIC = ("instagood", "music", "mood", "explorepage", "love", "food", "photooftheday")


def collect(src: SimulatedSource, seeds: list[str], discovery: Discovery | None = None) -> dict:
    """Discovery hits de-duplicated by post id (preprocessing step 1)."""
    hits = discover(src, seeds, WINDOW, LEXICON, COLLECTION["loops"], discovery)
    return {p.id: p for p in hits}


@pytest.fixture(scope="module")
def source() -> SimulatedSource:
    return SimulatedSource(SEED, COLLECTION["simulated"]["scale"], lexicon=LEXICON)


@pytest.fixture(scope="module")
def default_run(source):
    disc = Discovery()
    posts = collect(source, COLLECTION["seed_hashtags"], disc)
    labels = {a["post_id"]: a["final"] for a in source.annotations(posts)}
    return posts, labels, disc


@pytest.fixture(scope="module")
def dealer_posts(default_run):
    posts, labels, _ = default_run
    return [p for pid, p in posts.items() if labels[pid] == 1]


# --- the world -------------------------------------------------------------------------------


def test_generation_time_is_reported(source, capsys):
    world = source.world
    with capsys.disabled():
        print(
            f"\nsimulated world (seed {SEED}, scale 1): {len(world.posts)} posts, "
            f"{len(world.accounts)} accounts, built in {world.build_seconds:.1f} s"
        )
    assert world.build_seconds > 0


def test_same_seed_same_world_other_seed_other_world():
    a = WorldBuilder(11, 0.05, WINDOW).build()
    b = WorldBuilder(11, 0.05, WINDOW).build()
    c = WorldBuilder(12, 0.05, WINDOW).build()
    assert [p.to_post().to_dict() for p in a.posts] == [p.to_post().to_dict() for p in b.posts]
    assert {p.id for p in a.posts}.isdisjoint({p.id for p in c.posts})
    assert {p.caption for p in a.posts} != {p.caption for p in c.posts}


DIGEST = """
import hashlib
from dealerdetect.collection.simulated.world import WorldBuilder, default_window
w = WorldBuilder(5, 0.1, default_window()).build()
print(hashlib.sha256(repr([p.to_post().to_dict() for p in w.posts]).encode()).hexdigest())
"""


def test_world_does_not_depend_on_string_hashing():
    """Same seed, same world in another process (set and dict order must not leak in)."""
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", DIGEST], env=env, capture_output=True, text=True, check=True
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_small_scale_gives_a_few_hundred_posts():
    src = SimulatedSource(7, 0.03)
    posts = collect(src, COLLECTION["seed_hashtags"])
    labels = [a["final"] for a in src.annotations(posts)]
    assert 250 <= len(posts) <= 600
    assert 20 <= sum(labels) <= 60


def test_feeds_are_newest_first_and_reach_past_the_window(source):
    for tag in ("xanax", "xanaxangel", "percocert", "mdmapills"):
        times = [p.time for p in source.feed(tag)]
        assert times == sorted(times, reverse=True), tag
        assert times[-1] < WINDOW.start, f"#{tag} never reaches before the window"
        assert times[0] > WINDOW.end, f"#{tag} has nothing after the window"
    inside = list(source.posts("xanax", WINDOW))
    assert inside and all(p.time in WINDOW for p in inside)
    assert len(inside) < sum(1 for _ in source.feed("XANAX"))  # case and '#' do not matter
    assert list(source.feed("#no_such_tag_anywhere")) == []


def test_feed_yields_fresh_copies(source):
    first = next(source.feed("xanax"))
    first.found_via, first.caption = "changed", "changed"
    again = next(source.feed("xanax"))
    assert again.id == first.id and again.caption != "changed" and again.found_via == ""


def test_post_records(source):
    world = source.world
    assert len({p.id for p in world.posts}) == len(world.posts)
    for p in world.posts:
        post = p.to_post()
        assert post.source == "simulated" and post.timestamp.endswith("Z")
        assert all(t == t.lower() and not t.startswith("#") for t in post.hashtags)
        if p.meta.get("hashtags_in") == "first_comment":
            assert extract_hashtags(post.caption) == []
            assert post.comments[0].user == post.user
            assert extract_hashtags(post.comments[0].text) == post.hashtags
        else:
            assert extract_hashtags(post.caption) == post.hashtags
        assert all(c.timestamp >= post.timestamp for c in post.comments)


def test_contact_details_are_fictional(source):
    email = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
    for p in source.world.posts:
        for text in (p.caption, *(c for _, _, c in p.comments)):
            for start, end in find_phones(text):
                digits = re.sub(r"\D", "", text[start:end])
                assert "55501" in digits or "7700900" in digits, text[start:end]
            for m in email.finditer(text):
                assert m.group(1).lower().endswith(FICTIONAL_DOMAINS), m.group()


def test_every_anchor_hashtag_is_reachable_by_keyword():
    """Each drug-sphere post carries an anchor; anchors must be seeds or keyword tags."""
    vocab = vocabulary()
    seeds = set(COLLECTION["seed_hashtags"])
    groups = ("recovery_anchors", "discourse_anchors", "borrowed_anchors")
    anchors = {t for f in vocab.families.values() for t in f.anchors}
    anchors |= {t for g in groups for t in vocab.groups[g]}
    unreachable = sorted(t for t in anchors if t not in seeds and not matching_keyword(t, LEXICON))
    assert not unreachable, f"anchor hashtags no drug keyword reaches: {unreachable}"
    generic = set(vocab.groups["sphere_generic"]) | set(vocab.groups["public"])
    generic -= {"cleaneating", "leanbulk"}  # contain "lean" on purpose (hashtags.yaml)
    assert not [t for t in generic if matching_keyword(t, LEXICON)]


# --- calibration (default config) --------------------------------------------------------------


def test_default_discovery_hits_the_paper_corpus(default_run, dealer_posts):
    posts, _, disc = default_run
    assert abs(len(posts) - PAPER["posts"]) <= 0.02 * PAPER["posts"]
    assert abs(len(dealer_posts) - PAPER["dealer_posts"]) <= 0.02 * PAPER["dealer_posts"]
    users = {p.user for p in dealer_posts}
    assert abs(len(users) - PAPER["dealer_users"]) <= 0.02 * PAPER["dealer_users"]
    assert set(COLLECTION["seed_hashtags"]) <= {h.hashtag for h in disc.hashtags}
    assert any(h.loop == 2 and h.posts for h in disc.hashtags)


def test_dealer_shares_measured_by_characterization(dealer_posts):
    """The paper's shares, measured as the pipeline measures them (corpus.build_corpus)."""
    n = len(dealer_posts)

    def pct(k):
        return 100.0 * k / n

    def contacts(p):
        own = " ".join(c.text for c in p.comments if c.user == p.user)
        return contact_kinds(p.caption + "\n" + own)

    kinds = Counter(k for p in dealer_posts for k in contacts(p))
    measured = {
        "with_hashtags": pct(sum(bool(extract_hashtags(p.caption)) for p in dealer_posts)),
        "offer_to_buy": pct(
            sum(has_offer_to_buy(p.caption, p.comments, p.user) for p in dealer_posts)
        ),
        **{app: pct(kinds[app]) for app in PAPER["apps"]},
        **{
            d: pct(sum(bool(set(p.hashtags) & set(TABLE2[d])) for p in dealer_posts))
            for d in TABLE2
        },
        **{
            f"#{t}": pct(sum(t in p.hashtags for p in dealer_posts))
            for d in TABLE2
            for t in TABLE2[d]
        },
    }
    n_paper = PAPER["dealer_posts"]
    expected = {
        "with_hashtags": 100.0 * PAPER["with_hashtags"] / n_paper,
        "offer_to_buy": 100.0 * PAPER["offer_to_buy"] / n_paper,
        **{app: 100.0 * k / n_paper for app, k in PAPER["apps"].items()},
        **{d: 100.0 * k / n_paper for d, k in PAPER["drugs"].items()},
        **{f"#{t}": share for d in TABLE2 for t, share in TABLE2[d].items()},
    }
    off = {
        k: (round(measured[k], 2), round(v, 2))
        for k, v in expected.items()
        if abs(measured[k] - v) > 1.5
    }
    assert not off, f"shares more than 1.5 points off (measured, paper): {off}"


def test_generic_tags_are_seen_but_not_followed(default_run, source):
    posts, _, disc = default_run
    searched = {h.hashtag for h in disc.hashtags}
    for tag in GENERIC:
        assert tag not in searched
    assert {"instagood", "music", "mood", "love"} <= set(disc.rejected)
    public = {p.id for p in source.world.posts if p.persona in ("everyday", "stoner")}
    assert public and not public & set(posts)


def test_non_drug_seeds_collect_almost_no_dealers(source, dealer_posts):
    posts = collect(source, ["love", "food"])
    labels = [a["final"] for a in source.annotations(posts)]
    assert posts  # the lifestyle feeds exist
    assert sum(labels) <= 0.05 * len(dealer_posts)


def test_mdma_seeds_collect_a_smaller_different_corpus(source, default_run, dealer_posts):
    default_posts, _, _ = default_run
    posts = collect(source, ["mdmapills", "mdmaforsale"])
    labels = {a["post_id"]: a["final"] for a in source.annotations(posts)}
    dealers = [p for pid, p in posts.items() if labels[pid]]
    assert 0 < len(posts) < 0.6 * len(default_posts)
    assert 0 < len(dealers) < len(dealer_posts)
    # MDMA as Table 2 counts it (any hashtag of the lexicon's family): 7.6% of the paper's corpus.
    assert sum("mdma" in LEXICON.families_of(p.hashtags) for p in dealers) / len(dealers) > 0.12


# --- difficulty ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def texts(default_run):
    """Unique cleaned captions (hashtags kept) and their labels, as preprocessing makes them."""
    from dealerdetect.preprocessing.steps import clean, load_stopwords
    from dealerdetect.privacy.redaction import redact

    posts, labels, _ = default_run
    stop = load_stopwords("english")
    out: dict[str, int] = {}
    for pid, p in posts.items():
        toks = clean(redact(p.caption), stop)
        if len(toks) > 1:
            out.setdefault(" ".join(toks), labels[pid])
    return list(out), np.array(list(out.values()))


def test_no_single_token_separates_dealers(texts):
    docs, y = texts
    df, pos = Counter(), Counter()
    for doc, label in zip(docs, y, strict=True):
        toks = set(doc.split())
        df.update(toks)
        if label:
            pos.update(toks)
    n_pos = int(y.sum())
    best_f1, best = max((2 * pos[t] / (df[t] + n_pos), t) for t in df)
    print(f"best single-token rule: {best!r} F1 {best_f1:.3f}")
    assert best_f1 < 0.95


def test_bag_of_words_svm_is_good_but_not_perfect(texts):
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.svm import LinearSVC

    docs, y = texts
    X = CountVectorizer(token_pattern=r"\S+", lowercase=False).fit_transform(docs)
    cv = StratifiedKFold(5, shuffle=True, random_state=SEED)
    f1 = cross_val_score(LinearSVC(), X, y, cv=cv, scoring="f1").mean()
    print(f"LinearSVC on counts, 5-fold F1 {f1:.3f}")
    assert 0.80 <= f1 <= 0.97


# --- annotation ----------------------------------------------------------------------------------


def test_coders_agree_like_the_papers(source, default_run):
    posts, _, _ = default_run
    rows = source.annotations(posts)
    truth = {t["post_id"]: t["label"] for t in source.truth(posts)}
    assert all(
        set(r) == {"post_id", "annotator_a", "annotator_b", "final", "image_category"} for r in rows
    )
    assert all(r["final"] == truth[r["post_id"]] for r in rows)
    a = np.array([r["annotator_a"] for r in rows])
    b = np.array([r["annotator_b"] for r in rows])
    assert set(a) | set(b) <= {0, 1} and all(isinstance(r["annotator_a"], int) for r in rows)
    po = float((a == b).mean())
    pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
    kappa = (po - pe) / (1 - pe)
    assert 0.97 <= kappa <= 0.99, kappa
    assert source.annotations(list(posts)[:5]) == rows[:5]  # same post, same codes
    with pytest.raises(KeyError):
        source.annotations(["not-a-post"])


def test_world_data_files_load():
    for name in ("world", "hashtags", "lexicon", "dealers", "personas", "comments", "names"):
        assert load(name)


# --- the open market (one segment per lexicon family) --------------------------------------------


def test_paper_seeds_never_reach_the_open_market(source, default_run):
    posts, _, _ = default_run
    truth = source.truth(posts)
    assert not [t for t in truth if t.get("market") == "open"]
    families = {f.key for f in LEXICON.families}
    segments = {t["family"] for t in (p.truth() for p in source.world.posts) if "family" in t}
    assert families <= segments | {"xanax"} | set(load("hashtags")["families"])


@pytest.mark.parametrize(
    "seeds, group",
    [
        (["fentanyl", "oxycodone", "lean"], "opioid"),
        (["cocaine", "meth", "adderall"], "stimulant"),
        (["lsd", "shrooms", "dmt"], "psychedelic"),
    ],
)
def test_other_seeds_reach_their_own_market(source, dealer_posts, seeds, group):
    posts = collect(source, seeds)
    labels = {a["post_id"]: a["final"] for a in source.annotations(posts)}
    dealers = [p for pid, p in posts.items() if labels[pid]]
    counts = Counter(f for p in dealers for f in LEXICON.families_of(p.hashtags))
    top = counts.most_common(1)[0][0]
    assert LEXICON[top].group == group, counts.most_common(4)
    assert counts["xanax"] / len(dealers) < 0.5  # the paper's corpus: 87.8%
    assert len(dealers) != len(dealer_posts)


# --- pictures --------------------------------------------------------------------------------


def test_dealer_pictures_match_the_papers_image_annotation(source, default_run, dealer_posts):
    """Results, "Manual Image Annotation of Drug Dealer Posts": 260 pictures of the 1,228
    dealer posts; 175 prescription only, 60 illicit only, 15 both, 5 unclassifiable; 60 with
    contact details (Figure 5)."""
    from dealerdetect.annotation.images import parse_categories

    cells = {a["post_id"]: a["image_category"] for a in source.annotations(default_run[0])}
    coded = [parse_categories("sheet", 1, cells[p.id]) for p in dealer_posts if cells[p.id]]
    count = Counter(c for cats in coded for c in cats)
    assert len(coded) == 260
    assert (count["prescription"], count["illicit"], count["both"]) == (175, 60, 15)
    assert (count["unclassifiable"], count["unrelated"], count["contact"]) == (5, 5, 60)
    truth = {t["post_id"]: t for t in source.truth([p.id for p in dealer_posts])}
    image_ads = [p for p in dealer_posts if source.world.by_id[p.id].meta.get("style") == "image"]
    assert len(image_ads) == 150 and all(cells[p.id] for p in image_ads), "image ads have one"
    others = [pid for pid, a in cells.items() if a and pid not in truth]
    assert 0.04 < len(others) / (len(cells) - len(dealer_posts)) < 0.15  # about 8% of the rest


def test_pictures_are_seeded_and_leave_the_rest_of_the_world_alone(monkeypatch, tmp_path):
    from dealerdetect.collection.simulated import pictures, world

    def build():
        return WorldBuilder(seed=SEED, scale=0.05, window=WINDOW, lexicon=LEXICON).build()

    def fields(w):
        return [(p.id, p.user, p.timestamp, p.caption, tuple(p.hashtags), p.label) for p in w.posts]

    drawn = build()
    pics = [p for p in drawn.posts if p.meta.get("picture")]
    assert pics
    assert pictures.picture_jpeg(SEED, pics[0]) == pictures.picture_jpeg(SEED, pics[0])
    assert pictures.picture_jpeg(SEED, pics[0]) != pictures.picture_jpeg(SEED + 1, pics[0])
    assert all(pictures.picture_jpeg(SEED, p) is None for p in drawn.posts[:200]
               if not p.meta.get("picture"))  # fmt: skip
    monkeypatch.setattr(world, "assign_pictures", lambda *a, **k: None)
    assert fields(build()) == fields(drawn)


def test_write_picture_gives_a_picture_the_study_can_read(source, tmp_path):
    from dealerdetect.pictures import open_picture

    post = next(p for p in source.world.posts if p.meta.get("image_contact"))
    rel = source.write_picture(post.id, tmp_path)
    assert rel == f"images/{post.id}.jpg"
    image, sha, size = open_picture(rel, base_dir=tmp_path)
    assert size == (320, 320) and len(sha) == 64
    plain = next(p for p in source.world.posts if not p.meta.get("picture"))
    assert source.write_picture(plain.id, tmp_path) is None
    with pytest.raises(KeyError):
        source.write_picture("no-such-post", tmp_path)
