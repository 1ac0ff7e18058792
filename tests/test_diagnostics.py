"""Flagging folds that ended at or near the class prior (hand-made fold metrics)."""

import pandas as pd
import pytest

from dealerdetect.evaluation.diagnostics import collapse_note, flag_collapsed


def fold_row(model, variant, fold, tp, fp, fn, tn, **extra):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return dict(model=model, variant=variant, fold=fold, tp=tp, fp=fp, fn=fn, tn=tn, f1=f1, **extra)


def ten_folds(model="lstm", variant="hashtags_only", bad=None, **extra):
    """Ten good folds (F1 ~0.9); fold ``bad[0]`` replaced by the counts ``bad[1:]``."""
    rows = [fold_row(model, variant, k, 110, 10, 14, 1130, **extra) for k in range(10)]
    if bad is not None:
        rows[bad[0]] = fold_row(model, variant, bad[0], *bad[1:], **extra)
    return rows


def test_no_dealer_predicted_is_flagged_with_its_reason():
    # Fold 3 of the default study before the fix: every post scored below 0.5.
    df = pd.DataFrame(ten_folds(bad=(3, 0, 0, 118, 1147)) + ten_folds(model="svm"))
    out = flag_collapsed(df)
    assert out["collapsed"].tolist() == [k == 3 for k in range(10)] + [False] * 10
    reason = out.loc[3, "collapse_reason"]
    assert "no post predicted a dealer (118 dealer posts missed)" in reason
    assert "F1 0.000 against a median of" in reason
    assert (out.loc[out.index != 3, "collapse_reason"] == "").all()
    assert len(out) == len(df) and list(out.columns[: len(df.columns)]) == list(df.columns)


def test_every_post_predicted_a_dealer_is_flagged_even_in_a_weak_model():
    # A weak model (median F1 well under 0.8) is not flagged for being weak, only for
    # predicting one class.
    rows = [fold_row("decision_tree", "no_hashtags", k, 40, 60, 60, 900) for k in range(5)]
    rows.append(fold_row("decision_tree", "no_hashtags", 5, 100, 960, 0, 0))
    out = flag_collapsed(pd.DataFrame(rows))
    assert out["collapsed"].tolist() == [False] * 5 + [True]
    assert out.loc[5, "collapse_reason"] == "every post predicted a dealer (960 false positives)"


def test_low_fold_flagged_only_against_a_high_median():
    low = (4, 30, 40, 94, 1100)  # F1 ~0.31, still predicting both classes
    strong = flag_collapsed(pd.DataFrame(ten_folds(bad=low)))
    assert strong["collapsed"].sum() == 1 and strong.loc[4, "collapsed"]
    assert strong.loc[4, "collapse_reason"].startswith("F1 0.309 against a median of 0.9")
    # The same fold among folds of a model whose median is 0.6: weak, not collapsed.
    weak = [fold_row("lstm", "hashtags_only", k, 70, 50, 44, 1100) for k in range(10)]
    weak[4] = fold_row("lstm", "hashtags_only", *low)
    assert not flag_collapsed(pd.DataFrame(weak))["collapsed"].any()


def test_medians_are_per_model_variant_and_protocol():
    # The grouped protocol's folds are all low: its median is low, so none is flagged, even though
    # the paper protocol's median for the same model and variant is high.
    paper = ten_folds(protocol="paper")
    grouped = [
        fold_row("lstm", "hashtags_only", k, 30, 40, 94, 1100, protocol="grouped")
        for k in range(10)
    ]
    out = flag_collapsed(pd.DataFrame(paper + grouped))
    assert not out["collapsed"].any()
    # Without the protocol column the twenty folds would share one median (~0.6): still none.
    assert not flag_collapsed(pd.DataFrame(paper + grouped).drop(columns="protocol"))[
        "collapsed"
    ].any()


def test_empty_test_fold_class_is_not_a_collapse():
    # A test fold without dealer posts: predicting none is right, not a collapse.
    rows = ten_folds()
    rows[2] = fold_row("lstm", "hashtags_only", 2, 0, 0, 0, 1200)
    out = flag_collapsed(pd.DataFrame(rows))
    assert not out["collapsed"].any()
    # ... but calling one of its posts a dealer is no collapse either (both classes predicted
    # needs both present; the F1 rule needs dealer posts to score).
    rows[2] = fold_row("lstm", "hashtags_only", 2, 0, 3, 0, 1197)
    assert not flag_collapsed(pd.DataFrame(rows))["collapsed"].any()


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"\['tn'\]"):
        flag_collapsed(pd.DataFrame(ten_folds()).drop(columns="tn"))


def test_empty_frame_gets_the_columns():
    out = flag_collapsed(
        pd.DataFrame(columns=["model", "variant", "fold", "f1", "tp", "fp", "fn", "tn"])
    )
    assert list(out.columns[-2:]) == ["collapsed", "collapse_reason"] and out.empty


def test_note_names_each_collapsed_fold():
    df = pd.DataFrame(ten_folds(bad=(3, 0, 0, 118, 1147), protocol="paper"))
    note = collapse_note(flag_collapsed(df))
    assert note.startswith("1 fold ended at or near the class prior")
    assert "paper/lstm/hashtags_only fold 3 (no post predicted a dealer" in note
    assert collapse_note(flag_collapsed(pd.DataFrame(ten_folds()))) == ""
