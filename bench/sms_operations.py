"""Operations on a corpus the simulator did not write: the SMS Spam Collection.

    python bench/sms_operations.py [--threshold 0.8]

Reads the SMS Spam Collection (CC BY 4.0, Almeida et al. 2011; never copied into the
repository) from data/external/. Each message is its own "account" (the corpus has no
senders), so an operation here is a group of messages linked by the same phone number (read by
the contact detector with GB numbering, E.164) or near-identical text. Prints how many spam
messages give a number, how many numbers repeat, the operation sizes and their purity (spam and
ham in one operation), and the near-duplicate leakage of shuffled folds against folds grouped by
operation. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np
import pandas as pd

from dealerdetect.evaluation import operations as ops
from dealerdetect.evaluation.stats import grouped_folds, paper_folds
from dealerdetect.privacy.redaction import redact

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data/external/sms-spam-collection/SMSSpamCollection"  # data/external/README.md


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--folds", type=int, default=10)
    args = parser.parse_args()
    df = pd.read_csv(CORPUS, sep="\t", header=None, names=["label", "text"], quoting=csv.QUOTE_NONE)
    df["id"] = [f"sms{i}" for i in range(len(df))]
    df["user"] = [f"u_{i:012x}" for i in range(len(df))]
    df["label"] = (df["label"] == "spam").astype(int)
    t0 = time.perf_counter()
    hashes = ops.contact_hashes(df.assign(text=df["text"]), "bench-salt", ["GB"])
    t1 = time.perf_counter()
    captions = [redact(t, ["GB"]) for t in df["text"]]
    config = {"jaccard_threshold": args.threshold}
    pairs = ops.near_duplicates(df["id"], captions, config)
    t2 = time.perf_counter()
    members, table = ops.link_operations(
        df, hashes, pairs, ops.settings(config)["max_text_accounts"]
    )
    spam = df[df["label"] == 1]
    phones = hashes[hashes["kind"] == "phone"]
    per_number = phones.groupby("hash")["id"].nunique()
    print(f"messages {len(df)}, spam {len(spam)}")
    print(
        f"spam with a phone number: {phones['id'].isin(spam['id']).sum()} rows, "
        f"{phones[phones['id'].isin(spam['id'])]['id'].nunique()} messages; "
        f"distinct numbers {len(per_number)}, in 2+ messages {int((per_number > 1).sum())} "
        f"(max {int(per_number.max())})"
    )
    print(f"near-duplicate pairs {len(pairs)}; contacts {t1 - t0:.1f}s, text {t2 - t1:.1f}s")
    linked = table[table["accounts"] > 1]
    print(f"operations {len(table)}; with 2+ messages {len(linked)}")
    print("size distribution (messages per operation: operations):")
    print(
        ops.size_distribution(table)[["accounts", "operations", "dealer_operations"]].to_string(
            index=False
        )
    )
    mixed = linked[(linked["dealer_posts"] > 0) & (linked["dealer_posts"] < linked["posts"])]
    print(
        f"linked operations with spam {int((linked['dealer_posts'] > 0).sum())}; mixing spam and "
        f"ham {len(mixed)} ({int(mixed['posts'].sum())} messages)"
    )
    print("link kinds of linked operations:", linked["link_kinds"].value_counts().to_dict())
    op = df["user"].map(dict(zip(members["user"], members["operation"], strict=True)))
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import f1_score
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    for name, fold in (
        ("paper", paper_folds(df["id"], args.folds, 2019)),
        ("operation", grouped_folds(df["id"], df["label"], op, args.folds, 2019)),
    ):
        leak = ops.leakage(pd.DataFrame({"id": df["id"], "fold": fold}), df, members, pairs, name)
        print(
            f"{name}: near-duplicate in training {leak['near_duplicate_in_training']:.1f}% of "
            f"test messages, {leak['dealer_near_duplicate_in_training']:.1f}% of spam; "
            f"operation in training {leak['operation_in_training']:.1f}% "
            f"(spam {leak['dealer_operation_in_training']:.1f}%); fold sizes "
            f"{int(np.bincount(fold).min())}-{int(np.bincount(fold).max())}"
        )
        # A word TF-IDF + linear SVM on the redacted texts, pooled out-of-fold F1 on spam.
        pred = np.zeros(len(df), dtype=int)
        for k in range(args.folds):
            model = make_pipeline(TfidfVectorizer(), LinearSVC(C=1.0, random_state=2019))
            train = fold != k
            model.fit([captions[i] for i in np.flatnonzero(train)], df["label"][train])
            pred[~train] = model.predict([captions[i] for i in np.flatnonzero(~train)])
        print(
            f"{name}: TF-IDF + linear SVM pooled F1 on spam {100 * f1_score(df['label'], pred):.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
