"""Thin adapter: rule table2 -> dealerdetect.reporting.tables."""

from dealerdetect.study.runlog import log_to

log_to(snakemake.log[0])  # noqa: F821 - injected by Snakemake

from dealerdetect.annotation.corpus import read_corpus, read_summary  # noqa: E402
from dealerdetect.drugs import Lexicon  # noqa: E402
from dealerdetect.reporting.settings import run_note  # noqa: E402
from dealerdetect.reporting.tables import table2, table2_markdown, write_table  # noqa: E402

sm = snakemake  # noqa: F821
corpus = read_corpus(sm.input.corpus)
summary = read_summary(sm.input.summary)
lexicon = Lexicon.from_config(sm.params.drugs)
t2 = table2(corpus, lexicon, sm.params.seeds, sm.params.loops)
dealers = corpus.drop_duplicates("id").query("label == 1").shape[0]
note = run_note(sm.params.source, summary=summary)
write_table(t2, table2_markdown(t2, dealers, note), sm.output.csv, sm.output.md)
