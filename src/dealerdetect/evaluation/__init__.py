"""Model Evaluation: folds and cross-validation, statistics, temporal folds, fold
diagnostics, and the account- and operation-level views."""
