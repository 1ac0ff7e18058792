# Data Collection Phase and step 6 (labels): data/raw/<source>/ -> results/corpus/.
from dealerdetect.configcheck import public_settings


rule collect_posts:
    output:
        posts=f"{RAW}/posts.jsonl",
        skipped=f"{RAW}/skipped.csv",
        hashtags=report(
            f"{RAW}/hashtags.csv",
            caption="../report/hashtags.rst",
            category="1. Collection",
        ),
    log:
        "logs/collect_posts.log",
    benchmark:
        "benchmarks/collect_posts.tsv"
    conda:
        "../../environment.yml"
    # The salt is no param (params go to .snakemake/metadata and the report): the job reads
    # it from the secret file named by collection.salt_file.
    params:
        collection=public_settings(config["collection"]),
        drugs=config["drugs"],
        seed=config["seed"],
    script:
        "../scripts/collect_posts.py"


rule label_corpus:
    input:
        posts=rules.collect_posts.output.posts,
        sheets=annotation_sheets,
        adjudication_todo=adjudication_input,
    output:
        corpus="results/corpus/posts.jsonl",
        summary=report(
            "results/corpus/summary.json",
            caption="../report/summary.rst",
            category="1. Collection",
        ),
        annotation="results/corpus/annotation.json",
    log:
        "logs/label_corpus.log",
    benchmark:
        "benchmarks/label_corpus.tsv"
    conda:
        "../../environment.yml"
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
