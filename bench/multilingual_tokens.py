"""Word models against the character n-gram model, per script, with the paper's tokenizer and
with the per-script one.

    python bench/multilingual_tokens.py [--fixture tests/data/multilingual/posts.jsonl]
        [--sms PATH/SMSSpamCollection] [--folds 5]

For each corpus (the multilingual fixture; the SMS Spam Collection when its file is given or
found beside the repository): captions are redacted as the corpus step does, tokenized
(``before``: the paper's rule alone, exactly the code before tokens per script; ``after``:
``preprocessing.clean`` with the post's language), and the project's SVM, word TF-IDF logistic
regression and character n-gram pipelines (``models.classic.make_classifier``, config.yaml's
settings) are cross-validated on the text with hashtags (stratified folds, seed 2019). Prints
out-of-fold F1 (percent) per script of the post and the gap between the character model and
the weaker word model. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import regex
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from dealerdetect.models.classic import make_classifier, scores
from dealerdetect.preprocessing import steps as pp
from dealerdetect.preprocessing.language import identify
from dealerdetect.privacy.redaction import redact

ROOT = Path(__file__).resolve().parents[1]
SMS = ROOT / "data/external/sms-spam-collection/SMSSpamCollection"  # data/external/README.md
MODELS = {
    "svm": ("svm", {"C": 1.0}),
    "lr": ("logistic_regression", {"C": 10.0}),
    "char": ("char_ngram", {}),
}
SCRIPTS = [
    ("Japanese", r"[\p{Hiragana}\p{Katakana}]"),
    ("Chinese", r"\p{Han}"),
    ("Thai", r"\p{Thai}"),
    ("Korean", r"\p{Hangul}"),
    ("Latin", r"\p{Latin}"),
]


def script_of(text: str) -> str:
    """Kana makes a post Japanese, else the first of Han, Thai, Hangul, Latin it has."""
    for name, pattern in SCRIPTS:
        if regex.search(pattern, text):
            return name
    return "none"


def paper_clean(text: str, sw: frozenset[str]) -> list[str]:
    """Step 2 as it was before tokens per script (the paper's rule for every script)."""
    text = unicodedata.normalize("NFKC", pp.URL_RE.sub(" ", text or "")).lower()
    out = []
    for m in pp.TOKEN_RE.finditer(text.replace("#", " #")):
        tok = m.group(0)
        if tok.replace("’", "'") in sw:
            continue
        tok = tok.replace("'", "").replace("’", "")
        if tok and tok != "#":
            out.append(tok)
    return out


def load_fixture(path: Path) -> pd.DataFrame:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return pd.DataFrame(rows)[["id", "caption", "label"]]


def load_sms(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, sep="\t", header=None, names=["y", "caption"], quoting=csv.QUOTE_NONE)
    return pd.DataFrame(
        {
            "id": [f"sms{i}" for i in range(len(df))],
            "caption": df["caption"],
            "label": (df["y"] == "spam") * 1,
        }
    )


def oof_predictions(texts: list[str], labels: np.ndarray, folds: int, seed: int) -> dict:
    out = {}
    for short, (name, params) in MODELS.items():
        pred = np.zeros(len(texts), dtype=int)
        for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(
            texts, labels
        ):
            pipe = make_classifier(name, dict(params), seed=seed)
            pipe.fit([texts[i] for i in train], labels[train])
            pred[test] = (scores(pipe, [texts[i] for i in test]) > 0.5).astype(int)
        out[short] = pred
    return out


def per_script(df: pd.DataFrame, folds: int, seed: int) -> pd.DataFrame:
    sw = pp.load_stopwords("english")
    redacted = [redact(c) for c in df["caption"]]
    t0 = time.perf_counter()
    before = [" ".join(paper_clean(t, sw)) for t in redacted]
    t1 = time.perf_counter()
    languages = [identify(t) for t in redacted]
    t2 = time.perf_counter()
    after = [" ".join(pp.clean(t, sw, lang)) for t, lang in zip(redacted, languages, strict=True)]
    t3 = time.perf_counter()
    n = len(df)
    print(
        f"  {n} posts; tokenize per post: paper rule {1e6 * (t1 - t0) / n:.0f} us, "
        f"language id {1e6 * (t2 - t1) / n:.0f} us (first call loads the model), "
        f"per-script rule {1e6 * (t3 - t2) / n:.0f} us"
    )
    labels = df["label"].to_numpy()
    scripts = np.array([script_of(c) for c in df["caption"]])
    rows = []
    for when, texts in (("before", before), ("after", after)):
        preds = oof_predictions(texts, labels, folds, seed)
        for script in [*dict.fromkeys(s for s, _ in SCRIPTS), "all"]:
            mask = scripts == script if script != "all" else np.ones(n, bool)
            if mask.sum() == 0:
                continue
            f1 = {
                k: 100 * f1_score(labels[mask], p[mask], zero_division=0) for k, p in preds.items()
            }
            rows.append(
                {
                    "tokenizer": when,
                    "script": script,
                    "posts": int(mask.sum()),
                    "dealer_posts": int(labels[mask].sum()),
                    "svm": round(f1["svm"], 1),
                    "lr": round(f1["lr"], 1),
                    "char": round(f1["char"], 1),
                    "gap": round(f1["char"] - min(f1["svm"], f1["lr"]), 1),
                }
            )
    return pd.DataFrame(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fixture", type=Path, default=ROOT / "tests/data/multilingual/posts.jsonl"
    )
    parser.add_argument("--sms", type=Path, default=SMS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    corpora = {"fixture": load_fixture(args.fixture)}
    if args.sms.exists():
        corpora["sms"] = load_sms(args.sms)
    else:
        print(f"{args.sms} not found: SMS Spam Collection skipped", file=sys.stderr)
    for name, df in corpora.items():
        print(f"{name}:")
        table = per_script(df, args.folds, args.seed)
        print(table.to_markdown(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
