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
  report plugins. The salt belongs in the secret file ``collection.salt_file``;
- every schema error, reported by this module before Snakemake's own ``validate()`` so that a
  secret's value (a salt given as a number or a list) is never echoed back;
- a ``collection.file.path`` inside, or a folder holding, what the study writes (``data/raw``,
  ``results``, ``logs``, ``benchmarks``, ``.snakemake``), and an ``annotation_dir`` or
  ``salt_file`` there: collection would read its own output, and ``-F`` would delete the user's
  only copy (symlinks and relative paths are resolved first);
- a phone region libphonenumber does not know;
- the vectorizer arguments (``binary``, ``ngram_range``, ``min_df`` ...) checked by
  scikit-learn's own parameter validation like the estimator's, plus what it checks only at fit
  time (a reversed or non-positive ``ngram_range``, ``min_df`` above ``max_df``).

No TensorFlow here: the Snakefile must parse without it. scikit-learn is imported only when an
estimator has arguments to check.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from dealerdetect.errors import InputError

SEED_MAX = 2**32 - 1
# A config file is a few kilobytes; refusing a huge one keeps a parse from eating the memory.
MAX_CONFIG_BYTES = 1 << 20
# What the study writes, relative to its working directory (never a place for the user's data).
STUDY_WRITES = ("data/raw", "results", "logs", "benchmarks", ".snakemake")
# Longest value echoed back in an error message.
ECHO_MAX = 120
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


class ConfigError(InputError, ValueError):
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
    size = os.stat(path).st_size
    if size > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"{path}: {size} bytes; a config file is at most {MAX_CONFIG_BYTES} bytes"
        )
    with open(path, encoding="utf-8") as fh:
        text = fh.read(MAX_CONFIG_BYTES + 1)  # a device or pipe reports size 0
    if len(text) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: longer than {MAX_CONFIG_BYTES} bytes; not a config file")
    try:
        stream = io.StringIO(text)
        stream.name = str(path)  # errors name the file
        return yaml.load(stream, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: not valid YAML ({err})".replace("\n", " ")) from err


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
    from dealerdetect.posts import parse_time

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
        yield from _pipeline_value_errors(name, dict(args), key)


def _pipeline_value_errors(name: str, args: dict, key: str) -> Iterable[str]:
    """Values scikit-learn would reject at fit time, checked on the very pipeline the jobs build
    (``models.classic.make_classifier``), every step by its own ``_validate_params``."""
    try:
        from sklearn.utils._param_validation import InvalidParameterError
    except ImportError:  # an older scikit-learn: names are still checked above
        return
    from dealerdetect.models.classic import make_classifier

    if name == "char_ngram":
        errors = list(_ngram_errors(args, key))
        if errors:
            yield from errors
            return
    try:
        pipe = make_classifier(name, args, seed=0)
    except (TypeError, ValueError) as err:  # e.g. a constructor that checks its own values
        yield f"{key}: {_short(err)}"
        return
    failed = False
    for step_name, step in pipe.steps:
        validate = getattr(step, "_validate_params", None)
        if validate is None:
            continue
        try:
            validate()
        except InvalidParameterError as err:
            failed = True
            bad = next((a for a in args if f"'{a}'" in str(err)), None)
            yield f"{key}.{bad}: {_short(err)}" if bad else f"{key} ({step_name}): {_short(err)}"
            continue
        for arg in _bools_for_numbers(step, args):
            failed = True
            yield (
                f"{key}.{arg}: {type(step).__name__} expects a number or a name here, not "
                f"{str(args[arg]).lower()}"
            )
    for arg in _HUGE:
        v = args.get(arg)
        if isinstance(v, int | float) and not isinstance(v, bool) and abs(v) > _HUGE[arg]:
            failed = True
            yield (
                f"{key}.{arg}: {v!r} is above {_HUGE[arg]:g}; liblinear and lbfgs do not "
                "finish with such a value (a fit ran for minutes on 12 posts)"
            )
    if not failed:
        yield from _trial_fit_errors(name, args, key)


# Regularisation values past which the solvers do not return in reasonable time (LinearSVC
# with C=1e300 did not finish one toy fit in 120 s); far beyond any useful setting.
_HUGE = {"C": 1e6, "intercept_scaling": 1e6}


def _bools_for_numbers(step, args: Mapping) -> Iterable[str]:
    """Arguments given true/false whose scikit-learn constraints take no boolean (Python
    counts true as the number 1, so ``max_depth: true`` would silently mean 1)."""
    constraints = getattr(step, "_parameter_constraints", {})
    for arg, value in args.items():
        if not isinstance(value, bool) or arg not in constraints:
            continue
        allowed = constraints[arg]
        if allowed == "no_validation" or any(c in ("boolean", bool) for c in allowed):
            continue
        yield arg


# Arguments whose valid range depends on the corpus (how many posts and words it has): the
# trial fit leaves them at scikit-learn's defaults. Counts are capped to keep it quick.
_DATA_DEPENDENT = ("min_df", "max_df", "max_features", "max_samples")
_CAPS = {"n_estimators": 3, "max_iter": 50}
_TOY_TEXTS = ["xanax bars plug", "percs for sale", "happy birthday mom", "sunny beach day"] * 3
_TOY_LABELS = [1, 1, 0, 0] * 3


def _trial_fit_errors(name: str, args: Mapping, key: str) -> Iterable[str]:
    """Fit the job's pipeline on a toy corpus: what scikit-learn checks only when it fits
    (a solver that cannot take a penalty, class weights for classes that do not exist, ...)
    fails here, at parse time, instead of in every fold job. A few milliseconds a model."""
    import warnings

    from dealerdetect.models.classic import make_classifier

    trial = {k: v for k, v in args.items() if k not in _DATA_DEPENDENT}
    for k, cap in _CAPS.items():
        v = trial.get(k)
        if isinstance(v, int) and not isinstance(v, bool) and v > cap:
            trial[k] = cap
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence on a toy corpus says nothing
            make_classifier(name, trial, seed=0).fit(_TOY_TEXTS, _TOY_LABELS)
    except Exception as err:  # noqa: BLE001 - whatever fit raises, the job would raise too
        bad = [a for a in args if a in str(err)]
        where = f"{key}.{bad[0]}" if len(bad) == 1 else key
        yield f"{where}: scikit-learn refuses {dict(args)} when fitting: {_short(err)}"


def _ngram_errors(args: Mapping, key: str) -> Iterable[str]:
    """What TfidfVectorizer checks only when it is fitted: the n-gram range and the df bounds."""
    if "ngram_range" in args:
        rng = args["ngram_range"]
        ok = (
            isinstance(rng, list | tuple)
            and len(rng) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) for n in rng)
        )
        if not ok:
            yield f"{key}.ngram_range: expected two whole numbers [min, max], got {_echo(rng)}"
        elif not 1 <= rng[0] <= rng[1] <= 20:
            yield (
                f"{key}.ngram_range: expected 1 <= min <= max <= 20 (characters), got {list(rng)}"
            )
    lo, hi = args.get("min_df", 2), args.get("max_df", 1.0)
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lo, hi))
    if numbers and type(lo) is type(hi) and lo > hi:
        yield f"{key}: min_df {lo} is above max_df {hi}; no n-gram could be kept"


