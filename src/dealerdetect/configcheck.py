"""Checks of the study configuration that the JSON schema cannot express.

``workflow/rules/common.smk`` calls :func:`check_config` right after ``validate()``, so each of
these is a parse-time error naming the key, before any job runs:

- a config file with a key given twice (YAML keeps the last one silently);
- an integer setting written as a float (``cv.folds: 3.0``): JSON schema counts 3.0 as an
  integer, Python's ``range`` and NumPy's seeding do not;
- ``seed`` outside [0, 2**32 - 1] (NumPy's ``SeedSequence``/``random_state`` range);
- a collection window that is not a real date or ISO time (``2018-13-45``);
- estimator arguments the scikit-learn estimator does not have (``max_depthh``), values it
  rejects, and ``n_jobs``/``random_state``, which Snakemake's cores and ``seed`` set;
- a pseudonym salt in the config: config files get committed and shared, and Snakemake hands
  the whole config to every job (pickled into each script job's file) and the config files to
  report plugins. The salt belongs in the secret file ``collection.salt_file``.

No TensorFlow here: the Snakefile must parse without it. scikit-learn is imported only when an
estimator has arguments to check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

SEED_MAX = 2**32 - 1
# Config keys that must never reach params, the report or a log.
SECRET_KEYS = ("pseudonym_salt",)
# Estimator arguments the workflow sets itself: threads from Snakemake's cores, seeds from `seed`.
RESERVED = {
    "n_jobs": "the workflow sets it from Snakemake's --cores (threads per job)",
    "random_state": "the workflow sets it from the top-level 'seed'",
}
# models.<name> -> (module, class) of the estimator its arguments go to (models/classic.py);
# "binary" goes to the word-count vectorizer of the tree and SVM pipelines.
ESTIMATORS = {
    "decision_tree": ("sklearn.tree", "DecisionTreeClassifier", {"binary"}),
    "random_forest": ("sklearn.ensemble", "RandomForestClassifier", {"binary"}),
    "svm": ("sklearn.svm", "LinearSVC", {"binary"}),
    "logistic_regression": ("sklearn.linear_model", "LogisticRegression", set()),
    # The vectorizer keys are models.char_ngram.VECTORIZER_KEYS (not imported: parse time).
    "char_ngram": (
        "sklearn.linear_model",
        "LogisticRegression",
        {"ngram_range", "min_df", "max_df", "max_features"},
    ),
}


class ConfigError(ValueError):
    """One or more settings that cannot work; each line names the key or file."""


class _StrictLoader(yaml.SafeLoader):
    """A YAML loader that refuses a mapping key given twice."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in seen:
            raise ConfigError(
                f"{key_node.start_mark.name}: line {line}: key '{key}' given twice "
                f"(first on line {seen[key]}); YAML would keep the last one silently"
            )
        seen[key] = line
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_strict_yaml(path: str | Path) -> Any:
    """Parse a YAML (or JSON) config file; a duplicate key is a ConfigError naming file and line."""
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass


def public_settings(settings: Mapping) -> dict:
    """``settings`` without the secret keys: what may become a rule's params."""
    return {k: v for k, v in settings.items() if k not in SECRET_KEYS}


def _types(node: Mapping) -> set[str]:
    t = node.get("type", [])
    return {t} if isinstance(t, str) else set(t)


def _integer_errors(value: Any, node: Mapping, key: str) -> Iterable[str]:
    """Keys the schema types as integer whose value is a float (or a bool), recursively."""
    types = _types(node)
    if "integer" in types and "number" not in types and value is not None:
        if isinstance(value, bool) or not isinstance(value, int):
            yield f"{key}: must be a whole number written without a decimal point, got {value!r}"
        return
    if isinstance(value, Mapping):
        for k, sub in (node.get("properties") or {}).items():
            if k in value:
                yield from _integer_errors(value[k], sub, f"{key}.{k}" if key else k)
    elif isinstance(value, list) and isinstance(node.get("items"), Mapping):
        for i, item in enumerate(value):
            yield from _integer_errors(item, node["items"], f"{key}[{i}]")


