"""Steps 1-5 of the Data Processing Phase: tokens, stopwords, the three variants,
the dictionary and index sequences."""