def _short(err: Exception) -> str:
    return " ".join(str(err).split())[:400]


def _echo(value: Any) -> str:
    """A value for an error message, cut short (a config value may be long)."""
    text = repr(value)
    return text if len(text) <= ECHO_MAX else text[:ECHO_MAX] + "...'"


def _is_secret_path(path: Iterable) -> bool:
    return any(part in SECRET_KEYS for part in path)


def _schema_errors(config: Any, schema: Mapping) -> Iterable[str]:
    """Every JSON-schema error as ``key: problem``; a secret's value is never shown."""
    import jsonschema

    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(config), key=lambda e: [str(p) for p in e.path])
    for err in errors:
        key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.path).lstrip(".")
        where = key or "config"
        if _is_secret_path(err.path) or _is_secret_path(err.schema_path):
            expected = err.validator_value if err.validator != "type" else err.validator_value
            yield (
                f"{where}: fails the schema's '{err.validator}' rule ({expected!r}); the value "
                "is not shown because it is a secret"
            )
        elif err.validator in ("required", "additionalProperties") or isinstance(
            err.instance, Mapping
        ):
            # The instance is a whole section: name the problem, not the section's values.
            yield f"{where}: {_reason(err)}"
        else:
            yield f"{where}: {_echo(err.instance)} {_reason(err)}"


def _reason(err) -> str:
    """jsonschema's message without the echoed value at its start (which may be huge)."""
    message, shown = err.message, repr(err.instance)
    if message.startswith(shown):
        message = message[len(shown) :].strip()
    return _short(message)


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _path_errors(config: Mapping, workdir: Path) -> Iterable[str]:
    """User files and secrets inside what the study writes (see STUDY_WRITES)."""
    collection = config.get("collection")
    if not isinstance(collection, Mapping):
        return
    root = workdir.resolve()
    written = {d: (root / d).resolve() for d in STUDY_WRITES}

    def resolve(value: str) -> Path:
        return (root / Path(value).expanduser()).resolve()

    file_cfg = collection.get("file")
    if isinstance(file_cfg, Mapping) and isinstance(file_cfg.get("path"), str):
        value = file_cfg["path"]
        path = resolve(value)
        for d, folder in written.items():
            if _within(path, folder):
                yield (
                    f"collection.file.path: {value!r} is inside {d}/, which the study writes "
                    "(collection would read its own output and -F would delete the file); keep "
                    "your posts outside data/raw, results, logs, benchmarks and .snakemake"
                )
                break
            if folder in (path, *root.parents) or _within(folder, path):
                yield (
                    f"collection.file.path: {value!r} is a folder holding {d}/, which the study "
                    "writes; name the file or folder that holds only your posts"
                )
                break
    checks = (("salt_file", STUDY_WRITES), ("annotation_dir", STUDY_WRITES))
    for name, where in checks:
        value = collection.get(name)
        if not isinstance(value, str) or not value:
            continue
        path = resolve(value)
        for d in where:
            # The simulated coders' sheets are written by collection beside the raw data.
            if name == "annotation_dir" and d == "data/raw":
                if collection.get("source", "simulated") == "simulated":
                    continue
            if _within(path, written[d]):
                what = "the secret salt" if name == "salt_file" else "the coders' sheets"
                yield (
                    f"collection.{name}: {value!r} is inside {d}/, which the study writes and "
                    f"deletes; keep {what} outside data/raw, results, logs, benchmarks and "
                    ".snakemake"
                )
                break


