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
            category=CATEGORY.preprocessing,
        ),
        dropped="results/preprocess/dropped.csv",
        status=report(
            "results/preprocess/variants.csv",
            caption="../report/variants.rst",
            category=CATEGORY.preprocessing,
        ),
    log:
        "logs/preprocess.log",
    benchmark:
        "benchmarks/preprocess.tsv"
    conda:
        "../../environment.yml"
    params:
        settings=get_preprocessing_settings(),
        folds=config["cv"]["folds"],
    script:
        "../scripts/preprocess.py"
