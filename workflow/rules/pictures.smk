# Pictures: Instagram is a picture platform, and dealers put the menu and the contact in the
# picture because filters read captions. Each post's picture is read once (OCR, cached by its
# sha256 in pictures.cache_dir) and hashed perceptually. The text read, with its contact
# details in clear, stays under data/pictures/ (git-ignored); label_corpus redacts it like a
# caption before anything reaches results/.


rule read_pictures:
    input:
        posts=rules.collect_posts.output.posts,
    output:
        texts=f"data/pictures/{SOURCE}/pictures.jsonl",
        pictures="results/pictures/pictures.csv",
        summary=report(
            "results/pictures/summary.json",
            caption="../report/pictures.rst",
            category=CATEGORY.collection,
        ),
    log:
        "logs/read_pictures.log",
    benchmark:
        "benchmarks/read_pictures.tsv"
    conda:
        "../../environment.yml"
    params:
        pictures=get_picture_settings(),
    script:
        "../scripts/read_pictures.py"
