"""The drug lexicon (config drugs): its matching rule, discovery's use of it, Table 2 and the
characterization on corpora the simulator did not write, and seeds nobody knows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from dealerdetect.annotation.corpus import attach_labels, build_corpus
from dealerdetect.collection import CollectionError
from dealerdetect.collection.base import Source, Window
from dealerdetect.collection.discovery import Discovery, discover
from dealerdetect.drugs import Lexicon
from dealerdetect.posts import Post
from dealerdetect.reporting.characterize import characterize, hashtag_group
from dealerdetect.reporting.tables import table2, table2_markdown

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "config.yaml").read_text())
LEX = Lexicon.from_config(CONFIG["drugs"])
WINDOW = Window.from_config({"start": "2018-07-19", "end": "2018-10-18"})


def test_default_lexicon_covers_the_market():
    groups = {f.group for f in LEX.families}
    assert len(LEX.families) >= 12
    assert {"opioid", "stimulant", "dissociative", "psychedelic", "cannabis"} <= groups
    for key in ("xanax", "oxycodone", "percocet", "hydrocodone", "adderall", "fentanyl"):
        assert LEX[key].name and LEX[key].terms


# Hashtags the simulated world never writes, real-looking, with the family they belong to.
@pytest.mark.parametrize(
    "tag, family",
    [
        ("#fentanylpatch", "fentanyl"),
        ("#FentPowder", "fentanyl"),
        ("#percs", "percocet"),
        ("#perc30plug", "percocet"),
        ("#2mgXanax", "xanax"),
        ("#xanaxbarsforsale", "xanax"),
        ("#zanaxx", "xanax"),
        ("#oxicotin80", "oxycodone"),
        ("#m30sblue", "oxycodone"),
        ("#promethazinecodeine", "codeine"),
        ("#promethazine", "codeine"),  # contains "meth": the longer term wins
        ("#methadoneclinic", "opioids"),
        ("#crystalmethaddiction", "meth"),
        ("#cokeplug", "cocaine"),
        ("#acidtabs", "lsd"),
        ("#magicmushroomgrow", "psilocybin"),
        ("#5meodmt", "dmt"),
        ("#thccartsforsale", "cannabis"),
        ("#mollyworld", "mdma"),
        ("#klonopinwithdrawal", "benzodiazepines"),
        ("#adderallxr30", "adderall"),
        ("#leanlife", "codeine"),
    ],
)
def test_hashtags_match_their_family(tag, family):
    assert LEX.family_of(tag) == family


@pytest.mark.parametrize(
    "tag",
    [
        "#something",  # meth
        "#methodacting",
        "#cleaneating",  # lean
        "#leanbulk",
        "#mushroomrisotto",  # shroom
        "#daddyissues",  # addy
        "#oxygenfacial",  # oxy
        "#detoxtea",
        "#percentoff",  # perc
        "#dietcoke",  # coke
        "#hyaluronicacid",  # acid
        "#seaweedsalad",  # weed
        "#brazilianwaxing",  # wax
        "#superheroine",  # heroine
        "#love",
    ],
)
def test_words_short_terms_hide_in_are_not_drugs(tag):
    assert LEX.family_of(tag) is None


@pytest.mark.parametrize(
    "tag, family",
    [
        ("#хаnах", "xanax"),  # Cyrillic х and а
        ("#ｘａｎａｘbars", "xanax"),  # full-width
        ("#𝐩𝐞𝐫𝐜𝐬", "percocet"),  # mathematical bold
        ("#fеntanylplug", "fentanyl"),  # Cyrillic е
        ("#οxycodone", "oxycodone"),  # Greek omicron
    ],
)
def test_look_alike_letters_are_read_as_the_drug(tag, family):
    assert LEX.family_of(tag) == family


def test_drug_names_and_codewords():
    assert hashtag_group("#xanax", LEX) == "drug_name"
    assert hashtag_group("#zanax", LEX) == "codeword"
    assert hashtag_group("#2mgxanax", LEX) == "codeword"
    assert hashtag_group("#fentanylpatch", LEX) == "codeword"
    assert hashtag_group("#discreetshipping", LEX) == "sale_shipping"
    assert hashtag_group("#sunset", LEX) is None


def test_lexicon_errors_name_the_family():
    with pytest.raises(ValueError, match=r"drugs\.b: term 'perc' is also a term of drugs\.a"):
        Lexicon.from_config(
            {"a": {"names": ["perc"]}, "b": {"names": ["percs"], "slang": ["perc"]}}
        )
    with pytest.raises(ValueError, match=r"drugs\.a: term 'xo' is shorter"):
        Lexicon.from_config({"a": {"names": ["xo"]}})


def test_schema_refuses_a_bad_family():
    import jsonschema

    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text())
    jsonschema.validate(CONFIG, schema)
    bad = {**CONFIG, "drugs": {**CONFIG["drugs"], "xylazine": {"name": "Xylazine"}}}
    with pytest.raises(jsonschema.ValidationError, match="names"):
        jsonschema.validate(bad, schema)
    bad = {**CONFIG, "drugs": {"x": {"name": "X", "names": ["Tranq Dope"]}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


# --- a hand-written corpus (a user's file), never seen by the simulator -----------------------


def _post(pid, user, caption, tags):
    return {
        "id": pid,
        "user": user,
        "timestamp": "2018-09-01T12:00:00Z",
        "caption": caption,
        "hashtags": tags,
        "mentions": [],
        "comments": [],
        "found_via": tags[0],
        "loop": 1,
        "source": "file",
    }


def test_file_corpus_counts_unlisted_hashtags_under_their_families(tmp_path):
    rows = [
        _post("1", "u1", "patches in stock wickr: plugman", ["fentanylpatch", "percs"]),
        _post("2", "u2", "m30s and fent, telegram me", ["fentpowder", "m30sblue", "fentanylpatch"]),
        _post("3", "u3", "bars bars bars kik me", ["xanaxbars", "discreetshipping"]),
        _post("4", "u4", "clean eating sunday", ["cleaneating", "fentanylpatch"]),  # label 0
        _post("5", "u5", "carts and wax, dm", ["thccarts", "dabs", "something"]),
    ]
    raw = tmp_path / "posts.jsonl"
    raw.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    corpus = attach_labels(build_corpus(raw), {"1": 1, "2": 1, "3": 1, "4": 0, "5": 1})
    t2 = table2(corpus, LEX, seeds=["fentanylpatch"], loops=1)
    totals = t2[t2["hashtag"] == "Total"].set_index("family")["posts"]
    assert totals.to_dict() == {
        "fentanyl": 2,
        "cannabis": 1,
        "oxycodone": 1,
        "percocet": 1,
        "xanax": 1,
    }
    assert list(totals.index)[0] == "fentanyl"  # sorted by posts
    fent = t2[t2["family"] == "fentanyl"].set_index("hashtag")["posts"]
    assert fent["#fentanylpatch"] == 2 and fent["#fentpowder"] == 1
    # Not the paper's seeds: no paper column filled, and the table says what produced it.
    assert t2["paper_posts"].isna().all()
    assert (t2["seeds"] == "#fentanylpatch").all() and (t2["loops"] == 1).all()
    md = table2_markdown(t2, 4)
    assert "Seeds: #fentanylpatch; loops: 1" in md and "Fentanyl" in md
    ch = characterize(corpus, LEX).set_index("measure")["posts"]
    assert ch["Fentanyl"] == 2 and ch["codewords and misspellings"] == 4


def test_paper_seeds_put_the_paper_beside_its_rows(tmp_path):
    rows = [_post("1", "u1", "x", ["xanax", "xanaxbars"]), _post("2", "u2", "y", ["lsd25"])]
    raw = tmp_path / "posts.jsonl"
    raw.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    corpus = attach_labels(build_corpus(raw), {"1": 1, "2": 1})
    seeds = ["xanaxangel", "#Percocert", "adderrall", "hydrocodoneacetaminophen"]
    t2 = table2(corpus, LEX, seeds=seeds, loops=2)
    x = t2[t2["family"] == "xanax"].set_index("hashtag")
    assert x.loc["#xanax", "paper_posts"] == 802 and x.loc["Total", "paper_posts"] == 1078
    assert x.loc["#xanaxbars", "posts"] == 1 and x["paper_posts"].isna()["#xanaxbars"]
    # The paper's families stay listed, with zero posts, when the corpus has none.
    assert t2.loc[(t2["family"] == "mdma") & (t2["hashtag"] == "Total"), "posts"].iloc[0] == 0


# --- seeds the source does not know -----------------------------------------------------------


class TinySource(Source):
    name = "tiny"

    def __init__(self, feeds: dict[str, list[Post]]):
        self.feeds = feeds

    def feed(self, hashtag: str) -> Iterator[Post]:
        yield from self.feeds.get(hashtag, [])


def _p(pid, tags):
    return Post(id=pid, user="u", timestamp="2018-09-01T12:00:00Z", caption="", hashtags=tags)


def test_a_seed_without_posts_is_logged_by_name(caplog):
    src = TinySource({"xanaxangel": [_p("1", ["xanaxangel", "xanaxbars"])]})
    disc = Discovery()
    hits = list(discover(src, ["xanaxangel", "nosuchdrugtag"], WINDOW, LEX, 2, disc))
    assert [p.id for p in hits] == ["1"]
    status = {r.hashtag: r.status for r in disc.hashtags}
    assert status["nosuchdrugtag"].startswith("no posts")
    assert status["xanaxangel"] == "done"
    assert "seed #nosuchdrugtag collected no posts" in caplog.text


def test_seeds_that_collect_nothing_stop_with_one_error():
    src = TinySource({})
    with pytest.raises(CollectionError, match=r"#nosuch, #nothing.*tiny source"):
        list(discover(src, ["nosuch", "#Nothing"], WINDOW, LEX, 2))
