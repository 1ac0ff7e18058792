"""Tokens per script: hard cases pinned, the paper's rule unchanged for English, the language of
a post in the corpus, the coder sheet and the per-language table."""

import json
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealerdetect.annotation import sheets as annotation
from dealerdetect.preprocessing import tokens
from dealerdetect.preprocessing.language import identify
from dealerdetect.preprocessing.steps import TOKEN_RE, URL_RE, clean, load_stopwords, preprocess
from dealerdetect.privacy.redaction import redact
from dealerdetect.reporting.characterize import characterize
from dealerdetect.reporting.languages import language_markdown, language_table

SW = load_stopwords()
FIXTURE = Path(__file__).parent / "data" / "multilingual" / "posts.jsonl"


def fixture_posts() -> list[dict]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Mixed scripts in one word: the Han run is cut, the Latin rest stays whole.
        ("加微信xanax2mg 冰毒１０克", "zh", ["加", "微", "信", "xanax2mg", "冰毒", "10", "克"]),
        # Full-width letters and digits read as ASCII (NFKC), ideographic space splits.
        ("ｘａｎａｘ\u3000１２３ｍｇ", "en", ["xanax", "123mg"]),
        # A hashtag in Chinese: cut like the text, every piece still a hashtag.
        ("#冰毒出售 同城", "zh", ["#冰毒", "#出售", "城"]),  # 同: Chinese stopword
        ("#xanax冰毒", "zh", ["#xanax", "#冰毒"]),
        # Japanese (kana in the text): two-character pieces, hashtags too.
        ("#野菜 #手押し 東京", "ja", ["#野菜", "#手押", "#押し", "東京"]),
        ("手押しOK、ライン", "ja", ["手押", "押し", "ok", "ライ", "イン"]),
        # Thai: vowel and tone marks stay in their words (newmm dictionary words).
        ("ยาบ้าพร้อมส่ง ทักไลน์", "th", ["ยาบ้า", "พร้อม", "ส่ง", "ทัก", "ไลน์"]),
        # Devanagari vowel signs and virama stay in the word.
        ("नमस्ते दोस्तों", "hi", ["नमस्ते", "दोस्तों"]),
        # Lao: no light segmenter, pairs of clusters.
        ("ຂາຍຢາ", "lo", ["ຂາ", "າຍ", "ຍຢ", "ຢາ"]),
        # Korean is written with spaces: words as they are.
        ("아이스 팝니다 #아이스", "ko", ["아이스", "팝니다", "#아이스"]),
        # An emoji's variation selector is not a mark that continues a word.
        ("ok❤️ok 🍃weed🍃", "en", ["ok", "ok", "weed"]),
        # The post's language adds its NLTK list: tengo, por are Spanish stopwords.
        ("tengo mota por whatsapp", "es", ["mota", "whatsapp"]),
        ("tengo mota por whatsapp", "en", ["tengo", "mota", "por", "whatsapp"]),
    ],
)
def test_hard_cases(text, language, expected):
    assert clean(text, SW, language) == expected
    assert clean(" ".join(expected), SW, language) == expected  # stable


def _paper_rule(text: str) -> list[str]:
    """Step 2 exactly as before tokens per script."""
    text = unicodedata.normalize("NFKC", URL_RE.sub(" ", text or "")).lower()
    out = []
    for m in TOKEN_RE.finditer(text.replace("#", " #")):
        tok = m.group(0)
        if tok.replace("’", "'") in SW:
            continue
        tok = tok.replace("'", "").replace("’", "")
        if tok and tok != "#":
            out.append(tok)
    return out


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_text_without_marks_or_spaceless_letters_keeps_the_paper_tokens(text):
    norm = unicodedata.normalize("NFKC", text).lower()
    if tokens.needs_script_rules(norm):
        return
    assert clean(text, SW) == _paper_rule(text)
    assert clean(text, SW, "en") == _paper_rule(text)


def test_paper_rule_split_thai_and_glued_chinese_which_the_new_rule_fixes():
    # What the issue reported: Thai fell apart into letters, a Chinese sentence was one word.
    assert _paper_rule("ส่งด่วน") == ["ส", "งด", "วน"]
    assert _paper_rule("正品冰毒现货同城闪送") == ["正品冰毒现货同城闪送"]
    assert clean("正品冰毒现货同城闪送", SW, "zh") == ["正品", "冰毒", "现货", "城", "闪", "送"]


def test_fixture_is_stable_and_its_languages_identified():
    posts = fixture_posts()
    assert len(posts) >= 1800
    assert {p["expected_language"] for p in posts} >= {"zh", "ja", "th", "ko", "es", "en"}
    wrong = 0
    for p in posts:
        text = redact(p["caption"])
        lang = identify(text)
        wrong += lang not in (p["expected_language"], "und")
        toks = clean(text, SW, lang)
        assert toks, p["id"]
        assert clean(" ".join(toks), SW, lang) == toks, p["id"]
    assert wrong == 0  # uncertain posts are "und", never another language


