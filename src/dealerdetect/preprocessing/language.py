"""The language of a post, from py3langid (offline; the model ships inside the package).

A caption is mostly slang, hashtags and app names, so identification is uncertain: a language
is named only when py3langid's normalised probability reaches :data:`MIN_CONFIDENCE`, else the
post is ``und`` (undetermined, the BCP 47 code). Cantonese and Wu written in Han characters
count as Chinese (``zh``), whose word rule and stopword list they share. Links, redaction
placeholders, mentions, digits and the ``#`` of hashtags are removed first; a text with no
letter left is ``und``.
"""

from __future__ import annotations

import re
from functools import cache

MIN_CONFIDENCE = 0.5
UNDETERMINED = "und"
_ALIASES = {"yue": "zh", "wuu": "zh"}
_NOISE_RE = re.compile(
    r"(?:https?://|www\.)\S+|\[(?:PHONE|EMAIL|HANDLE|URL)\]|@\S+|[#_\d]", re.I | re.UNICODE
)


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> str:
    """ISO 639 code of ``text``'s language, or ``und``."""
    text = " ".join(_NOISE_RE.sub(" ", text or "").split())
    if not any(ch.isalpha() for ch in text):
        return UNDETERMINED
    lang, prob = _identifier().classify(text)
    if prob < MIN_CONFIDENCE:
        return UNDETERMINED
    return _ALIASES.get(lang, lang)


def identify_all(texts) -> list[str]:
    """:func:`identify` for each text, each distinct text once."""
    seen: dict[str, str] = {}
    out = []
    for t in texts:
        if t not in seen:
            seen[t] = identify(t)
        out.append(seen[t])
    return out
