"""Swap the seeds on the simulated source and see what the study would collect: the loops, the
simulated coders' labels and Table 2's families, in memory (nothing under data/ or results/ is
written). For the notebooks and the README's seed-swap example; the study itself runs the same
functions through Snakemake."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from ..collection.base import Window
from ..collection.discovery import discover
from ..collection.simulated import SimulatedSource
from ..drugs import Lexicon


def compare_seeds(config: dict, seed_sets: dict[str, list[str] | None], scale: float | None = None):
    """One row per named seed set (None = the config's seeds): posts, dealer posts, and the
    three largest drug families among dealer posts with their shares (percent of dealer posts,
    as Table 2 counts them), plus Xanax's share. Uses the config's seed, window, loops and drug
    lexicon; ``scale`` overrides ``collection.simulated.scale``."""
    col = config["collection"]
    lexicon = Lexicon.from_config(config["drugs"])
    window = Window.from_config(col["window"])
    scale = float(scale if scale is not None else col.get("simulated", {}).get("scale", 1.0))
    source = SimulatedSource(config["seed"], scale, window, lexicon)
    rows = []
    for name, seeds in seed_sets.items():
        seeds = list(seeds or col["seed_hashtags"])
        posts = {p.id: p for p in discover(source, seeds, window, lexicon, col["loops"])}
        final = {a["post_id"]: a["final"] for a in source.annotations(posts)}
        dealers = [p for pid, p in posts.items() if final[pid] == 1]
        n = len(dealers)
        fams = Counter(f for p in dealers for f in lexicon.families_of(p.hashtags))
        top = fams.most_common(3)
        rows.append(
            {
                "seeds": name,
                "hashtags": " ".join(f"#{s.lstrip('#').lower()}" for s in seeds),
                "posts": len(posts),
                "dealer_posts": n,
                **{
                    f"family_{i + 1}": f"{lexicon[f].name} {100 * k / n:.1f}%"
                    for i, (f, k) in enumerate(top)
                },
                "xanax_percent": round(100 * fams["xanax"] / n, 1) if n else 0.0,
            }
        )
    return pd.DataFrame(rows)
