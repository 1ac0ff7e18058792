# Helpers and config validation. No TensorFlow here: the Snakefile must parse without it.
from pathlib import Path

from snakemake.utils import validate

validate(config, schema="../schemas/config.schema.yaml")
# What the schema cannot say (duplicate keys, 3.0 for an int, real dates, estimator arguments).
from dealerdetect.configcheck import check_config

check_config(
    config, workflow.configfiles, workflow.source_path("../schemas/config.schema.yaml")
)

VARIANTS = ["with_hashtags", "hashtags_only", "no_hashtags"]
CLASSIC = ["decision_tree", "random_forest", "svm"]
BASELINES = ["logistic_regression"]
SOURCE = config["collection"]["source"]
RAW = f"data/raw/{SOURCE}"
FOLDS = list(range(config["cv"]["folds"]))
PROTOCOLS = config["cv"]["protocols"]


# Collection needs the session and network of the submitting host; reporting is light.
localrules:
    collect_posts,
    table1,
    table1_extended,
    table2,
    characterization,
    figure_roc_pr,
    figure_confusion,
    figure_learning_curves,
    figure_table1_bars,
    figure_table2_bars,
    figure_app_shares,
    figure_flow,


wildcard_constraints:
    variant="|".join(VARIANTS),
    protocol="paper|grouped",
    fold=r"\d+",
    classic="|".join(CLASSIC),
    model="|".join(CLASSIC + BASELINES + ["lstm"]),
    baseline="|".join(BASELINES),


def annotation_dir():
    """Coder sheets: the simulated coders write theirs beside the raw data; people keep theirs
    in data/annotation/<source> unless collection.annotation_dir says otherwise."""
    if config["collection"].get("annotation_dir"):
        return config["collection"]["annotation_dir"]
    return f"{RAW}/annotation" if SOURCE == "simulated" else f"data/annotation/{SOURCE}"


def annotation_sheets(wildcards):
    """The sheets present now, so that editing one reruns the labelling and everything after."""
    names = ("annotator_a.csv", "annotator_b.csv", "adjudication.csv", "labels.csv")
    if SOURCE == "simulated":
        return []  # written by collect_posts together with the posts
    return [
        f"{annotation_dir()}/{n}" for n in names if Path(annotation_dir(), n).exists()
    ]


def models_run():
    """The paper's models to evaluate, then the extra baselines (listed apart in the tables)."""
    return config["models"]["run"] + config["models"]["baselines"]


def classic_models():
    return [m for m in models_run() if m in CLASSIC]


def fold_outputs(protocol):
    """Every fold's out-of-fold file for one protocol: models x variants x folds."""
    return expand(
        "results/cv/{protocol}/{variant}/{model}/fold{fold}.json",
        protocol=protocol,
        variant=VARIANTS,
        model=models_run(),
        fold=FOLDS,
    )


def all_outputs():
    """Everything a study run produces: corpus, preprocessing, tables, figures."""
    tables = ["table1", "table1_extended", "table2", "characterization"]
    kinds = ["roc_pr", "confusion"] + (
        ["learning_curves"] if "lstm" in models_run() else []
    )
    return (
        ["results/corpus/summary.json", "results/preprocess/flow.csv"]
        + expand("results/tables/{t}.{ext}", t=tables, ext=["csv", "md"])
        + expand(
            "results/figures/{k}_{v}.{ext}", k=kinds, v=VARIANTS, ext=["png", "svg"]
        )
        + expand("results/models/{v}/{m}", v=VARIANTS, m=models_run())
        + expand(
            "results/figures/{k}.{ext}",
            k=["table1_bars", "table2_bars", "app_shares", "flow"],
            ext=["png", "svg"],
        )
    )