def test_preprocess_keeps_language_and_no_chinese_hashtag_reaches_no_hashtags():
    posts = pd.DataFrame(
        {
            "id": ["1", "2", "3"],
            "user": ["a", "b", "c"],
            "timestamp": ["2018-08-01T00:00:00Z"] * 3,
            "caption": [
                "正品现货 同城闪送 #冰毒出售",
                "今天天气很好 和朋友去吃火锅",
                "dm for the menu #xanax",
            ],
            "found_via": ["x"] * 3,
            "label": [1, 0, 1],
            "language": ["zh", "zh", "en"],
        }
    )
    variants, vocab, _ = preprocess(posts)
    words = set(" ".join(variants["no_hashtags"]["text"]).split())
    assert not {"冰毒", "出售"} & words and {"正品", "现货"} <= words
    assert set(" ".join(variants["hashtags_only"]["text"]).split()) == {"#冰毒", "#出售", "#xanax"}
    assert list(variants["with_hashtags"]["language"]) == ["zh", "zh", "en"]
    assert "#冰毒" in vocab and "#冰毒出售" not in vocab


def test_coder_sheet_shows_the_language_and_reads_back(tmp_path):
    posts = [
        {"id": "p1", "user": "u1", "caption": "ยาบ้าพร้อมส่ง ทักไลน์มาได้เลยครับ", "language": "th"},
        {"id": "p2", "user": "u2", "caption": "brunch with the girls and coffee before work"},
    ]
    path = annotation.write_sheet(posts, tmp_path / "annotator_a.csv")
    sheet = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(sheet["language"]) == ["th", "en"]  # given, or identified from the caption
    sheet["label"] = ["1", "0"]
    sheet.to_csv(path, index=False, encoding="utf-8-sig")
    assert annotation.read_sheet(path, "annotator_a") == {"p1": 1, "p2": 0}


def _oof(rows):
    return pd.DataFrame(rows, columns=["variant", "model", "id", "fold", "label", "score", "pred"])


def test_language_table_counts_small_languages_and_names_the_weak_one():
    rows = []
    for i in range(40):  # English: all right
        rows.append(["with_hashtags", "svm", f"e{i}", i % 2, i % 2, 0.0, i % 2])
    for i in range(20):  # Thai: half of the dealers missed
        rows.append(["with_hashtags", "svm", f"t{i}", i % 2, i % 2, 0.0, int(i % 4 == 1)])
    for i in range(3):  # Korean: below the minimum
        rows.append(["with_hashtags", "svm", f"k{i}", 0, 1, 0.0, 1])
    languages = pd.Series(
        {**{f"e{i}": "en" for i in range(40)}, **{f"t{i}": "th" for i in range(20)}}
    )
    languages = pd.concat([languages, pd.Series({f"k{i}": "ko" for i in range(3)})])
    table, small = language_table({"paper": _oof(rows)}, languages, min_posts=10)
    assert list(table["language"]) == ["en", "th"]
    assert table.set_index("language").loc["en", "f1"] == 100.0
    assert table.set_index("language").loc["th", "f1"] == pytest.approx(
        100 * 2 * 5 / (2 * 5 + 5), abs=0.01
    )
    assert small == {"with_hashtags": (1, 3)}
    md = language_markdown(table, small, 10)
    assert "Weakest language result: `th` (20 posts)" in md
    assert "with_hashtags: 3 posts in 1 languages" in md


def test_characterization_counts_dealer_posts_per_language():
    corpus = pd.DataFrame(
        {
            "id": ["1", "2", "3", "4"],
            "user": ["a", "b", "c", "d"],
            "timestamp": ["2018-08-01T00:00:00Z"] * 4,
            "caption": ["x", "y", "z", "w"],
            "hashtags": [[], [], [], []],
            "found_via": ["x"] * 4,
            "contacts": [[], [], [], []],
            "offer_to_buy": [False] * 4,
            "label": [1, 1, 1, 0],
            "language": ["zh", "zh", "th", "en"],
        }
    )
    import yaml

    from dealerdetect.drugs import Lexicon

    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "config.yaml").read_text())
    table = characterize(corpus, Lexicon.from_config(config["drugs"]))
    per = table[table["section"] == "post language"].set_index("measure")["posts"].to_dict()
    assert per == {"zh": 2, "th": 1}


@pytest.mark.slow
def test_the_tiny_study_keeps_each_posts_language_and_reports_f1_per_language(tiny_run):
    corpus = [json.loads(x) for x in (tiny_run / "results/corpus/posts.jsonl").open()]
    assert corpus and all(isinstance(p["language"], str) and p["language"] for p in corpus)
    frame = pd.read_parquet(tiny_run / "results/preprocess/with_hashtags.parquet")
    assert set(frame["language"]) <= {p["language"] for p in corpus}
    table = pd.read_csv(tiny_run / "results/tables/table1_languages.csv")
    assert list(table.columns) == [
        "protocol", "variant", "model", "language", "posts", "dealer_posts",
        "precision", "recall", "f1", "f1_all_posts",
    ]  # fmt: skip
    assert len(table) and table["f1"].between(0, 100).all()
    md = (tiny_run / "results/tables/table1_extended.md").read_text(encoding="utf-8")
    assert "**F1 per language**" in md
    assert "Weakest language result" in md or "No language with" in md
