"""The study's one drug lexicon (config ``drugs``): families, their names, and how a hashtag
is matched to a family.

Loop 2 of discovery follows co-occurring hashtags the lexicon matches, Table 2 and the
characterization count dealer posts per family, and the simulated world builds one market per
family. Nothing else in the project holds a list of drugs.

Matching rule (:meth:`Lexicon.match`), case-insensitive, on the hashtag without ``#``:

1. Every term of every family that the hashtag *contains* is a candidate (plain substring, no
   word boundaries: hashtags have none, so ``#2mgxanax``, ``#xanaxbars`` and ``#fentanylpatch``
   all match). Terms are at least 3 characters long (the schema enforces it).
2. A family's ``not`` entries are the words its short terms hide in (``meth`` in
   ``#something``, ``lean`` in ``#cleaneating``). A ``not`` entry contained in the hashtag rules
   that family out, unless the hashtag also contains one of the family's terms at least as long
   as the entry (``#magicmushroom`` stays psilocybin although ``mushroom`` is a ``not`` entry).
3. Of the remaining candidates the longest term wins (``#promethazine`` is codeine, not meth;
   ``#methadone`` is an opioid, not meth); a tie goes to the family listed first.

A hashtag is a *drug name* when it equals one of its family's ``names`` and a *codeword* when it
belongs to a family any other way (misspellings, slang, compounds such as ``#2mgxanax``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dealerdetect.errors import InputValueError
from dealerdetect.text import fold_handle


@dataclass(frozen=True)
class DrugFamily:
    key: str
    name: str  # display name ("Xanax (alprazolam)")
    group: str  # drug class (benzodiazepine, opioid, stimulant, ...)
    names: tuple[str, ...]  # proper drug names (hashtags equal to one are "drug names")
    slang: tuple[str, ...]  # street names, misspellings, codewords
    exclude: tuple[str, ...] = ()  # the config's ``not``: words the short terms hide in

    @property
    def terms(self) -> tuple[str, ...]:
        return self.names + self.slang


@dataclass(frozen=True)
class Match:
    family: str
    term: str


def normalise(tag: str) -> str:
    """A hashtag as the lexicon reads it: lower case, no "#"; a tag with letters from other
    scripts is first folded like a contact (full-width, look-alike Cyrillic or Greek letters:
    "#хаnах" is #xanax), which leaves ASCII tags as they are."""
    tag = str(tag).strip().lstrip("#＃")
    return tag.lower() if tag.isascii() else fold_handle(tag)


@dataclass(frozen=True)
class Lexicon:
    """The families of config ``drugs``, in the order written (hashable: worlds are cached)."""

    families: tuple[DrugFamily, ...]

    @classmethod
    def from_config(cls, drugs: dict) -> Lexicon:
        """From the ``drugs`` section; raises ValueError naming the family and field."""
        if not isinstance(drugs, dict) or not drugs:
            raise InputValueError("drugs: the lexicon needs at least one family")
        fams = []
        seen: dict[str, str] = {}
        for key, spec in drugs.items():
            if not isinstance(spec, dict):
                raise InputValueError(f"drugs.{key}: expected a mapping with name, names, slang")
            names = tuple(normalise(t) for t in spec.get("names") or ())
            slang = tuple(normalise(t) for t in spec.get("slang") or ())
            if not names + slang:
                raise InputValueError(f"drugs.{key}: no names or slang terms")
            for t in names + slang:
                if len(t) < 3:
                    raise InputValueError(f"drugs.{key}: term {t!r} is shorter than 3 characters")
                if t in seen and seen[t] != key:
                    raise InputValueError(
                        f"drugs.{key}: term {t!r} is also a term of drugs.{seen[t]}"
                    )
                seen[t] = key
            fams.append(
                DrugFamily(
                    key=str(key),
                    name=str(spec.get("name") or key),
                    group=str(spec.get("group") or "other"),
                    names=names,
                    slang=slang,
                    exclude=tuple(normalise(t) for t in spec.get("not") or ()),
                )
            )
        return cls(tuple(fams))

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.families]

    def __getitem__(self, key: str) -> DrugFamily:
        for f in self.families:
            if f.key == key:
                return f
        raise KeyError(f"drugs: no family {key!r}")

    def match(self, tag: str) -> Match | None:
        return _match(self, normalise(tag))

    def family_of(self, tag: str) -> str | None:
        m = self.match(tag)
        return m.family if m else None

    def is_drug_name(self, tag: str) -> bool:
        t = normalise(tag)
        m = _match(self, t)
        return bool(m) and t in self[m.family].names

    def families_of(self, tags) -> set[str]:
        return {f for f in (self.family_of(t) for t in tags) if f}


@cache
def _match(lex: Lexicon, t: str) -> Match | None:
    best: Match | None = None
    for fam in lex.families:
        hits = [term for term in fam.terms if term in t]
        if not hits:
            continue
        longest = max(len(h) for h in hits)
        if any(x in t and longest < len(x) for x in fam.exclude):
            continue
        term = max(hits, key=len)
        if best is None or len(term) > len(best.term):
            best = Match(fam.key, term)
    return best