def _seed_errors(config: Mapping) -> Iterable[str]:
    seed = config.get("seed")
    if isinstance(seed, int) and not isinstance(seed, bool) and not 0 <= seed <= SEED_MAX:
        yield f"seed: must be an integer in [0, {SEED_MAX}] (2**32 - 1), got {seed}"


def _window_errors(config: Mapping) -> Iterable[str]:
    from .posts import parse_time

    window = (config.get("collection") or {}).get("window") or {}
    times = {}
    for k in ("start", "end"):
        if k not in window:
            continue
        text = str(window[k])
        if k == "end" and "T" not in text:
            text += "T23:59:59Z"  # as collection.Window reads it: the whole of that day
        try:
            times[k] = parse_time(text)
        except ValueError as err:
            yield (
                f"collection.window.{k}: {window[k]!r} is not a real date (YYYY-MM-DD) or ISO "
                f"time ({err})"
            )
    if len(times) == 2 and times["end"] < times["start"]:
        yield f"collection.window: end {window['end']} is before start {window['start']}"


def _estimator_errors(models: Mapping) -> Iterable[str]:
    import importlib

    for name, (module, cls_name, extra) in ESTIMATORS.items():
        args = models.get(name)
        if not isinstance(args, Mapping) or not args:
            continue
        key = f"models.{name}"
        reserved = [a for a in args if a in RESERVED]
        for a in reserved:
            yield f"{key}.{a}: not allowed; {RESERVED[a]}"
        cls = getattr(importlib.import_module(module), cls_name)
        known = (set(cls().get_params()) | extra) - set(RESERVED)
        unknown = [a for a in args if a not in known and a not in RESERVED]
        for a in unknown:
            yield (
                f"{key}.{a}: {cls_name} has no argument '{a}' (it has: {', '.join(sorted(known))})"
            )
        if reserved or unknown:
            continue
        yield from _estimator_value_errors(
            cls, {k: v for k, v in args.items() if k not in extra}, key
        )


def _estimator_value_errors(cls, args: dict, key: str) -> Iterable[str]:
    """Values the estimator itself would reject at fit time (scikit-learn's own constraints)."""
    try:
        from sklearn.utils._param_validation import InvalidParameterError
    except ImportError:  # an older scikit-learn: names are still checked above
        return
    est = cls(**args)
    validate = getattr(est, "_validate_params", None)
    if validate is None:
        return
    try:
        validate()
    except InvalidParameterError as err:
        bad = next((a for a in args if f"'{a}'" in str(err)), None)
        yield f"{key}.{bad}: {err}" if bad else f"{key}: {err}"


def _secret_errors(config: Mapping) -> Iterable[str]:
    collection = config.get("collection") or {}
    for k in SECRET_KEYS:
        if collection.get(k) not in (None, ""):
            yield (
                f"collection.{k}: the salt is a secret and the config is not (config files get "
                f"committed and shared; Snakemake hands the config to every job and to report "
                f"plugins); write it to the file named by collection.salt_file "
                f"({collection.get('salt_file', 'data/secrets/salt.txt')}) and remove the key"
            )


def check_config(
    config: Mapping, config_files: Iterable[str | Path] = (), schema: str | Path | Mapping = None
) -> None:
    """Raise ConfigError listing every problem above; ``schema`` (path or dict) types the keys."""
    for path in config_files:
        load_strict_yaml(path)  # raises on the first duplicate key, naming file and line
    if schema is not None and not isinstance(schema, Mapping):
        schema = load_strict_yaml(schema)
    errors = list(_integer_errors(config, schema, "")) if schema is not None else []
    errors += _seed_errors(config)
    errors += _window_errors(config)
    errors += _secret_errors(config)
    if not any("models." in e for e in errors):
        errors += _estimator_errors(config.get("models") or {})
    if errors:
        raise ConfigError("invalid config:\n  " + "\n  ".join(errors))


__all__ = [
    "ConfigError",
    "SECRET_KEYS",
    "check_config",
    "load_strict_yaml",
    "public_settings",
]
