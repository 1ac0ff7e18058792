# Data Processing Phase, steps 1-5, and the cross-validation folds shared by every model.
# A checkpoint: which variants can be cross-validated is known only once the posts are cleaned,
# so the jobs after it are planned from its status table.


checkpoint preprocess:
    input:
        corpus=rules.label_corpus.output.corpus,
    output:
        variants=expand("results/preprocess/{variant}.parquet", variant=VARIANTS),
        vocabulary="results/preprocess/vocabulary.json",
        flow=report(
            "results/preprocess/flow.csv",
            caption="../report/flow_csv.rst",
            category="2. Preprocessing",
        ),
        dropped="results/preprocess/dropped.csv",
        status=report(
            "results/preprocess/variants.csv",
            caption="../report/variants.rst",
            category="2. Preprocessing",
        ),
    log:
        "logs/preprocess.log",
    benchmark:
        "benchmarks/preprocess.tsv"
    conda:
        "../../environment.yml"
    params:
        settings=config["preprocessing"],
        folds=config["cv"]["folds"],
    script:
        "../scripts/preprocess.py"


rule make_folds:
    input:
        variant="results/preprocess/{variant}.parquet",
        # The operation protocol groups folds by operation (rule operations).
        members=lambda wc: (
            ["results/accounts/members.csv"] if wc.protocol == "operation" else []
        ),
    output:
        folds="results/cv/{protocol}/{variant}/folds.csv",
    log:
        "logs/make_folds/{protocol}_{variant}.log",
    benchmark:
        "benchmarks/make_folds/{protocol}_{variant}.tsv"
    # The folds gate the LSTM jobs, the longest: a fold file made late started its LSTM job
    # late and left one core idle at the end (measured, docs/performance.md).
    priority: 20
    conda:
        "../../environment.yml"
    params:
        folds=config["cv"]["folds"],
        seed=config["seed"],
    script:
        "../scripts/make_folds.py"
