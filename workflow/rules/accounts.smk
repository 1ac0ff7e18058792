# Beyond the paper: accounts scored from their posts' out-of-fold scores under folds grouped by
# user (every account scored by a model that never saw it), and the report's headline.


rule accounts:
    input:
        oof="results/cv/grouped/oof.parquet",
        variants=lambda wc: expand(
            "results/preprocess/{variant}.parquet", variant=usable_variants()
        ),
        corpus=rules.label_corpus.output.corpus,
    output:
        csv=report(
            "results/tables/accounts.csv",
            caption="../report/accounts.rst",
            category="5. Accounts",
        ),
        ranked="results/accounts/ranked.csv",
    log:
        "logs/accounts.log",
    benchmark:
        "benchmarks/accounts.tsv"
    conda:
        "../../environment.yml"
    params:
        threshold=config["cv"]["threshold"],
    script:
        "../scripts/accounts.py"


rule figure_accounts:
    input:
        accounts=rules.accounts.output.csv,
    output:
        png=report(
            "results/figures/accounts.png",
            caption="../report/accounts_figure.rst",
            category="5. Accounts",
        ),
        svg="results/figures/accounts.svg",
    log:
        "logs/figures/accounts.log",
    benchmark:
        "benchmarks/figures/accounts.tsv"
    conda:
        "../../environment.yml"
    params:
        kind="accounts",
    script:
        "../scripts/figure.py"


rule headline:
    input:
        gap=rules.table1_extended.output.gap,
        summary=rules.label_corpus.output.summary,
        folds=expand("results/cv/{protocol}/fold_metrics.csv", protocol=PROTOCOLS),
    output:
        md=report(
            "results/tables/headline.md",
            caption="../report/headline.rst",
            category="0. Headline",
        ),
    log:
        "logs/headline.log",
    benchmark:
        "benchmarks/headline.tsv"
    conda:
        "../../environment.yml"
    params:
        source=SOURCE,
        protocols=PROTOCOLS,
        lstm=get_lstm_settings(),
    script:
        "../scripts/headline.py"
