# Helpers and config validation. No TensorFlow here: the Snakefile must parse without it.
from snakemake.utils import validate

validate(config, schema="../schemas/config.schema.yaml")

VARIANTS = ["with_hashtags", "hashtags_only", "no_hashtags"]
CLASSIC = ["decision_tree", "random_forest", "svm", "logistic_regression"]
SOURCE = config["collection"]["source"]
RAW = f"data/raw/{SOURCE}"
FOLDS = list(range(config["cv"]["folds"]))
PROTOCOLS = config["cv"]["protocols"]


wildcard_constraints:
    variant="|".join(VARIANTS),
    protocol="paper|grouped",
    fold=r"\d+",
    classic="|".join(CLASSIC),


def models_run():
    return config["models"]["run"]


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
    return [
        "results/corpus/summary.json",
        "results/preprocess/flow.csv",
        "results/tables/table1.csv",
        "results/tables/table1.md",
        "results/tables/table2.csv",
        "results/tables/table2.md",
    ]
