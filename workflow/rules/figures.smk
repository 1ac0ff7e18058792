# Figures for the report: every PNG is wrapped with report() and a caption.


# Each figure job's inputs are exactly the files it reads.
rule figure_roc_pr:
    input:
        oof="results/cv/paper/oof.parquet",
        table1=rules.table1.output.csv,
    output:
        png=report(
            "results/figures/roc_pr_{variant}.png",
            caption="../report/roc_pr.rst",
            category=CATEGORY.models,
            subcategory="{variant}",
        ),
        svg="results/figures/roc_pr_{variant}.svg",
    log:
        "logs/figures/roc_pr_{variant}.log",
    benchmark:
        "benchmarks/figures/roc_pr_{variant}.tsv"
    conda:
        "../../environment.yml"
    params:
        kind="roc_pr",
    script:
        "../scripts/figure.py"


use rule figure_roc_pr as figure_confusion with:
    input:
        oof="results/cv/paper/oof.parquet",
    output:
        png=report(
            "results/figures/confusion_{variant}.png",
            caption="../report/confusion.rst",
            category=CATEGORY.models,
            subcategory="{variant}",
        ),
        svg="results/figures/confusion_{variant}.svg",
    log:
        "logs/figures/confusion_{variant}.log",
    benchmark:
        "benchmarks/figures/confusion_{variant}.tsv"
    params:
        kind="confusion",


use rule figure_roc_pr as figure_learning_curves with:
    input:
        history="results/cv/paper/lstm_history.csv",
    output:
        png=report(
            "results/figures/learning_curves_{variant}.png",
            caption="../report/learning_curves.rst",
            category=CATEGORY.models,
            subcategory="{variant}",
        ),
        svg="results/figures/learning_curves_{variant}.svg",
    log:
        "logs/figures/learning_curves_{variant}.log",
    benchmark:
        "benchmarks/figures/learning_curves_{variant}.tsv"
    params:
        kind="learning_curves",


rule figure_table1_bars:
    input:
        table1=rules.table1.output.csv,
    output:
        png=report(
            "results/figures/table1_bars.png",
            caption="../report/table1_bars.rst",
            category=CATEGORY.models,
        ),
        svg="results/figures/table1_bars.svg",
    log:
        "logs/figures/table1_bars.log",
    benchmark:
        "benchmarks/figures/table1_bars.tsv"
    conda:
        "../../environment.yml"
    params:
        kind="table1_bars",
    script:
        "../scripts/figure.py"


rule figure_table2_bars:
    input:
        table2=rules.table2.output.csv,
    output:
        png=report(
            "results/figures/table2_bars.png",
            caption="../report/table2_bars.rst",
            category=CATEGORY.characterization,
        ),
        svg="results/figures/table2_bars.svg",
    log:
        "logs/figures/table2_bars.log",
    benchmark:
        "benchmarks/figures/table2_bars.tsv"
    conda:
        "../../environment.yml"
    params:
        kind="table2_bars",
    script:
        "../scripts/figure.py"


rule figure_app_shares:
    input:
        characterization=rules.characterization.output.csv,
    output:
        png=report(
            "results/figures/app_shares.png",
            caption="../report/app_shares.rst",
            category=CATEGORY.characterization,
        ),
        svg="results/figures/app_shares.svg",
    log:
        "logs/figures/app_shares.log",
    benchmark:
        "benchmarks/figures/app_shares.tsv"
    conda:
        "../../environment.yml"
    params:
        kind="app_shares",
    script:
        "../scripts/figure.py"


rule figure_flow:
    input:
        flow=rules.preprocess.output.flow,
    output:
        png=report(
            "results/figures/flow.png",
            caption="../report/flow.rst",
            category=CATEGORY.preprocessing,
        ),
        svg="results/figures/flow.svg",
    log:
        "logs/figures/flow.log",
    benchmark:
        "benchmarks/figures/flow.tsv"
    conda:
        "../../environment.yml"
    params:
        kind="flow",
    script:
        "../scripts/figure.py"


rule figure_accounts:
    input:
        accounts=rules.accounts.output.csv,
    output:
        png=report(
            "results/figures/accounts.png",
            caption="../report/accounts_figure.rst",
            category=CATEGORY.accounts,
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


rule figure_operations:
    input:
        operations=rules.operations.output.operations,
    output:
        png=report(
            "results/figures/operations.png",
            caption="../report/operations_figure.rst",
            category=CATEGORY.accounts,
        ),
        svg="results/figures/operations.svg",
    log:
        "logs/figures/operations.log",
    benchmark:
        "benchmarks/figures/operations.tsv"
    conda:
        "../../environment.yml"
    params:
        kind="operations",
    script:
        "../scripts/figure.py"
