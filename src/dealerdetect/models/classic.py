"""Decision tree, random forest and SVM (paper refs 32-34), plus a TF-IDF logistic regression.

The paper does not say which features its classical models saw. Each model here is a
scikit-learn Pipeline of a bag-of-words vectorizer over the preprocessed tokens and the
classifier, so the vocabulary is learnt inside each training fold and never leaks.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier


def _tokens(doc: str) -> list[str]:
    # Texts are already cleaned and tokenised (preprocessing step 2); keep '#' tokens intact.
    return doc.split()


def make_classifier(
    name: str, params: dict | None = None, seed: int = 0, threads: int = 1
) -> Pipeline:
    """A fresh, unfitted pipeline for ``name`` with ``params`` passed to the estimator."""
    params = dict(params or {})
    vec = CountVectorizer(analyzer=_tokens, binary=params.pop("binary", False))
    if name == "decision_tree":
        est = DecisionTreeClassifier(random_state=seed, **params)
    elif name == "random_forest":
        params.setdefault("n_estimators", 100)
        est = RandomForestClassifier(random_state=seed, n_jobs=threads, **params)
    elif name == "svm":
        # A linear SVM: the standard choice for sparse text (paper ref 35, Joachims 1998).
        est = LinearSVC(random_state=seed, **params)
    elif name == "char_ngram":
        # Sub-word features for misspelt drug names; its own vectorizer (models/char_ngram.py).
        from .char_ngram import make_char_ngram

        return make_char_ngram(params, seed=seed)
    elif name == "logistic_regression":
        vec = TfidfVectorizer(analyzer=_tokens, sublinear_tf=True)
        params.setdefault("max_iter", 2000)
        est = LogisticRegression(random_state=seed, **params)
    else:
        raise ValueError(f"models: unknown classical model '{name}'")
    return Pipeline([("vectorizer", vec), ("classifier", est)])


def scores(pipe: Pipeline, texts) -> np.ndarray:
    """Probability-like scores in [0, 1] whose 0.5 cut equals the estimator's own decision.

    LinearSVC has no probabilities; the logistic of its margin keeps ``score > 0.5`` identical to
    ``predict`` while giving a ranking for ROC AUC.
    """
    if hasattr(pipe, "predict_proba"):
        try:
            return pipe.predict_proba(texts)[:, 1]
        except AttributeError:
            pass
    return 1.0 / (1.0 + np.exp(-pipe.decision_function(texts)))
