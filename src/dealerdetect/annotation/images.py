"""The paper's image annotation of dealer posts (Results, "Manual Image Annotation of Drug
Dealer Posts"): each picture coded into the paper's categories.

"we also collected a total of 260 pictures from the 1228 posts analyzed. These images were
manually annotated to determine if they were related to controlled substances or illicit drugs
[...] A total of 252 images (252/260, 96.9%) included pictures or images of different types of
drugs that can be categorized into 5 different categories." The categories: prescription-
controlled substances only (175), illicit drugs only (60), both (15), could not classify (5),
and, "separate from images of drug products", pictures with typed or written contact
information (Figure 5: "There were 60 images that included either typed or written contact
information").

Coders fill the sheet's ``image_category`` column with one or more of :data:`CATEGORIES`
joined by ``;`` (a menu showing pills and a phone number is ``prescription;contact``), or leave
it empty for a post without a picture. Both coders' cells are read; where they differ, the
first coder's is used and the disagreement is counted.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dealerdetect.collection.files import read_csv_table
from dealerdetect.posts import PostFormatError
from dealerdetect.privacy.csvsafe import unescape

# The paper's four drug categories, its fifth (contact details), and pictures unrelated to drugs.
CATEGORIES = ("prescription", "illicit", "both", "unclassifiable", "contact", "unrelated")
DRUG_CATEGORIES = ("prescription", "illicit", "both", "unclassifiable")
LABELS = {
    "prescription": "Prescription-controlled substances only",
    "illicit": "Illicit drugs only",
    "both": "Both a prescription and an illicit drug",
    "unclassifiable": "Suspected drugs or manufacturing materials, not classifiable",
    "contact": "Typed or written contact information (Figure 5)",
    "unrelated": "Unrelated to drugs",
}
# The paper's figures (Results and Figure 5); "drug pictures" is its 252 of 260.
PAPER = {
    "pictures": 260,
    "drug pictures": 252,
    "prescription": 175,
    "illicit": 60,
    "both": 15,
    "unclassifiable": 5,
    "contact": 60,
    "unrelated": 8,
}


class ImageCategoryError(PostFormatError):
    """A sheet cell that is not a list of the paper's image categories."""


def parse_categories(path, row: int, value: str) -> frozenset[str]:
    parts = [p.strip().lower() for p in (value or "").replace(",", ";").split(";") if p.strip()]
    bad = [p for p in parts if p not in CATEGORIES]
    if bad:
        why = f"unknown image category {bad[0]!r} (use {', '.join(CATEGORIES)}, joined by ';')"
        raise ImageCategoryError(path, row, "image_category", why)
    return frozenset(parts)


def read_image_categories(path: str | Path) -> dict[str, frozenset[str]]:
    """Post id -> categories from one coder's sheet; {} when it has no image_category column."""
    header, rows = read_csv_table(path)
    if "image_category" not in header:
        return {}
    id_col = "post_id" if "post_id" in header else "id"
    i, j = header.index(id_col), header.index("image_category")
    out = {}
    for row, cells in rows:
        pid = unescape(cells[i].strip()) if i < len(cells) else ""
        value = unescape(cells[j]) if j < len(cells) else ""
        if pid and value.strip():
            out[pid] = parse_categories(path, row, value)
    return out


def image_categories(annotation_dir: str | Path) -> tuple[dict[str, frozenset[str]], int]:
    """Final categories per post from annotator_a.csv and annotator_b.csv, and how many posts
    the two coders categorised differently (the first coder's cell is kept)."""
    d = Path(annotation_dir)
    sheets = [read_image_categories(p) for p in (d / "annotator_a.csv", d / "annotator_b.csv")
              if p.exists()]  # fmt: skip
    if not sheets:
        return {}, 0
    merged = dict(sheets[-1])
    merged.update(sheets[0])
    differ = 0
    if len(sheets) == 2:
        differ = sum(1 for k in set(sheets[0]) & set(sheets[1]) if sheets[0][k] != sheets[1][k])
    return merged, differ


def image_annotation(corpus: pd.DataFrame, categories: dict[str, frozenset[str]]) -> pd.DataFrame:
    """The paper's image paragraph on this run: among dealer posts whose picture was coded,
    pictures per category, beside the paper's 260."""
    from dealerdetect.preprocessing.steps import dedupe_posts

    posts = dedupe_posts(corpus)
    dealers = posts[posts["label"] == 1]
    coded = [categories[i] for i in dealers["id"].astype(str) if i in categories]
    n = len(coded)
    rows = [
        ("dealer posts", len(dealers), 1228),
        ("pictures", n, PAPER["pictures"]),
        (
            "drug pictures",
            sum(1 for c in coded if c & set(DRUG_CATEGORIES)),
            PAPER["drug pictures"],
        ),
    ]
    rows += [(c, sum(1 for k in coded if c in k), PAPER[c]) for c in CATEGORIES]
    out = pd.DataFrame(rows, columns=["measure", "pictures", "paper_pictures"])
    out["label"] = out["measure"].map(lambda m: LABELS.get(m, m))
    base = out["measure"].isin(["dealer posts", "pictures"])
    out["percent"] = (100.0 * out["pictures"] / n).round(1) if n else 0.0
    out["paper_percent"] = (100.0 * out["paper_pictures"] / PAPER["pictures"]).round(1)
    out.loc[base, ["percent", "paper_percent"]] = float("nan")
    return out[["measure", "label", "pictures", "percent", "paper_pictures", "paper_percent"]]


def image_annotation_markdown(table: pd.DataFrame, note: str = "", differ: int = 0) -> str:
    lines = [
        '**Manual image annotation of dealer posts** (paper: Results, "Manual Image Annotation '
        "of Drug Dealer Posts\", and Figure 5). Pictures of dealer posts in each of the paper's "
        "categories; percent of the coded pictures. A picture may carry contact details and "
        "show drugs, so the categories overlap; the paper's own counts (175 + 60 + 15 + 5 = "
        "255 drug pictures) do not add up to its 252 either.",
        "",
        "| Category | This run, n (%) | Paper, n (%) |",
        "|---|---:|---:|",
    ]
    for _, r in table.iterrows():
        this = f"{r['pictures']}" + ("" if pd.isna(r["percent"]) else f" ({r['percent']:.1f})")
        paper = f"{r['paper_pictures']}" + (
            "" if pd.isna(r["paper_percent"]) else f" ({r['paper_percent']:.1f})"
        )
        lines.append(f"| {r['label']} | {this} | {paper} |")
    if differ:
        lines += ["", f"The two coders categorised {differ} pictures differently; the first "
                  "coder's categories are counted."]  # fmt: skip
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"
