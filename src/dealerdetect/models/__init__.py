"""Model Training: the paper's three classical models and its two-branch LSTM (Figure 2).

``classic`` needs only scikit-learn; ``lstm`` imports Keras lazily, so importing this package
(or parsing the Snakefile) never loads TensorFlow.
"""

CLASSIC_MODELS = ("decision_tree", "random_forest", "svm", "logistic_regression")
