"""Thin adapter: rule make_folds -> dealerdetect.evaluation.cv.make_folds."""

import pandas as pd

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.evaluation.cv import make_folds  # noqa: E402
from dealerdetect.privacy.csvsafe import to_csv  # noqa: E402

sm = snakemake  # noqa: F821
df = pd.read_parquet(sm.input.variant, columns=["id", "user", "label", "timestamp"])
if sm.input.members:
    from dealerdetect.evaluation.operations import attach_operations  # noqa: E402

    df = attach_operations(df, sm.input.members[0])
# Post ids are text from the posts: written so a spreadsheet opening folds.csv runs nothing.
to_csv(make_folds(df, sm.params.folds, sm.params.seed, sm.wildcards.protocol), sm.output.folds)
