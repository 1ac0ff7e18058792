# Helpers and config validation. No TensorFlow here: the Snakefile must parse without it.
from pathlib import Path

from snakemake.utils import validate

from dealerdetect.study import registry
from dealerdetect.preprocessing.variant_status import usable

# The report's categories, declared once with the home page that lists them: rules write
# category=CATEGORY.<key>, never the name itself.
from dealerdetect.reporting.home import CATEGORY, write_home

# The schema and what it cannot say (duplicate keys, 3.0 for an int, real dates, estimator
# arguments, paths inside the study's outputs), before Snakemake's validate(): its message would
# echo a secret's value. validate() then fills in the schema's defaults.
from dealerdetect.study.configcheck import check_config, public_settings

check_config(
    config, workflow.configfiles, workflow.source_path("../schemas/config.schema.yaml")
)
validate(config, schema="../schemas/config.schema.yaml")

# Pictures are read (OCR, perceptual hashes) unless pictures.enabled is false.
PICTURES = config["pictures"]["enabled"]
# The variants preprocessing writes (preprocessing.variants); those it finds usable are run.
# With pictures off, the variants that read them are not run.
VARIANTS = [
    v
    for v in registry.VARIANT_NAMES
    if v in config["preprocessing"]["variants"]
    and (PICTURES or v not in registry.PICTURE_VARIANTS)
]
SOURCE = config["collection"]["source"]
RAW = f"data/raw/{SOURCE}"
# The simulated world's coders fill their sheets while it is collected.
SIMULATED_SHEETS = (
    [
        f"{RAW}/annotation/{n}.csv"
        for n in ("annotator_a", "annotator_b", "adjudication")
    ]
    if SOURCE == "simulated"
    else []
)
FOLDS = list(range(config["cv"]["folds"]))
# Folds run together in one evaluation job (cv.folds_per_job; null = all of them).
PER_JOB = config["cv"].get("folds_per_job") or len(FOLDS)
PARTS = list(range(-(-len(FOLDS) // PER_JOB)))
PROTOCOLS = config["cv"]["protocols"]
# Operations are scored under folds grouped by operation when that protocol runs, else by user.
OPERATION_PROTOCOL = "operation" if "operation" in PROTOCOLS else "grouped"


# Collection needs the session and network of the submitting host; reporting is light.
localrules:
    collect_posts,
    table1,
    table1_extended,
    table2,
    characterization,
    image_annotation,
    picture_gain,
    figure_roc_pr,
    figure_confusion,
    figure_learning_curves,
    figure_table1_bars,
    figure_table2_bars,
    figure_app_shares,
    figure_flow,
    figure_accounts,
    figure_operations,
    headline,
    report_home,


wildcard_constraints:
    variant="|".join(VARIANTS),
    protocol="|".join(registry.PROTOCOLS),
    part=r"\d+",
    classic="|".join(m for m in registry.CLASSIC_MODELS if m in registry.PAPER_MODELS),
    model="|".join(registry.MODEL_NAMES),
    baseline="|".join(registry.BASELINE_MODELS),


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
        return SIMULATED_SHEETS  # written by collect_posts together with the posts
    return [
        f"{annotation_dir()}/{n}" for n in names if Path(annotation_dir(), n).exists()
    ]


def coder_sheets(wildcards):
    """The two coders' sheets (real data only; the simulated coders adjudicate themselves)."""
    sheets = [f"{annotation_dir()}/annotator_{c}.csv" for c in ("a", "b")]
    if SOURCE == "simulated" or not all(Path(p).exists() for p in sheets):
        return []
    return sheets


def adjudicated_sheet(wildcards):
    """The meeting's decisions so far (adjudication.csv), if the file exists."""
    path = Path(annotation_dir(), "adjudication.csv")
    return [str(path)] if path.exists() else []


def adjudication_input(wildcards):
    """The disagreements sheet, written before labelling whenever two coders' sheets exist."""
    if not coder_sheets(wildcards):
        return []
    return [rules.adjudication_sheet.output.sheet]


def models_run():
    """The paper's models to evaluate, then the extra baselines (listed apart in the tables)."""
    return config["models"]["run"] + config["models"]["baselines"]


# Jobs get only the config keys they read, through these get_* helpers (as rna-seq-star-deseq2
# does). Snakemake reruns a job whose params changed, so a wider slice reruns needless jobs.
def get_model_settings(model):
    """``models.<model>``: the one model's own settings (estimator arguments, LSTM sizes), less
    the LSTM's ``threads``: how many cores a job uses changes no result, so it reruns nothing
    (it reaches the job as its ``threads``)."""
    return {k: v for k, v in config["models"].get(model, {}).items() if k != "threads"}


def get_collection_settings():
    """``collection`` less its secrets, the annotation folder (which labelling reads) and the
    settings of the sources not in use: a file path edited while the study runs the simulated
    source reruns nothing."""
    sources = ("simulated", "instagram", "file")
    return {
        k: v
        for k, v in public_settings(config["collection"]).items()
        if k != "annotation_dir" and (k not in sources or k == SOURCE)
    }


def get_picture_settings():
    """``pictures`` less ``phash_distance`` (read by the operations and leakage jobs), for the
    job that reads the pictures."""
    return {
        k: v
        for k, v in config["pictures"].items()
        if k not in ("phash_distance", "lstm")
    }


def get_preprocessing_settings():
    """``preprocessing`` less ``strict``, which the workflow applies after the checkpoint (for
    preprocess, and for the final models, which save these settings in their meta.json).
    """
    return {k: v for k, v in config["preprocessing"].items() if k != "strict"}


def get_validation_split(model):
    """``cv.validation_split`` for the LSTM (its 70/30 split); nothing for other models."""
    return (
        config["cv"]["validation_split"]
        if registry.model(model).kind == "lstm"
        else None
    )


def get_lstm_settings():
    """``models.lstm`` (less ``threads``) when the LSTM runs (its preset is named in the
    notes), else None."""
    return get_model_settings("lstm") if "lstm" in models_run() else None


def get_part_folds(wildcards):
    """The folds one evaluation job runs: part k holds folds k*folds_per_job onwards."""
    part = int(wildcards.part)
    return FOLDS[part * PER_JOB : (part + 1) * PER_JOB]


def get_next_batch_settings():
    """``annotation`` less ``unlabelled`` (which label_corpus reads, not the loop)."""
    return {k: v for k, v in config["annotation"].items() if k != "unlabelled"}


# Runs when the DAG is built, before Snakemake removes old outputs: a next_batch.csv with
# labels filled in, or one the study did not write (its sha256 is in next_batch.json), stops.
def next_batch_guard(wildcards):
    from dealerdetect.annotation.active import check_next_batch

    check_next_batch(f"data/annotation/{SOURCE}")
    return []


def get_loop_settings():
    """``annotation`` (less ``unlabelled``) for the report's note on how posts were chosen, when
    the study runs on a labelled part (``annotation.unlabelled: leave_out``); else None, so
    the loop's settings rerun nothing of a fully labelled study."""
    if config["annotation"]["unlabelled"] != "leave_out":
        return None
    return get_next_batch_settings()


def usable_variants():
    """The variants the checkpoint found usable (the others are reported as not run); with
    preprocessing.strict an unusable one stops the study here, not in preprocess, whose params
    leave strict out so that flipping it reruns nothing."""
    out = checkpoints.preprocess.get().output
    strict = config["preprocessing"]["strict"]
    return usable(out.status, strict=strict, flow_path=out.flow)


def runs(variant):
    """The models evaluated on one variant: every model, but on the picture variants the LSTM
    (its third branch costs as much as the with_hashtags LSTM) only with pictures.lstm.
    """
    if variant in registry.PICTURE_VARIANTS and not config["pictures"]["lstm"]:
        return [m for m in models_run() if registry.model(m).kind != "lstm"]
    return models_run()


def fold_infos(wildcards):
    """Every evaluation job's info file of one protocol: models x usable variants x parts."""
    return [
        f"results/cv/{wildcards.protocol}/{v}/{m}/part{p}.json"
        for v in usable_variants()
        for m in runs(v)
        for p in PARTS
    ]


def fold_oofs(wildcards):
    """The out-of-fold rows of the same jobs, in the same order as :func:`fold_infos`."""
    return [p.removesuffix(".json") + ".parquet" for p in fold_infos(wildcards)]


def all_outputs(wildcards):
    """Everything a study run produces: corpus, preprocessing, tables, figures, final models
    (per-variant figures and models for the usable variants only)."""
    tables = [
        "table1",
        "table1_extended",
        "table2",
        "characterization",
        "image_annotation",
    ]
    if PICTURES:
        tables.append("picture_gain")
    run = usable_variants()
    # Learning curves are the LSTM's: only for the variants it runs on.
    figures = [
        f"results/figures/{k}_{v}.{ext}"
        for v in run
        for k in ["roc_pr", "confusion"]
        + (["learning_curves"] if "lstm" in runs(v) else [])
        for ext in ["png", "svg"]
    ]
    return (
        ["results/corpus/summary.json", "results/preprocess/flow.csv"]
        + expand("results/tables/{t}.{ext}", t=tables, ext=["csv", "md"])
        + figures
        + [f"results/models/{v}/{m}" for v in run for m in runs(v)]
        + expand(
            "results/figures/{k}.{ext}",
            k=["table1_bars", "table2_bars", "app_shares", "flow"],
            ext=["png", "svg"],
        )
        + ["results/tables/headline.md", "results/report/home.rst"]
        + (
            [
                "results/tables/accounts.csv",
                "results/accounts/ranked.csv",
                "results/figures/accounts.png",
            ]
            if "grouped" in PROTOCOLS
            else []
        )
        + [
            "results/accounts/operations.csv",
            "results/tables/leakage.csv",
            "results/figures/operations.png",
        ]
        + (
            ["results/tables/operation_ranking.csv"]
            if {"grouped", "operation"} & set(PROTOCOLS)
            else []
        )
    )
