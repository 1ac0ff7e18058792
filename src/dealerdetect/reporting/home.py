"""The report's home page, written from what ran: the study's headline, every category of the
report's menu and every setting that shaped the numbers.

The categories are declared here once; the rules file their outputs under ``CATEGORY.<key>``
(workflow/rules/common.smk imports it), so the menu and this page cannot disagree. Snakemake
reads the page (``report:`` in the Snakefile) when it builds the report, and renders it with
Jinja first: the category list is a Jinja loop over the menu's categories, so a category with no
result this run is not listed and one missing here is still named; every other part is passed
through verbatim. No TensorFlow and no pandas here: the Snakefile imports this module.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

from .settings import corpus_note, lstm_note


class Category(NamedTuple):
    key: str  # what the rules write: category=CATEGORY.models
    name: str  # what the report's menu shows; the number orders the menu
    about: str  # one line on the home page


CATEGORIES = (
    Category(
        "headline",
        "0. Headline",
        "the result beyond the paper in one sentence: the F1 each model loses when a user's "
        "posts cannot be on both sides of a split, and what the folds leak.",
    ),
    Category(
        "collection",
        "1. Collection",
        "hashtag discovery, the labelled corpus and the pictures read.",
    ),
    Category(
        "preprocessing",
        "2. Preprocessing",
        "posts left after each of steps 1-5, and the variants run or not run.",
    ),
    Category(
        "models",
        "3. Models",
        "Table 1 beside the paper, the extended Table 1 and the protocol gap, F1 per language, "
        "leakage, what the pictures add, ROC/PR curves, confusion matrices, learning curves.",
    ),
    Category(
        "characterization",
        "4. Characterization",
        "Table 2, the text analysis of dealer posts, the image annotation, messaging apps.",
    ),
    Category(
        "accounts",
        "5. Accounts",
        "accounts scored from out-of-fold posts, operations (accounts sharing a contact or an "
        "ad) and their ranking.",
    ),
)
# The names by key, for the rules: a misspelt key fails when the Snakefile is parsed.
CATEGORY = SimpleNamespace(**{c.key: c.name for c in CATEGORIES})

# Config keys the page leaves out, and why: none changes a number.
NOT_SHOWN = {
    "collection.pseudonym_salt": "a secret, refused in a config file",
    "collection.salt_file": "where the secret salt is kept",
    "collection.annotation_dir": "where the coder sheets are kept",
    "collection.instagram.session_file": "the collector's login",
    "collection.instagram.username": "the collector's login",
    "collection.instagram.checkpoint_dir": "where an interrupted collection resumes",
    "collection.instagram.request_pause": "how fast the collector asks",
    "pictures.cache_dir": "where OCR results are kept",
    "preprocessing.strict": "stops a study with an unusable variant; changes no number",
    "models.lstm.threads": "cores per job",
    "cv.folds_per_job": "how folds are grouped into jobs",
}

# Section of the settings list per top-level config key, in the config's order. A key not named
# here is still listed, under its own name.
SECTIONS = {
    "seed": "Seed",
    "collection": "Collection",
    "drugs": "Drug lexicon",
    "privacy": "Contact details",
    "pictures": "Pictures",
    "operations": "Operations",
    "annotation": "Annotation",
    "preprocessing": "Preprocessing",
    "models": "Models",
    "cv": "Cross-validation",
    "reporting": "Reporting",
}
SOURCES = ("simulated", "instagram", "file")


def settings(config: dict, summary: dict | None = None) -> list[tuple[str, str, str]]:
    """(section, config key, text in rst) for every setting that shaped the numbers.

    A setting is left out where changing it reruns no job of the study (the page is written
    again only when one of its inputs is): the settings of a source or model not run, the
    annotation loop's when every post is labelled, and the keys in ``NOT_SHOWN``."""
    models = list(config.get("models", {}).get("run", [])) + list(
        config.get("models", {}).get("baselines", [])
    )
    lstm = "lstm" in models
    pictures = bool(config.get("pictures", {}).get("enabled", True))
    rows = []
    for key, value in config.items():
        section = SECTIONS.get(key, key)
        if key == "drugs":
            rows.append((section, key, _lexicon(value)))
        elif key == "collection":
            source = value.get("source")
            inactive = {s for s in SOURCES if s != source}
            rows.append((section, key, _pairs(value, key, skip=inactive)))
        elif key == "annotation":
            rows.append((section, key, _annotation(value, summary)))
        elif key == "pictures":
            skip = set() if pictures and lstm else {"lstm"}
            rows.append((section, key, _pairs(value, key, skip=skip)))
        elif key == "models":
            rows.append((section, key, _models(value, models)))
        elif key == "cv":
            skip = set() if lstm else {"validation_split"}
            rows.append((section, key, _pairs(value, key, skip=skip)))
        elif isinstance(value, dict):
            rows.append((section, key, _pairs(value, key)))
        else:
            rows.append((section, key, _esc(_fmt(value))))
    return rows


