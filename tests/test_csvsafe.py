"""CSV a person opens in a spreadsheet runs no formula and reads back what was written."""

import csv
import io

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dealerdetect.privacy.csvsafe import DANGEROUS, escape, read_csv, to_csv, unescape, write_rows

HOSTILE = [
    '=HYPERLINK("[URL]","click me")',
    "+cmd|'/c calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''+two quotes",
    "'",
    "-",
    "=",
    "plain caption 💊 #xanax",
    "it's fine",
    "",
]


def raw_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def assert_nothing_runs(text: str, numbers: set[str] = frozenset()) -> None:
    for cell in raw_cells(text):
        if cell in numbers:
            continue
        assert not cell.startswith(DANGEROUS), f"cell {cell!r} would run in a spreadsheet"


def test_hostile_ids_and_captions_round_trip_through_pandas(tmp_path):
    df = pd.DataFrame(
        {
            "id": HOSTILE,
            "caption": list(reversed(HOSTILE)),
            "probability": [-0.5 + i / 10 for i in range(len(HOSTILE))],
            "fold": range(-3, len(HOSTILE) - 3),
        }
    )
    path = tmp_path / "out.csv"
    to_csv(df, path)
    numbers = {str(v) for v in df["probability"]} | {str(v) for v in df["fold"]}
    with open(path, encoding="utf-8", newline="") as fh:  # keep the carriage returns as written
        text = fh.read()
    assert_nothing_runs(text, numbers)
    assert "'=HYPERLINK" in text and "-0.5" in text
    back = read_csv(path, dtype={"id": str, "caption": str}, keep_default_na=False)
    pd.testing.assert_frame_equal(back, df)


def test_write_rows_round_trips_and_a_hostile_header_is_escaped_too():
    buf = io.StringIO()
    write_rows(buf, ["post_id", "=caption"], [[h, h] for h in HOSTILE] + [[1, -2]])
    assert_nothing_runs(buf.getvalue(), {"-2"})
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert [unescape(c) for c in rows[0]] == ["post_id", "=caption"]
    assert [[unescape(c) for c in r] for r in rows[1:-1]] == [[h, h] for h in HOSTILE]


def test_escape_leaves_numbers_and_harmless_text_alone():
    assert escape(-3) == -3 and escape(-0.5) == -0.5 and escape(None) is None
    assert escape("B-xgik4pqRZ") == "B-xgik4pqRZ" and escape("it's") == "it's"
    assert escape("-xgik4pqRZ") == "'-xgik4pqRZ"  # Instagram shortcodes may start with '-'
    # A sheet typed by a person, never escaped, reads back as typed.
    assert unescape("=1+1") == "=1+1" and unescape("'quoted") == "'quoted"


@given(st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\0")))
def test_unescape_inverts_escape_and_escaped_text_never_starts_dangerously(text):
    assert unescape(escape(text)) == text
    assert not escape(text).startswith(DANGEROUS)


@given(
    st.lists(
        st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\0"), min_size=1),
        min_size=1,
        max_size=5,
    )
)
def test_any_text_column_round_trips(values):
    # A second column as in every real file (pandas skips a line that is only blanks).
    df = pd.DataFrame({"id": values, "n": range(len(values))})
    buf = io.StringIO()
    to_csv(df, buf)
    assert_nothing_runs(buf.getvalue())
    buf.seek(0)
    back = read_csv(buf, dtype={"id": str}, keep_default_na=False)
    pd.testing.assert_frame_equal(back, df)


def test_folds_csv_with_hostile_ids_is_read_back_by_the_evaluation(tmp_path):
    """folds.csv is written as make_folds.py does and read by evaluation.evaluate_job."""
    from dealerdetect.evaluation.cv import evaluate_job, make_folds

    ids = [f"{h}#{i}" for i, h in enumerate(HOSTILE * 2)]
    df = pd.DataFrame(
        {
            "id": ids,
            "user": [f"u_{i % 7:012x}" for i in range(len(ids))],
            "label": [i % 2 for i in range(len(ids))],
            "text": [
                "xanax plug wickr" if i % 2 else "sober grateful today" for i in range(len(ids))
            ],
        }
    )
    df.to_parquet(tmp_path / "variant.parquet", index=False)
    to_csv(make_folds(df, 2, seed=0), tmp_path / "folds.csv")  # as workflow/scripts/make_folds.py
    with open(tmp_path / "folds.csv", encoding="utf-8", newline="") as fh:
        assert_nothing_runs(fh.read(), {"0", "1"})
    [info] = evaluate_job(
        tmp_path / "variant.parquet", tmp_path / "folds.csv", None, "decision_tree",
        "with_hashtags", [0], {}, 0, 1, tmp_path / "oof.parquet", tmp_path / "info.json",
    )  # fmt: skip
    oof = pd.read_parquet(tmp_path / "oof.parquet")
    assert info["n_test"] == len(oof) > 0 and set(oof["id"]) <= set(ids)
