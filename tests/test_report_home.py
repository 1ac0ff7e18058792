"""The report's home page is written from what ran: every category of the report's menu, every
setting that shaped the numbers, the study's headline."""

import copy
import html
import json
import re
import textwrap
from collections import namedtuple
from pathlib import Path

import pytest
import yaml
from workflow_helpers import ROOT, snakemake

from dealerdetect.reporting.home import (
    CATEGORIES,
    CATEGORY,
    NOT_SHOWN,
    headline_paragraphs,
    home_page,
    md_to_rst,
)
from dealerdetect.reporting.settings import lstm_note

SOURCES = ("simulated", "instagram", "file")
HEADLINE = (
    "**When a user's posts cannot be on both sides of a split (folds grouped by user), F1 drops "
    "by DT 1.0 to 2.0; SVM 3.1 points (CIs in protocol_gap.csv).**\n"
    "**Of the dealer posts tested (with_hashtags), this share has a near-identical post in the "
    "training folds: `paper` 30%, `grouped` 4%. Add `operation` to `cv.protocols`.**\n\n"
    "Corpus: simulated, 382 posts (37 dealer posts). Protocols run: paper, grouped.\n\n"
    "No fold ended at the class prior.\n"
)


def merged(*configs: dict) -> dict:
    """Later configs over earlier ones, nested keys merged (as Snakemake merges config files)."""
    out: dict = {}
    for cfg in configs:
        stack = [(out, cfg)]
        while stack:
            into, new = stack.pop()
            for k, v in new.items():
                if isinstance(v, dict) and isinstance(into.get(k), dict):
                    stack.append((into[k], v))
                else:
                    into[k] = copy.deepcopy(v)
    return out


def default_config() -> dict:
    return yaml.safe_load((ROOT / "config.yaml").read_text())


def tiny_config() -> dict:
    return merged(default_config(), yaml.safe_load((ROOT / "tests/config/tiny.yaml").read_text()))


def as_written(value) -> str:
    """A config value as the page writes it: as config.yaml spells it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return ", ".join(as_written(v) for v in value) or "none"
    if value == {}:
        return "defaults"
    return str(value)


def leaves(node, prefix=""):
    for k, v in node.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict) and v:
            yield from leaves(v, key)
        else:
            yield key, v


def expected_phrases(cfg: dict) -> list[str]:
    """What the page must say of ``cfg``: ``key value`` (the key below its section) for every
    setting a job of the study reads, the lexicon's families, the LSTM against Figure 2."""
    models = cfg["models"]["run"] + cfg["models"]["baselines"]
    phrases = [f"{len(cfg['drugs'])} families", *cfg["drugs"]]
    if "lstm" in models:
        lstm = {k: v for k, v in cfg["models"]["lstm"].items() if k != "threads"}
        phrases.append(lstm_note(lstm).replace("`", "").rstrip("."))
    for key, value in leaves(cfg):
        section, _, rest = key.partition(".")
        parts = key.split(".")
        if (
            key in NOT_SHOWN
            or section == "drugs"
            or key.startswith("models.lstm")
            or (section == "collection" and parts[1] in SOURCES and parts[1] != cfg[section]["source"])
            or (section == "models" and parts[1] not in ("run", "baselines", *models))
            or (section == "annotation" and rest != "unlabelled" and cfg[section]["unlabelled"] != "leave_out")
            or (key == "pictures.lstm" and "lstm" not in models)
            or (key == "cv.validation_split" and "lstm" not in models)
        ):  # fmt: skip
            continue
        phrases.append(
            f"{rest} {as_written(value)}" if rest else f"{section}): {as_written(value)}"
        )
    return phrases


