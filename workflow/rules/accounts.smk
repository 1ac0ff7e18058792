# Beyond the paper: accounts scored from their posts' out-of-fold scores under folds grouped by
# user (every account scored by a model that never saw it), and operations: the accounts one
# seller runs, linked by a shared contact detail or a pasted ad.


rule accounts:
    input:
        oof="results/cv/grouped/oof.parquet",
        variants=lambda wc: expand(
            "results/preprocess/{variant}.parquet", variant=usable_variants()
        ),
        corpus=rules.label_corpus.output.corpus,
    output:
        csv=report(
            "results/tables/accounts.csv",
            caption="../report/accounts.rst",
            category=CATEGORY.accounts,
        ),
        ranked="results/accounts/ranked.csv",
    log:
        "logs/accounts.log",
    benchmark:
        "benchmarks/accounts.tsv"
    conda:
        "../../environment.yml"
    params:
        threshold=config["cv"]["threshold"],
    script:
        "../scripts/accounts.py"


# Operations: accounts linked by a shared contact detail (salted hashes, read from the raw posts
# before redaction) or near-identical text. The salt is no param: the job reads it from the
# secret file named by collection.salt_file (not an input either: no rule writes it, the
# collection creates it on first use).
rule operations:
    input:
        raw=rules.collect_posts.output.posts,
        corpus=rules.label_corpus.output.corpus,
        pictures=rules.read_pictures.output.texts,
    output:
        hashes=f"data/operations/{SOURCE}/contact_hashes.csv",
        pairs="results/accounts/near_duplicates.csv",
        same_pictures="results/accounts/same_pictures.csv",
        members="results/accounts/members.csv",
        operations=report(
            "results/accounts/operations.csv",
            caption="../report/operations.rst",
            category=CATEGORY.accounts,
        ),
    log:
        "logs/operations.log",
    benchmark:
        "benchmarks/operations.tsv"
    conda:
        "../../environment.yml"
    params:
        settings=config["operations"],
        phone_regions=config["privacy"]["phone_regions"],
        salt_file=config["collection"]["salt_file"],
        phash_distance=config["pictures"]["phash_distance"],
    script:
        "../scripts/operations.py"


rule operation_ranking:
    input:
        oof=f"results/cv/{OPERATION_PROTOCOL}/oof.parquet",
        variants=lambda wc: expand(
            "results/preprocess/{variant}.parquet", variant=usable_variants()
        ),
        members=rules.operations.output.members,
        operations=rules.operations.output.operations,
    output:
        csv=report(
            "results/tables/operation_ranking.csv",
            caption="../report/operation_ranking.rst",
            category=CATEGORY.accounts,
        ),
        ranked="results/accounts/operations_ranked.csv",
    log:
        "logs/operation_ranking.log",
    benchmark:
        "benchmarks/operation_ranking.tsv"
    conda:
        "../../environment.yml"
    params:
        threshold=config["cv"]["threshold"],
        protocol=OPERATION_PROTOCOL,
    script:
        "../scripts/operation_ranking.py"
