"""Steps 1-5 of the Data Processing Phase: tokens, stopwords, the three variants,
the dictionary and index sequences.

The public names, stable across relayouts (``docs/architecture.md``, kept by
``tests/test_public_api.py``): ``clean`` (step 2 on one text), ``is_hashtag``,
``load_stopwords``, ``build_dictionary`` and ``to_index`` (steps 4-5), ``featurize`` (a
variant's model inputs for new captions) and ``preprocess`` (steps 1-5 on a corpus).
"""

from dealerdetect.preprocessing.steps import (
    build_dictionary,
    clean,
    featurize,
    is_hashtag,
    preprocess,
    to_index,
)
from dealerdetect.stopwords import load_stopwords

__all__ = [
    "build_dictionary",
    "clean",
    "featurize",
    "is_hashtag",
    "load_stopwords",
    "preprocess",
    "to_index",
]
