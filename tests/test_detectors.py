"""Precision and recall of the contact and offer detectors on a hand-labelled fixture.

On the simulated corpus the characterization counts match the paper because the simulator
plants them (world.yaml); only this fixture (tests/data/detectors/, written before tuning, a
third held out) measures the detectors. ``python tests/test_detectors.py`` prints the table.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dealerdetect.characterization import contact_kinds, has_offer_to_buy

FIXTURE = Path(__file__).parent / "data" / "detectors" / "labelled.csv"
DETECTORS = ("offer", "wickr", "telegram", "kik", "whatsapp", "snapchat", "phone", "email", "bio")

# Floors: the lower of precision and recall measured on the whole fixture after tuning
# (docs/reproduction.md, "Detectors"), rounded down.
FLOORS = {
    "offer": 0.95,
    "wickr": 0.85,
    "telegram": 0.85,
    "kik": 0.9,
    "whatsapp": 0.9,
    "snapchat": 0.9,
    "phone": 0.95,
    "email": 0.95,
    "bio": 0.95,
}


def rows(split: str | None = None) -> list[dict]:
    with open(FIXTURE, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if split in (None, r["split"])]


def predict(row: dict, detector: str) -> bool | None:
    """The detector's answer on one row, or None where it does not apply (offers on captions)."""
    if detector == "offer":
        if row["source"] != "comment":
            return None
        return has_offer_to_buy("", [{"user": "buyer", "text": row["text"]}], "seller")
    return detector in contact_kinds(row["text"])


def scores(split: str | None = None) -> dict[str, dict[str, float]]:
    out = {}
    for d in DETECTORS:
        tp = fp = fn = n = 0
        for r in rows(split):
            got = predict(r, d)
            if got is None:
                continue
            n += 1
            want = r[d] == "1"
            tp += got and want
            fp += got and not want
            fn += want and not got
        out[d] = {
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
            "positives": tp + fn,
            "rows": n,
        }
    return out


def errors(split: str, detector: str) -> list[tuple[str, str, str]]:
    return [
        (r["id"], "missed" if r[detector] == "1" else "false", r["text"])
        for r in rows(split)
        if (got := predict(r, detector)) is not None and got != (r[detector] == "1")
    ]


def test_fixture_is_large_labelled_and_held_out():
    all_rows = rows()
    assert len(all_rows) >= 300
    assert len(rows("heldout")) >= len(all_rows) // 4
    for d in DETECTORS:
        assert sum(r[d] == "1" for r in all_rows) >= 10, d  # enough positives to measure


@pytest.mark.parametrize("detector", DETECTORS)
def test_detector_precision_and_recall_floor(detector):
    s = scores()[detector]
    floor = FLOORS[detector]
    assert s["precision"] >= floor, (s, errors("tune", detector) + errors("heldout", detector))
    assert s["recall"] >= floor, (s, errors("tune", detector) + errors("heldout", detector))


if __name__ == "__main__":
    import sys

    show = [a for a in sys.argv[1:] if not a.startswith("-")]  # detectors whose errors to print
    final = sys.argv[1:2] == ["--final"]
    for split in ("tune", "heldout", "fresh", None) if final else ("tune", "heldout"):
        print(f"\n{split or 'all'}")
        for d, s in scores(split).items():
            print(f"{d:9s} P={s['precision']:.2f} R={s['recall']:.2f} pos={s['positives']}")
    for d in show:
        for e in errors("tune", d) + errors("heldout", d):
            print(d, *e)