def _pairs(values: dict, prefix: str, skip=()) -> str:
    """``key`` value; ... for each leaf (nested keys dotted), less ``skip`` and ``NOT_SHOWN``."""
    parts = []
    for k, v in values.items():
        dotted = f"{prefix}.{k}"
        if k in skip or dotted in NOT_SHOWN:
            continue
        if isinstance(v, dict) and v:
            inner = _pairs(v, dotted)
            if inner:
                parts.append(inner)
        else:
            parts.append(f"{_lit(dotted.split('.', 1)[1])} {_esc(_fmt(v))}")
    return "; ".join(parts)


def _lexicon(drugs: dict) -> str:
    terms = sum(len(d.get("names", [])) + len(d.get("slang", [])) for d in drugs.values())
    nots = sum(len(d.get("not", [])) for d in drugs.values())
    families = ", ".join(drugs)
    return _esc(
        f"{len(drugs)} families ({families}); {terms} names and slang terms, {nots} exclusions"
    )


def _annotation(values: dict, summary: dict | None) -> str:
    unlabelled = values.get("unlabelled")
    chosen = ((summary or {}).get("labelling") or {}).get("chosen")
    how = f" ({_esc(chosen)})" if chosen else ""
    if unlabelled == "leave_out":
        return _pairs(values, "annotation") + how
    # The loop's settings reach no job of a fully labelled study: they shaped no number.
    return (
        f"{_lit('unlabelled')} {_esc(_fmt(unlabelled))}{how}; the annotation loop "
        f"({_lit('strategy')}, {_lit('batch')}) chose none of this study's labels"
    )


def _models(values: dict, models: list[str]) -> str:
    parts = [
        f"{_lit('run')} {_esc(_fmt(values.get('run', [])))}",
        f"{_lit('baselines')} {_esc(_fmt(values.get('baselines', [])))}",
    ]
    for name in models:
        own = values.get(name) or {}
        if name == "lstm":
            lstm = {k: v for k, v in own.items() if f"models.lstm.{k}" not in NOT_SHOWN}
            parts.append(md_to_rst(lstm_note(lstm)).rstrip("."))
        elif own:
            parts.append(_pairs({name: own}, "models"))
        else:
            parts.append(f"{_lit(name)} defaults")
    return "; ".join(parts)


