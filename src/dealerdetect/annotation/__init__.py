"""Step 6: coder sheets, agreement and adjudication, the labelled corpus, and
the choice of which posts a coder labels next."""
