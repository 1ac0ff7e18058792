# Step 6 for real data: the disagreements of two coders, for the adjudication meeting.
# It writes adjudication_todo.csv, never adjudication.csv: the meeting saves its decisions under
# that name, so no rerun can overwrite them.


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
