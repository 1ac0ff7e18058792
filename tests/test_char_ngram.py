"""Tests for the character n-gram baseline: it fits, and it reads misspellings a word model cannot."""

import numpy as np
import pytest

from dealerdetect.models.char_ngram import make_char_ngram
from dealerdetect.models.classic import make_classifier, scores

# Preprocessed texts (lower-case, stopwords gone, hashtags keep '#'), as the variants hold them.
DEALER = [
    "xanax bars available tonight wickr [handle] #xanax",
    "real xanax 2mg pfizer shipping discreet #forsale",
    "xanax plug dm prices kik [handle] #bars",
    "got xanax bulk cheaper hit [phone] #plugshop",
    "percs 10 325 xanax bars whatsapp [phone]",
    "xanax green hulks overnight delivery #xanaxangel",
]
OTHER = [
    "sunday brunch girls #mimosas #weekend",
    "finally finished half marathon #running #proud",
    "new puppy meet biscuit #dogsofinstagram",
    "rainy day good book tea #cozy",
    "beach sunset vibes ❤ #summer #nofilter",
    "birthday dinner mom #family #blessed",
]
TEXTS, LABELS = DEALER + OTHER, np.array([1] * len(DEALER) + [0] * len(OTHER))


def test_pipeline_fits_predicts_and_takes_params():
    pipe = make_char_ngram({"C": 10.0, "ngram_range": [2, 4], "min_df": 1}, seed=0)
    pipe.fit(TEXTS, LABELS)
    vec, clf = pipe.named_steps["vectorizer"], pipe.named_steps["classifier"]
    assert (vec.analyzer, vec.ngram_range, vec.min_df, vec.sublinear_tf) == (
        "char_wb",
        (2, 4),
        1,
        True,
    )
    assert (clf.C, clf.max_iter, clf.class_weight) == (10.0, 2000, None)
    assert (pipe.predict(TEXTS) == LABELS).all()  # separable training data
    s = scores(pipe, ["xanax bars tonight", "sunday brunch"])
    assert s[0] > 0.5 > s[1]


def test_defaults_are_the_documented_ones():
    pipe = make_char_ngram({}, seed=1)
    vec, clf = pipe.named_steps["vectorizer"], pipe.named_steps["classifier"]
    assert (vec.ngram_range, vec.min_df, vec.lowercase) == ((2, 5), 2, True)
    assert (clf.C, clf.random_state) == (10.0, 1)
    assert make_char_ngram({"C": 1.0}).named_steps["classifier"].C == 1.0


@pytest.mark.parametrize("misspelt", ["xanaxx", "2mgxanax", "#xanaxx"])
def test_char_ngrams_read_misspellings_the_word_model_cannot(misspelt):
    char = make_char_ngram({}, seed=0).fit(TEXTS, LABELS)
    word = make_classifier("logistic_regression", {}, seed=0).fit(TEXTS, LABELS)
    benign = "sundayy"  # an unseen token from the other class's words
    # Every token unseen: the word model can only return its intercept, the same for both.
    assert scores(word, [misspelt])[0] == pytest.approx(scores(word, [benign])[0])
    # The character model scores the misspelt drug name above the unseen benign word...
    assert scores(char, [misspelt])[0] > scores(char, [benign])[0] + 0.05
    # ...and above what the word model gives that post.
    assert scores(char, [misspelt])[0] > scores(word, [misspelt])[0] + 0.05
