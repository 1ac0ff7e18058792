# Final models: each model trained on every labelled post of a variant, for scoring new posts.


rule final_model:
    input:
        variant="results/preprocess/{variant}.parquet",
        vocabulary=rules.preprocess.output.vocabulary,
    output:
        directory("results/models/{variant}/{model}"),
    log:
        "logs/final_model/{variant}/{model}.log",
    benchmark:
        "benchmarks/final_model/{variant}/{model}.tsv"
    # After the folds and the LSTM evaluations, before the short classical ones that fill the end.
    priority: 5
    conda:
        "../../environment.yml"
    threads: 1
    params:
        settings=lambda wc: get_model_settings(wc.model),
        validation_split=lambda wc: get_validation_split(wc.model),
        # Saved with the model: new posts are prepared and labelled as in the study.
        preprocessing=get_preprocessing_settings(),
        threshold=config["cv"]["threshold"],
        source=SOURCE,
        seed=config["seed"],
        phone_regions=config["privacy"]["phone_regions"],
    script:
        "../scripts/final_model.py"
