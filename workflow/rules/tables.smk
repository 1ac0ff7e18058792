# Results: Table 1 and Table 2 beside the paper's numbers, the extended Table 1, the
# characterization (Text Analysis), leakage between folds and the report's headline.


rule table1:
    input:
        scores="results/cv/paper/scores.csv",
        folds="results/cv/paper/fold_metrics.csv",
        status=rules.preprocess.output.status,
        summary=rules.label_corpus.output.summary,
    output:
        csv=report(
            "results/tables/table1.csv",
            caption="../report/table1.rst",
            category=CATEGORY.models,
        ),
        md="results/tables/table1.md",
    log:
        "logs/table1.log",
    benchmark:
        "benchmarks/table1.tsv"
    conda:
        "../../environment.yml"
    params:
        source=SOURCE,
        lstm=get_lstm_settings(),
    script:
        "../scripts/table1.py"


rule table2:
    input:
        corpus=rules.label_corpus.output.corpus,
        summary=rules.label_corpus.output.summary,
    output:
        csv=report(
            "results/tables/table2.csv",
            caption="../report/table2.rst",
            category=CATEGORY.characterization,
        ),
        md="results/tables/table2.md",
    log:
        "logs/table2.log",
    benchmark:
        "benchmarks/table2.tsv"
    conda:
        "../../environment.yml"
    params:
        source=SOURCE,
        drugs=config["drugs"],
        seeds=config["collection"]["seed_hashtags"],
        loops=config["collection"]["loops"],
    script:
        "../scripts/table2.py"


rule table1_extended:
    input:
        oof=expand("results/cv/{protocol}/oof.parquet", protocol=PROTOCOLS),
        folds=expand("results/cv/{protocol}/fold_metrics.csv", protocol=PROTOCOLS),
        status=rules.preprocess.output.status,
        summary=rules.label_corpus.output.summary,
        corpus=rules.label_corpus.output.corpus,
    output:
        csv=report(
            "results/tables/table1_extended.csv",
            caption="../report/table1_extended.rst",
            category=CATEGORY.models,
        ),
        md="results/tables/table1_extended.md",
        gap="results/tables/protocol_gap.csv",
        languages=report(
            "results/tables/table1_languages.csv",
            caption="../report/table1_languages.rst",
            category=CATEGORY.models,
        ),
    log:
        "logs/table1_extended.log",
    benchmark:
        "benchmarks/table1_extended.tsv"
    conda:
        "../../environment.yml"
    params:
        protocols=PROTOCOLS,
        seed=config["seed"],
        source=SOURCE,
        lstm=get_lstm_settings(),
        min_language_posts=config["reporting"]["min_language_posts"],
    script:
        "../scripts/table1_extended.py"


rule leakage:
    input:
        folds=lambda wc: expand(
            "results/cv/{protocol}/{variant}/folds.csv",
            protocol=PROTOCOLS,
            variant=usable_variants(),
        ),
        variants=lambda wc: expand(
            "results/preprocess/{variant}.parquet", variant=usable_variants()
        ),
        members=rules.operations.output.members,
        pairs=rules.operations.output.pairs,
        same_pictures=rules.operations.output.same_pictures,
    output:
        csv=report(
            "results/tables/leakage.csv",
            caption="../report/leakage.rst",
            category=CATEGORY.models,
        ),
        md="results/tables/leakage.md",
    log:
        "logs/leakage.log",
    benchmark:
        "benchmarks/leakage.tsv"
    conda:
        "../../environment.yml"
    params:
        protocols=PROTOCOLS,
        threshold=config["operations"]["jaccard_threshold"],
    script:
        "../scripts/leakage.py"


rule headline:
    input:
        gap=rules.table1_extended.output.gap,
        summary=rules.label_corpus.output.summary,
        folds=expand("results/cv/{protocol}/fold_metrics.csv", protocol=PROTOCOLS),
        leakage=rules.leakage.output.csv,
    output:
        md=report(
            "results/tables/headline.md",
            caption="../report/headline.rst",
            category=CATEGORY.headline,
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


# The report's home page, which the Snakefile's report: directive names. No params, so that a
# setting reruns no more than it did: each setting the page names reaches a job upstream of the
# headline, so the page is written again whenever one of them changes.
rule report_home:
    input:
        intro=workflow.source_path("../report/workflow.rst"),
        headline=rules.headline.output.md,
        summary=rules.label_corpus.output.summary,
    output:
        rst="results/report/home.rst",
    log:
        "logs/report_home.log",
    benchmark:
        "benchmarks/report_home.tsv"
    run:
        write_home(
            output.rst, config, input.intro, input.headline, input.summary, log[0]
        )


rule characterization:
    input:
        corpus=rules.label_corpus.output.corpus,
        summary=rules.label_corpus.output.summary,
    output:
        csv=report(
            "results/tables/characterization.csv",
            caption="../report/characterization.rst",
            category=CATEGORY.characterization,
        ),
        md="results/tables/characterization.md",
    log:
        "logs/characterization.log",
    benchmark:
        "benchmarks/characterization.tsv"
    conda:
        "../../environment.yml"
    params:
        source=SOURCE,
        drugs=config["drugs"],
    script:
        "../scripts/characterization.py"


# The paper's image annotation (Results, "Manual Image Annotation of Drug Dealer Posts"):
# the coders' image_category column, counted on dealer posts beside the paper's 260 pictures.
rule image_annotation:
    input:
        corpus=rules.label_corpus.output.corpus,
        sheets=annotation_sheets,
        summary=rules.label_corpus.output.summary,
    output:
        csv=report(
            "results/tables/image_annotation.csv",
            caption="../report/image_annotation.rst",
            category=CATEGORY.characterization,
        ),
        md="results/tables/image_annotation.md",
    log:
        "logs/image_annotation.log",
    benchmark:
        "benchmarks/image_annotation.tsv"
    conda:
        "../../environment.yml"
    params:
        source=SOURCE,
        annotation_dir=annotation_dir(),
    script:
        "../scripts/image_annotation.py"


# What the pictures add to the models: F1 with and without the picture's text, and recall on
# the image ads (dealer posts whose caption gives no contact), on the same folds.
rule picture_gain:
    input:
        oof=expand("results/cv/{protocol}/oof.parquet", protocol=PROTOCOLS),
        corpus=rules.label_corpus.output.corpus,
        summary=rules.label_corpus.output.summary,
    output:
        csv=report(
            "results/tables/picture_gain.csv",
            caption="../report/picture_gain.rst",
            category=CATEGORY.models,
        ),
        md="results/tables/picture_gain.md",
    log:
        "logs/picture_gain.log",
    benchmark:
        "benchmarks/picture_gain.tsv"
    conda:
        "../../environment.yml"
    params:
        protocols=PROTOCOLS,
        source=SOURCE,
    script:
        "../scripts/picture_gain.py"
