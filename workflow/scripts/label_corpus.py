"""Thin adapter: rule label_corpus -> dealerdetect.corpus."""

import json

from dealerdetect.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.corpus import (  # noqa: E402
    attach_labels,
    build_corpus,
    labels_or_explain,
    summarize,
    write_corpus,
)

sm = snakemake  # noqa: F821
corpus = build_corpus(sm.input.posts, phone_regions=sm.params.phone_regions)
labels, report = labels_or_explain(sm.params.annotation_dir, corpus)
corpus = attach_labels(corpus, labels)
write_corpus(corpus, sm.output.corpus)
with open(sm.output.annotation, "w") as fh:
    json.dump(report, fh, indent=2)
with open(sm.output.summary, "w") as fh:
    json.dump(summarize(corpus, sm.params.source, report.get("kappa")), fh, indent=2)
