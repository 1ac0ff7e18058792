# Data Collection Phase and step 6 (labels): data/raw/<source>/ -> results/corpus/.


rule collect_posts:
    output:
        posts=f"{RAW}/posts.jsonl",
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
    params:
        collection=config["collection"],
        seed=config["seed"],
    script:
        "../scripts/collect_posts.py"


rule label_corpus:
    input:
        posts=rules.collect_posts.output.posts,
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
        annotation_dir=f"{RAW}/annotation",
    script:
        "../scripts/label_corpus.py"
