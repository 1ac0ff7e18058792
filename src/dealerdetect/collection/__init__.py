"""Data Collection Phase: sources behind one interface, and the paper's two hashtag loops."""

from __future__ import annotations

from dealerdetect.errors import InputError, InputValueError

from .base import Source, Window


class CollectionError(InputError, RuntimeError):
    """A source refused or failed; the message names the hashtag or file and the reason."""


def make_source(collection_cfg: dict, seed: int, lexicon=None) -> Source:
    """The source named by ``collection.source``, built from its config section; the
    simulated source builds one market per family of ``lexicon`` (a ``drugs.Lexicon``)."""
    name = collection_cfg["source"]
    if name == "simulated":
        from .simulated import SimulatedSource

        sim = collection_cfg.get("simulated", {})
        return SimulatedSource(
            seed=seed,
            scale=float(sim.get("scale", 1.0)),
            window=Window.from_config(collection_cfg["window"]),
            lexicon=lexicon,
        )
    if name == "instagram":
        from .instagram import InstagramSource

        return InstagramSource(collection_cfg.get("instagram", {}))
    if name == "file":
        from .files import FileSource

        return FileSource(collection_cfg.get("file", {}))
    raise InputValueError(f"collection.source: unknown source '{name}'")


__all__ = ["CollectionError", "Source", "Window", "make_source"]
