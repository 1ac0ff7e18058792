# Step 6, manual annotation: the sheets coders fill, the next batch worth a coder's time, the
# disagreements for the adjudication meeting, and the labelled, redacted corpus.


# The disagreements of two coders (real data). It writes adjudication_todo.csv, never
# adjudication.csv: the meeting saves its decisions under that name, so no rerun can overwrite
# them.
rule adjudication_sheet:
    input:
        posts=rules.collect_posts.output.posts,
        sheet_a=lambda wc: coder_sheets(wc)[0],
        sheet_b=lambda wc: coder_sheets(wc)[1],
        adjudicated=adjudicated_sheet,
    output:
        sheet=f"{annotation_dir()}/adjudication_todo.csv",
    log:
        "logs/adjudication_sheet.log",
    benchmark:
        "benchmarks/adjudication_sheet.tsv"
    conda:
        "../../environment.yml"
    params:
        phone_regions=config["privacy"]["phone_regions"],
    script:
        "../scripts/adjudication_sheet.py"


# The annotation loop: the next posts to label, chosen by the model trained on the labels so
# far (annotation.strategy). Coders copy the batch's rows into their own sheets. The guard runs
# when the DAG is built, before Snakemake removes old outputs: a next_batch.csv with labels
# filled in, or one the study did not write (its sha256 is in next_batch.json), stops the run.
rule next_batch:
    input:
        posts=rules.collect_posts.output.posts,
        sheets=annotation_sheets,
        guard=next_batch_guard,
    output:
        sheet=f"data/annotation/{SOURCE}/next_batch.csv",
        manifest=f"data/annotation/{SOURCE}/next_batch.json",
    log:
        "logs/next_batch.log",
    benchmark:
        "benchmarks/next_batch.tsv"
    conda:
        "../../environment.yml"
    params:
        annotation=get_next_batch_settings(),
        annotation_dir=annotation_dir(),
        seed=config["seed"],
        phone_regions=config["privacy"]["phone_regions"],
        stopwords=config["preprocessing"]["stopwords"],
        model_settings=get_model_settings("logistic_regression"),
    script:
        "../scripts/next_batch.py"


rule label_corpus:
    input:
        posts=rules.collect_posts.output.posts,
        pictures=rules.read_pictures.output.texts,
        sheets=annotation_sheets,
        adjudication_todo=adjudication_input,
    output:
        corpus="results/corpus/posts.jsonl",
        summary=report(
            "results/corpus/summary.json",
            caption="../report/summary.rst",
            category=CATEGORY.collection,
        ),
        annotation="results/corpus/annotation.json",
    log:
        "logs/label_corpus.log",
    benchmark:
        "benchmarks/label_corpus.tsv"
    conda:
        "../../environment.yml"
    # Redaction and language identification in a pool of processes (Snakemake lowers the
    # number to the cores it has).
    threads: 4
    params:
        source=SOURCE,
        annotation_dir=annotation_dir(),
        phone_regions=config["privacy"]["phone_regions"],
        unlabelled=config["annotation"]["unlabelled"],
        loop=get_loop_settings(),
    script:
        "../scripts/label_corpus.py"


# Step 6 for real data: the sheet coders fill. Copy it to annotator_a.csv and annotator_b.csv
# in the annotation folder; it is never written there, so filled sheets are never overwritten.
rule annotation_sheet:
    input:
        posts=rules.collect_posts.output.posts,
    output:
        sheet=f"data/annotation/{SOURCE}/to_annotate.csv",
    log:
        "logs/annotation_sheet.log",
    benchmark:
        "benchmarks/annotation_sheet.tsv"
    conda:
        "../../environment.yml"
    params:
        annotation_dir=annotation_dir(),
        phone_regions=config["privacy"]["phone_regions"],
    script:
        "../scripts/annotation_sheet.py"
