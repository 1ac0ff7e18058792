"""configcheck: the settings the JSON schema lets through are refused, naming the key."""

import pytest
import yaml
from workflow_helpers import ROOT, config_with

from dealerdetect.study.configcheck import (
    ConfigError,
    check_config,
    load_strict_yaml,
    public_settings,
)

SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"
BASE = yaml.safe_load((ROOT / "config.yaml").read_text())


config = config_with


def test_the_shipped_config_passes():
    check_config(BASE, [ROOT / "config.yaml", ROOT / "tests/config/tiny.yaml"], SCHEMA)


@pytest.mark.parametrize(
    "changes, key",
    [
        ({"seed": -1}, "seed"),
        ({"seed": 2**66}, "seed"),
        ({"seed": 7.0}, "seed"),
        ({"seed": True}, "seed"),
        ({"cv.folds": 3.0}, "cv.folds"),
        ({"preprocessing.text_length": 50.0}, "preprocessing.text_length"),
        ({"models.lstm.batch_size": 32.0}, "models.lstm.batch_size"),
        ({"models.random_forest": {"n_estimators": 20.0}}, "models.random_forest.n_estimators"),
        ({"collection.window": {"start": "2018-07-19garbage", "end": "2018-10-18"}}, "start"),
        ({"collection.window": {"start": "2018-13-45", "end": "2018-10-18"}}, "start"),
        ({"collection.window": {"start": "2018-07-19", "end": "2018-02-30"}}, "end"),
        ({"collection.window": {"start": "2018-10-19", "end": "2018-10-18"}}, "window"),
        ({"models.decision_tree": {"max_depthh": 3}}, "models.decision_tree.max_depthh"),
        ({"models.random_forest": {"n_jobs": -1}}, "models.random_forest.n_jobs"),
        ({"models.svm": {"random_state": 1}}, "models.svm.random_state"),
        ({"models.svm": {"C": 1.0, "penality": "l1"}}, "models.svm.penality"),
        ({"models.decision_tree": {"max_depth": -3}}, "models.decision_tree.max_depth"),
        ({"models.logistic_regression": {"binary": True}}, "logistic_regression.binary"),
        ({"collection.pseudonym_salt": "s3cret"}, "collection.pseudonym_salt"),
    ],
)
def test_a_bad_setting_is_an_error_naming_the_key(changes, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        check_config(config(**changes), [], SCHEMA)


def test_good_estimator_arguments_and_times_pass():
    cfg = config(
        **{
            "models.decision_tree": {"max_depth": 3, "binary": True},
            "models.random_forest": {"n_estimators": 20, "max_features": "sqrt"},
            "models.svm": {"C": 0.5},
            "models.lstm.batch_size": None,
            "collection.window": {"start": "2018-07-19T06:00:00Z", "end": "2018-07-19"},
            "seed": 2**32 - 1,
        }
    )
    check_config(cfg, [], SCHEMA)


def test_every_problem_is_listed_at_once():
    with pytest.raises(ConfigError) as err:
        check_config(config(**{"seed": -1, "cv.folds": 3.0}), [], SCHEMA)
    assert "seed" in str(err.value) and "cv.folds" in str(err.value)


@pytest.mark.parametrize(
    "text, key, line",
    [
        ("seed: 1\nseed: 2\n", "seed", 2),
        ("cv:\n  folds: 3\n  threshold: 0.5\n  folds: 5\n", "folds", 4),
        ('{"seed": 1, "seed": 2}\n', "seed", 1),  # JSON config files too
    ],
)
def test_a_duplicate_key_names_file_key_and_line(tmp_path, text, key, line):
    path = tmp_path / "overlay.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=rf"overlay.yaml: line {line}: key '{key}' given twice"):
        check_config(BASE, [ROOT / "config.yaml", path], SCHEMA)


def test_the_same_key_in_different_mappings_is_fine(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("models:\n  svm: {C: 1.0}\n  logistic_regression: {C: 2.0}\n")
    assert load_strict_yaml(path)["models"]["svm"] == {"C": 1.0}


def test_public_settings_drop_the_salt_only():
    cfg = {"pseudonym_salt": "x", "salt_file": "data/secrets/salt.txt", "loops": 2}
    assert public_settings(cfg) == {"salt_file": "data/secrets/salt.txt", "loops": 2}
