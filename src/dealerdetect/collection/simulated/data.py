"""The world's data files (YAML next to this module) and typed views of them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

FILES = ("world", "hashtags", "lexicon", "dealers", "personas", "comments", "names")


@cache
def load(name: str) -> dict:
    """One data file of the simulated world, parsed (cached; treat as read-only)."""
    if name not in FILES:
        raise KeyError(f"no simulated-world data file {name!r}; known: {', '.join(FILES)}")
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class Family:
    """A drug as the world talks about it: hashtags, codewords, words, menu lines."""

    name: str
    table2: tuple[str, ...]
    seed: str | None
    anchors: tuple[str, ...]
    codewords: tuple[str, ...]
    words: tuple[str, ...]
    menu: tuple[str, ...]
    formal: tuple[str, ...]
    bridge: str | None = None  # the seed people use with this drug when it has none

    def part(self, which: str) -> tuple[str, ...]:
        """Hashtags of one kind; "seed" is the family's seed, or its bridge seed."""
        if which == "seed":
            s = self.seed or self.bridge
            return (s,) if s else ()
        return getattr(self, which)


class Vocabulary:
    """Hashtag groups and drug families (hashtags.yaml)."""

    def __init__(self, raw: dict | None = None):
        raw = raw if raw is not None else load("hashtags")
        self.families: dict[str, Family] = {
            name: Family(
                name=name,
                table2=tuple(f.get("table2", ())),
                seed=f.get("seed"),
                anchors=tuple(f["anchors"]),
                codewords=tuple(f.get("codewords", ())),
                words=tuple(f["words"]),
                menu=tuple(f["menu"]),
                formal=tuple(f.get("formal", f["words"][:1])),
                bridge=f.get("bridge"),
            )
            for name, f in raw["families"].items()
        }
        self.groups: dict[str, tuple[str, ...]] = {}
        self.products: dict[str, tuple[str, ...]] = {}
        for name, tags in raw["groups"].items():
            if isinstance(tags, dict):
                self.products = {k: tuple(str(t) for t in v) for k, v in tags.items()}
            else:
                self.groups[name] = tuple(str(t) for t in tags)
        self.display: dict[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in raw.get("display", {}).items()
        }

    @property
    def seeds(self) -> list[str]:
        return [f.seed for f in self.families.values() if f.seed]

    def table2_tags(self) -> dict[str, tuple[str, ...]]:
        return {n: f.table2 for n, f in self.families.items() if f.table2}


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary()
