"""dealerdetect: a reproducible rerun of Li, Xu, Shah & Mackey (2019), JMIR 21(6):e13803.

Modules follow the paper's phases: ``collection`` (Data Collection Phase), ``annotation``
(step 6), ``preprocessing`` (steps 1-5), ``models`` (Model Training), ``evaluation``
(Model Evaluation), ``characterization`` (Text Analysis of Drug Dealer Posts) and
``reporting`` (Tables 1 and 2, figures). Importing the package never imports TensorFlow.
"""

__version__ = "0.1.0"

# Variants and models are listed once, in ``dealerdetect.study.registry``.