def text_of(page_html: str) -> str:
    """The words a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page_html)))


Cat = namedtuple("Cat", "name")


def render(page: str, menu: list[str], config: dict) -> str:
    """The page as Snakemake 9 renders the ``report:`` text: Jinja (its settings, its context
    and its link targets for the categories), then docutils."""
    from docutils.core import publish_parts
    from jinja2 import Environment

    links = textwrap.dedent("""

    .. _Workflow: javascript:show_panel('workflow')
    {% for cat, catresults in categories|dictsort %}
    .. _{{ cat.name }}: javascript:app.showCategory('{{ cat.name|urlencode }}')
    {% endfor %}
    """)
    env = Environment(trim_blocks=True, lstrip_blocks=True)
    snakemake = type("Snakemake", (), {"config": config})
    rst = env.from_string(page + links).render(
        snakemake=snakemake, categories={Cat(n): {"": ["x"]} for n in menu}, files=[]
    )
    return publish_parts(rst, writer="html")["html_body"]


def test_every_rule_files_its_report_outputs_under_a_declared_category():
    text = "\n".join(p.read_text() for p in sorted((ROOT / "workflow/rules").glob("*.smk")))
    used = re.findall(r"^\s+category=([^,\n]+)", text, re.M)
    assert used and all(re.fullmatch(r"CATEGORY\.\w+", u) for u in used), set(used)
    assert {u.split(".")[1] for u in used} == {c.key for c in CATEGORIES}
    assert [c.name for c in CATEGORIES] == sorted(c.name for c in CATEGORIES)  # menu order
    assert CATEGORY.headline == "0. Headline"


def test_the_home_page_of_the_default_study_names_every_category_and_setting():
    cfg = default_config()
    summary = {"posts": 12857, "dealer_posts": 1228}
    page = home_page(cfg, intro="Rerun of *the paper*.", headline_md=HEADLINE, summary=summary)
    out = render(page, [c.name for c in CATEGORIES], cfg)
    assert "System Message" not in out and "problematic" not in out, out
    text = text_of(out)
    for c in CATEGORIES:
        assert f"showCategory('{c.name.replace(' ', '%20')}')\">{c.name}</a>" in out
        assert f"{c.name}: {c.about}" in text
    missing = [p for p in expected_phrases(cfg) if p not in text]
    assert not missing, f"the home page does not say {missing}\n{text}"
    # The annotation loop chose no post of a fully labelled study: its strategy shaped nothing.
    assert "unlabelled error" in text and "strategy diverse" not in text
    assert "12,857 posts (1,228 dealer posts)" in text and "not the paper" in text
    assert "F1 drops by DT 1.0 to 2.0; SVM 3.1 points" in text
    assert "training folds: paper 30%, grouped 4%" in text
    assert "No fold ended at the class prior." in text
    assert "Protocols run:" not in text  # the headline's note on what ran: the settings say it


def test_the_category_list_follows_the_menu():
    cfg = default_config()
    menu = [CATEGORY.headline, CATEGORY.models, "Other"]
    text = text_of(render(home_page(cfg), menu, cfg))
    assert "0. Headline:" in text and "3. Models:" in text and "Other" in text
    assert CATEGORY.accounts not in text


def test_settings_that_reach_no_job_are_left_out_and_those_that_do_are_named():
    cfg = merged(
        default_config(),
        {
            "collection": {"source": "file", "file": {"path": "posts.jsonl"}},
            "models": {"run": ["svm"], "baselines": []},
            "annotation": {"unlabelled": "leave_out", "strategy": "random"},
        },
    )
    text = text_of(render(home_page(cfg), [], cfg))
    assert not [p for p in expected_phrases(cfg) if p not in text]
    assert "file.path posts.jsonl" in text and "simulated.scale" not in text
    assert "strategy random" in text and "batch 200" in text
    assert "LSTM preset" not in text and "validation_split" not in text
    assert "random_forest" not in text and "salt_file" not in text


def test_every_key_left_out_is_a_config_key():
    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text())
    for key in NOT_SHOWN:
        node = schema
        for part in key.split("."):
            node = node["properties"][part]


def test_markdown_notes_become_rst_and_the_what_ran_note_is_dropped():
    assert md_to_rst("`paper` 30%, **a `b` c_** d_ |x|") == r"``paper`` 30%, **a b c\_** d\_ \|x\|"
    assert headline_paragraphs(HEADLINE)[-1] == "No fold ended at the class prior."
    assert not any(p.startswith("Corpus:") for p in headline_paragraphs(HEADLINE))
    # Snakemake renders the page with Jinja: text from the study is passed through as it is.
    cfg = default_config()
    text = text_of(render(home_page(cfg, intro="{{ x }} {% endraw %} y"), [], cfg))
    assert "{{ x }}" in text and "endraw %} y" in text


def report_parts(report: Path) -> tuple[dict, str]:
    """The report's menu (category -> subcategory -> files) and its home page (HTML)."""
    page = report.read_text(encoding="utf-8")
    menu = json.loads(re.search(r"^\s*var categories = (.*);\s*$", page, re.M).group(1))
    home = json.loads(re.search(r"^\s*var workflow_desc = (.*);\s*$", page, re.M).group(1))
    return menu, home


@pytest.mark.slow
def test_the_report_of_the_tiny_study_names_every_category_setting_and_the_headline(
    tiny_run, tmp_path
):
    report = tmp_path / "report.html"
    snakemake(
        tiny_run, "--configfile", str(ROOT / "tests/config/tiny.yaml"), "--report", str(report)
    )
    menu, home = report_parts(report)
    text = text_of(home)
    # Every category of the menu is on the page, as a link to it; the study fills all of them.
    for name in menu:
        assert f">{name}</a>" in home, name
    assert set(menu) == {c.name for c in CATEGORIES}
    cfg = tiny_config()
    missing = [p for p in expected_phrases(cfg) if p not in text]
    assert not missing, f"the home page does not say {missing}\n{text}"
    for said in ("seed): 7", "scale 0.03", "folds 3", "n_estimators 20", "baselines none"):
        assert said in text
    md = (tiny_run / "results/tables/headline.md").read_text(encoding="utf-8")
    sentence = re.search(r"\*\*(.+?)\*\*", md, re.S).group(1).replace("`", "")
    assert re.sub(r"\s+", " ", sentence) in text
    summary = json.loads((tiny_run / "results/corpus/summary.json").read_text())
    assert f"{summary['posts']:,} posts ({summary['dealer_posts']:,} dealer posts)" in text
