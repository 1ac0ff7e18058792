# Results: Table 1 and Table 2 beside the paper's numbers.


rule table1:
    input:
        scores="results/cv/paper/scores.csv",
    output:
        csv="results/tables/table1.csv",
        md="results/tables/table1.md",
    log:
        "logs/table1.log",
    conda:
        "../../environment.yml"
    params:
        source=SOURCE,
    script:
        "../scripts/table1.py"


rule table2:
    input:
        corpus=rules.label_corpus.output.corpus,
    output:
        csv="results/tables/table2.csv",
        md="results/tables/table2.md",
    log:
        "logs/table2.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/table2.py"
