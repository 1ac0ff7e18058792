# Model Training and Evaluation: one job per model x variant x fold, then aggregation.


rule evaluate_classic:
    input:
        variant="results/preprocess/{variant}.parquet",
        folds="results/cv/{protocol}/{variant}/folds.csv",
    output:
        oof="results/cv/{protocol}/{variant}/{classic}/fold{fold}.parquet",
        info="results/cv/{protocol}/{variant}/{classic}/fold{fold}.json",
    log:
        "logs/evaluate/{protocol}/{variant}/{classic}/fold{fold}.log",
    conda:
        "../../environment.yml"
    threads: 1
    params:
        model=lambda wc: wc.classic,
        models=config["models"],
        cv=config["cv"],
        seed=config["seed"],
    script:
        "../scripts/evaluate_fold.py"


rule evaluate_lstm:
    input:
        variant="results/preprocess/{variant}.parquet",
        folds="results/cv/{protocol}/{variant}/folds.csv",
        vocabulary=rules.preprocess.output.vocabulary,
    output:
        oof="results/cv/{protocol}/{variant}/lstm/fold{fold}.parquet",
        info="results/cv/{protocol}/{variant}/lstm/fold{fold}.json",
        model="results/cv/{protocol}/{variant}/lstm/fold{fold}.keras",
    log:
        "logs/evaluate/{protocol}/{variant}/lstm/fold{fold}.log",
    conda:
        "../../environment.yml"
    threads: config["models"]["lstm"]["threads"]
    params:
        model="lstm",
        models=config["models"],
        cv=config["cv"],
        seed=config["seed"],
    script:
        "../scripts/evaluate_fold.py"


rule aggregate_cv:
    input:
        infos=lambda wc: fold_outputs(wc.protocol),
    output:
        scores="results/cv/{protocol}/scores.csv",
        folds="results/cv/{protocol}/fold_metrics.csv",
        oof="results/cv/{protocol}/oof.parquet",
        history="results/cv/{protocol}/lstm_history.csv",
    log:
        "logs/aggregate_cv/{protocol}.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/aggregate_cv.py"