def _region_errors(config: Mapping) -> Iterable[str]:
    privacy = config.get("privacy")
    regions = privacy.get("phone_regions") if isinstance(privacy, Mapping) else None
    if not isinstance(regions, list):
        return
    import phonenumbers

    for i, r in enumerate(regions):
        if isinstance(r, str) and r.upper() not in phonenumbers.SUPPORTED_REGIONS:
            yield (
                f"privacy.phone_regions[{i}]: {_echo(r)} is not a region libphonenumber knows "
                "(ISO 3166 codes such as US, GB, DE)"
            )


def _column_errors(config: Mapping) -> Iterable[str]:
    """Two post fields read from one CSV column (e.g. id and user both 'name')."""
    file_cfg = (config.get("collection") or {}).get("file")
    columns = file_cfg.get("columns") if isinstance(file_cfg, Mapping) else None
    if not isinstance(columns, Mapping):
        return
    # collection.files.COLUMNS: each field is read from the column of its own name by default.
    fields = ("id", "user", "timestamp", "caption", "hashtags", "comments", "url", "image")
    mapped = {f: columns.get(f, f) for f in fields}
    for f in fields:
        if f not in columns:
            continue
        other = [g for g in fields if g != f and mapped[g] == mapped[f]]
        if other:
            yield (
                f"collection.file.columns.{f}: column {_echo(mapped[f])} is also read as "
                f"{', '.join(other)}; each field needs its own column"
            )


def _secret_errors(config: Mapping) -> Iterable[str]:
    collection = config.get("collection")
    if not isinstance(collection, Mapping):
        return
    for k in SECRET_KEYS:
        if collection.get(k) not in (None, ""):
            yield (
                f"collection.{k}: the salt is a secret and the config is not (config files get "
                f"committed and shared; Snakemake hands the config to every job and to report "
                f"plugins); write it to the file named by collection.salt_file "
                f"({collection.get('salt_file', 'data/secrets/salt.txt')}) and remove the key"
            )


def check_config(
    config: Mapping,
    config_files: Iterable[str | Path] = (),
    schema: str | Path | Mapping = None,
    workdir: str | Path | None = None,
) -> None:
    """Raise ConfigError listing every problem above; ``schema`` (path or dict) types the keys.

    ``workdir`` is the study's working directory, where relative paths point (default: the
    current directory, which is Snakemake's ``--directory`` when the Snakefile is parsed).
    """
    for path in config_files:
        load_strict_yaml(path)  # raises on the first duplicate key, naming file and line
    if schema is not None and not isinstance(schema, Mapping):
        schema = load_strict_yaml(schema)
    if not isinstance(config, Mapping):
        raise ConfigError(
            f"invalid config: expected a mapping of keys, got {type(config).__name__}"
        )
    errors = list(_schema_errors(config, schema)) if schema is not None else []
    # The checks below read values the schema has typed: with a schema error, it alone speaks.
    typed = not errors
    if schema is not None:
        errors += _integer_errors(config, schema, "")
    else:
        errors += _seed_errors(config)
    if typed:
        errors += _window_errors(config)
        errors += _path_errors(config, Path(workdir) if workdir else Path.cwd())
        errors += _region_errors(config)
        errors += _column_errors(config)
    errors += _secret_errors(config)
    if typed and not any("models." in e for e in errors):
        errors += _estimator_errors(config.get("models") or {})
    if errors:
        lines = [_scrub(e, config) for e in dict.fromkeys(errors)]
        raise ConfigError("invalid config:\n  " + "\n  ".join(lines))


def _scrub(line: str, config: Mapping) -> str:
    """``line`` with any secret value blanked, whatever check wrote it (belt and braces)."""
    collection = config.get("collection")
    if not isinstance(collection, Mapping):
        return line
    for k in SECRET_KEYS:
        stack, values = [collection.get(k)], []
        while stack:
            v = stack.pop()
            if isinstance(v, Mapping):
                stack += [*v.keys(), *v.values()]
            elif isinstance(v, list | tuple):
                stack += list(v)
            elif v is not None and not isinstance(v, bool) and len(str(v)) >= 3:
                values.append(str(v))
        for v in sorted(values, key=len, reverse=True):
            line = line.replace(v, "<secret>")
    return line


__all__ = [
    "ConfigError",
    "SECRET_KEYS",
    "check_config",
    "load_strict_yaml",
    "public_settings",
]
