# Data Collection Phase: the two-loop hashtag discovery, written to data/raw/<source>/.


rule collect_posts:
    output:
        posts=f"{RAW}/posts.jsonl",
        skipped=f"{RAW}/skipped.csv",
        hashtags=report(
            f"{RAW}/hashtags.csv",
            caption="../report/hashtags.rst",
            category=CATEGORY.collection,
        ),
        simulated_sheets=SIMULATED_SHEETS,
    log:
        "logs/collect_posts.log",
    benchmark:
        "benchmarks/collect_posts.tsv"
    conda:
        "../../environment.yml"
    # The salt is no param (params go to .snakemake/metadata and the report): the job reads
    # it from the secret file named by collection.salt_file.
    params:
        collection=get_collection_settings(),
        drugs=config["drugs"],
        seed=config["seed"],
        # The simulated source renders its posts' pictures into data/raw/simulated/images/.
        pictures=PICTURES,
    script:
        "../scripts/collect_posts.py"
