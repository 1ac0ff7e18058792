# Data Collection Phase and step 6 (labels): data/raw/<source>/ -> results/corpus/.


rule collect_posts:
    output:
        posts=f"{RAW}/posts.jsonl",
        hashtags=f"{RAW}/hashtags.csv",
    log:
        "logs/collect_posts.log",
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
        summary="results/corpus/summary.json",
        annotation="results/corpus/annotation.json",
    log:
        "logs/label_corpus.log",
    conda:
        "../../environment.yml"
    params:
        source=SOURCE,
        annotation_dir=f"{RAW}/annotation",
    script:
        "../scripts/label_corpus.py"
