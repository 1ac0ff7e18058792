"""Model Training: the paper's three classical models and its two-branch LSTM (Figure 2).

``classic`` needs only scikit-learn; ``lstm`` imports Keras lazily, so importing this package
(or parsing the Snakefile) never loads TensorFlow. Every model is used through one interface
(``models.interface.make_model``: fit, score, save and load files) and saved as a checked bundle
(``models.bundle``); the list of models and which are the paper's lives in
``dealerdetect.study.registry``.
"""
