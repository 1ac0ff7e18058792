"""What reading the pictures adds: F1 of the picture variant beside the caption's, and recall on
the dealer posts whose caption and own comments give no contact detail (the image ads: the
picture sells), per protocol and model, on the same folds."""

from __future__ import annotations

import pandas as pd

from dealerdetect.evaluation.stats import f1_of
from dealerdetect.study import registry

TEXT_VARIANT, PICTURE_VARIANT = "with_hashtags", "with_pictures"


def picture_gain(oofs: dict[str, pd.DataFrame], corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per protocol x model run on both variants: F1 of each variant on all its posts,
    and recall of each on the dealer posts with no contact in the caption (the same posts for
    both variants: those in both of their out-of-fold sets)."""
    posts = corpus.drop_duplicates("id").set_index("id")
    no_contact = set(posts.index[posts["contacts"].map(len).eq(0) & posts["label"].eq(1)])
    picture_contact = (
        set(posts.index[posts["picture_contacts"].map(len).gt(0)])
        if ("picture_contacts" in posts)
        else set()
    )
    rows = []
    for protocol, oof in oofs.items():
        for model in dict.fromkeys(oof["model"]):
            by = {
                v: oof[(oof["model"] == model) & (oof["variant"] == v)]
                for v in (TEXT_VARIANT, PICTURE_VARIANT)
            }
            if any(d.empty for d in by.values()):
                continue
            shared = set(by[TEXT_VARIANT]["id"]) & set(by[PICTURE_VARIANT]["id"])
            ads = no_contact & shared
            row = {"protocol": protocol, "model": model, "image_ads": len(ads),
                   "image_ads_contact_in_picture": len(ads & picture_contact)}  # fmt: skip
            for v, d in by.items():
                row[f"f1_{v}"] = round(100 * f1_of(d["label"].to_numpy(), d["pred"].to_numpy()), 2)
                hit = d[d["id"].isin(ads)]
                row[f"image_ad_recall_{v}"] = (
                    round(100 * float(hit["pred"].mean()), 2) if len(hit) else float("nan")
                )
            rows.append(row)
    return pd.DataFrame(rows)


def picture_gain_markdown(table: pd.DataFrame, note: str = "") -> str:
    lines = [
        '**Pictures as a model input** (beyond the paper: its Limitations name "multimodal ... '
        'approaches ... based on both text and images" as future work). F1 (%) on text with '
        "hashtags and on the same text plus the text read from the post's picture, and recall "
        "(%) on the dealer posts whose caption and own comments give no contact detail, the "
        "image ads, on the same folds.",
        "",
        "| Protocol | Model | F1 caption | F1 caption + picture | Image ads | Recall caption "
        "| Recall caption + picture |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for _, r in table.iterrows():
        lines.append(
            f"| {r['protocol']} | {registry.model_label(r['model'])} | "
            f"{r[f'f1_{TEXT_VARIANT}']:.2f} | {r[f'f1_{PICTURE_VARIANT}']:.2f} | "
            f"{int(r['image_ads'])} | {r[f'image_ad_recall_{TEXT_VARIANT}']:.2f} | "
            f"{r[f'image_ad_recall_{PICTURE_VARIANT}']:.2f} |"
        )
    if table.empty:
        lines.append("| – | the with_pictures variant did not run (pictures off?) | | | | | |")
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"
