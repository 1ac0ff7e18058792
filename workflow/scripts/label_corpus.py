"""Thin adapter: rule label_corpus -> dealerdetect.annotation.corpus."""

import json

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.annotation.active import labelling_summary  # noqa: E402
from dealerdetect.annotation.corpus import (  # noqa: E402
    attach_labels,
    build_corpus,
    labels_or_explain,
    summarize,
    write_corpus,
)
from dealerdetect.pictures.job import read_picture_texts  # noqa: E402

sm = snakemake  # noqa: F821
corpus = build_corpus(
    sm.input.posts,
    phone_regions=sm.params.phone_regions,
    pictures=read_picture_texts(sm.input.pictures),
    jobs=sm.threads,
)
labels, report = labels_or_explain(sm.params.annotation_dir, corpus, sm.params.unlabelled)
collected = corpus["id"].nunique()
# annotation.unlabelled: leave_out runs the study on the labelled posts only (the loop's).
corpus = attach_labels(corpus[corpus["id"].isin(labels)], labels)
report["labelling"] = labelling_summary(collected, corpus["id"].nunique(), sm.params.loop)
write_corpus(corpus, sm.output.corpus)
with open(sm.output.annotation, "w") as fh:
    json.dump(report, fh, indent=2)
with open(sm.output.summary, "w") as fh:
    summary = summarize(corpus, sm.params.source, report.get("kappa"))
    json.dump({**summary, "labelling": report["labelling"]}, fh, indent=2)