def _fmt(value) -> str:
    """A value as config.yaml writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v) for v in value) if value else "none"
    if isinstance(value, dict):
        return "defaults" if not value else json.dumps(value)
    return str(value)


def _lit(text: str) -> str:
    return f"``{text}``"


def _esc(text: str) -> str:
    """Plain text for rst: no character of it starts markup (emphasis, a reference, a
    substitution)."""
    return re.sub(r"([\\`*|_])", r"\\\1", str(text))


def md_to_rst(text: str) -> str:
    """The Markdown of the tables' notes (bold, inline code) as rst. rst cannot nest markup, so
    code inside bold loses its backticks."""
    out = []
    for part in re.split(r"(\*\*.+?\*\*|`[^`\n]+`)", text, flags=re.S):
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            out.append("**" + _esc(part[2:-2].replace("`", "")) + "**")
        elif part.startswith("`") and part.endswith("`") and len(part) > 2:
            out.append(_lit(part[1:-1]))
        else:
            out.append(_esc(part))
    return "".join(out)


def headline_paragraphs(headline_md: str) -> list[str]:
    """The headline's paragraphs (in Markdown) less its note on what ran, which the settings
    list says in full."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", headline_md) if p.strip()]
    return [p for p in paragraphs if not p.startswith("Corpus: ")]


def _raw(text: str) -> str:
    """Text Jinja passes through as it is (Snakemake renders the page with Jinja). Jinja drops
    the newline after a block tag (trim_blocks), hence the one added after ``endraw``."""
    return "{% raw %}" + text.replace("{% endraw", "{ % endraw") + "{% endraw %}\n"


def _title(text: str) -> str:
    return f"{text}\n{'-' * len(text)}\n\n"


def _category_list() -> str:
    """Jinja over the menu's categories (``categories``, which Snakemake passes to the page):
    each as a link to it, with its line from ``CATEGORIES``, then any category not declared
    there. Each block tag stands on its own line, which Jinja drops."""
    known = [c.name for c in CATEGORIES]
    lines = ['{% set menu = categories|map(attribute="name")|list %}']
    for c in CATEGORIES:
        lines += [f"{{% if {json.dumps(c.name)} in menu %}}", f"- `{c.name}`_: {_esc(c.about)}"]
        lines += ["{% endif %}"]
    lines += [f"{{% for name in menu|sort if name not in {json.dumps(known)} %}}"]
    lines += ["- `{{ name }}`_", "{% endfor %}"]
    return "\n".join(lines) + "\n"


def home_page(
    config: dict,
    intro: str = "",
    headline_md: str | None = None,
    summary: dict | None = None,
) -> str:
    """The home page: ``intro`` (rst), the corpus, the headline, the categories and the
    settings, as the rst (with Jinja) that the ``report:`` directive names."""
    summary = summary or {}
    source = config.get("collection", {}).get("source", "")
    top = intro.strip() + "\n\n" if intro.strip() else ""
    top += _esc(corpus_note(source, summary.get("posts"), summary.get("dealer_posts"))) + "\n\n"
    if headline_md:
        top += _title("Headline")
        top += "".join(md_to_rst(p) + "\n\n" for p in headline_paragraphs(headline_md))
    top += _title("Categories") + "The report's menu (each opens its results):\n\n"
    rows = [row for row in settings(config, summary) if row[2]]
    body = "\n" + _title("Settings")
    body += (
        "Every setting that shaped the numbers, by its key in config.yaml (the schema's "
        "defaults filled in):\n\n"
    )
    body += "".join(f"- **{section}** ({_lit(key)}): {text}.\n" for section, key, text in rows)
    return _raw(top) + _category_list() + _raw(body)


def write_home(out, config: dict, intro=None, headline=None, summary=None, log=None) -> Path:
    """The ``report_home`` job: the page from the config and the files the study wrote."""

    def read(path):
        return Path(path).read_text(encoding="utf-8") if path else None

    page = home_page(
        config,
        intro=read(intro) or "",
        headline_md=read(headline),
        summary=json.loads(read(summary)) if summary else None,
    )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    if log:
        Path(log).parent.mkdir(parents=True, exist_ok=True)
        Path(log).write_text(f"{out}: {len(settings(config))} settings sections\n")
    return out


__all__ = [
    "CATEGORIES",
    "CATEGORY",
    "NOT_SHOWN",
    "Category",
    "headline_paragraphs",
    "home_page",
    "md_to_rst",
    "settings",
    "write_home",
]
