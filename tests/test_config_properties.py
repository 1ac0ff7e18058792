"""Property test over the config schema: every wrong value gets a clean error naming its key.

Configs are generated from workflow/schemas/config.schema.yaml: one key of the shipped config
(or a key the schema allows but the config leaves out) is replaced by a value of a wrong type,
outside its range, outside its enum, against its pattern, or an estimator argument by junk. The
check the Snakefile runs at parse time (``configcheck.check_config``, called directly: no
Snakemake per example) must raise ``ConfigError`` (anything else is a traceback for the user),
every line must start with a key, one of them the key changed, and no line may hold the salt.
An estimator argument that the check lets through must then build and fit its pipeline on a
toy corpus: a value that passes the check and fails in a job is the class this test hunts.

Derandomized, with a fixed number of examples, so CI sees the same cases every run.
"""

import copy
import re
import warnings

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from workflow_helpers import ROOT

from dealerdetect.study.configcheck import (
    ESTIMATORS,
    RESERVED,
    ConfigError,
    check_config,
    load_strict_yaml,
)

SCHEMA_PATH = ROOT / "workflow/schemas/config.schema.yaml"
SCHEMA = load_strict_yaml(SCHEMA_PATH)  # parsed once: YAML parsing is most of a check
BASE = yaml.safe_load((ROOT / "config.yaml").read_text())
SETTINGS = settings(
    derandomize=True,
    max_examples=200,
    deadline=None,
    database=None,
    # The values are drawn from short lists, already simple: shrinking would only refit.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)


def leaves(node, path=()):
    """(path, schema node) of every key the schema types, parents included."""
    for name, sub in (node.get("properties") or {}).items():
        here = (*path, name)
        yield here, sub
        if isinstance(sub, dict):
            yield from leaves(sub, here)


KEYS = list(leaves(SCHEMA))
# One value of each JSON type, and values that break numbers the schema accepts.
SAMPLES = {
    "string": st.sampled_from(["", "x", "ten", "2018-13-45", "../../etc", "s3cretsalt" * 3]),
    "integer": st.sampled_from([-1, 0, 3, 2**40, 2**70]),
    "number": st.sampled_from([-1.5, 0.0, 0.5, 1e308, float("inf"), float("nan")]),
    "boolean": st.booleans(),
    "null": st.none(),
    "array": st.sampled_from([[], ["x"], [1, 2], [None]]),
    "object": st.sampled_from([{}, {"x": 1}]),
}


def types_of(node):
    t = node.get("type", [])
    return {t} if isinstance(t, str) else set(t)


@st.composite
def wrong_value(draw, node):
    """A value ``node`` must refuse: another type, out of range, enum or pattern."""
    types = types_of(node)
    kinds = []
    # "integer" accepts 3.0 only through configcheck's own integer rule, and "number" ints.
    allowed = types | ({"integer"} if "number" in types else set())
    others = [t for t in SAMPLES if t not in allowed and not (t == "null" and "null" in types)]
    if others:
        kinds.append("type")
    if "minimum" in node or "exclusiveMinimum" in node:
        kinds.append("low")
    if "maximum" in node or "exclusiveMaximum" in node:
        kinds.append("high")
    if "enum" in node:
        kinds.append("enum")
    if "pattern" in node or ("items" in node and "pattern" in node["items"]):
        kinds.append("pattern")
    if "integer" in types and "number" not in types:
        kinds.append("float")
    if not kinds:
        return draw(st.just(None)), False
    kind = draw(st.sampled_from(kinds))
    if kind == "type":
        t = draw(st.sampled_from(others))
        value = draw(SAMPLES[t])
        if t == "object" and "object" in types:
            return value, False
        return value, True
    if kind == "low":
        low = node.get("minimum", node.get("exclusiveMinimum"))
        step = 1 if "integer" in types and "number" not in types else 0.5
        value = low - draw(st.sampled_from([step, 10 * step]))
        if "exclusiveMinimum" in node:
            value = draw(st.sampled_from([value, low]))
        return value, True
    if kind == "high":
        high = node.get("maximum", node.get("exclusiveMaximum"))
        step = 1 if "integer" in types and "number" not in types else 0.5
        value = high + draw(st.sampled_from([step, 2**40]))
        if "exclusiveMaximum" in node:
            value = draw(st.sampled_from([value, high]))
        return value, True
    if kind == "enum":
        return draw(st.sampled_from(["gpu", "Simulated", "xgboost", " auto"])), True
    if kind == "pattern":
        pattern = node.get("pattern") or node["items"]["pattern"]
        candidates = ["has space", "#", "x y", "us", "2018/07/19", "é", "2018-07-19T"]
        bad = draw(st.sampled_from([c for c in candidates if not re.search(pattern, c)]))
        return ([bad] if "items" in node else bad), True
    # "float": a whole number written with a decimal point, or a fraction
    return draw(st.sampled_from([3.0, 2.5])), True


def put(cfg, path, value):
    node = cfg
    for k in path[:-1]:
        if not isinstance(node.get(k), dict):
            node[k] = {}
        node = node[k]
    node[path[-1]] = value


def assert_clean(message, path, secret=None):
    lines = message.splitlines()
    assert lines[0] == "invalid config:", message
    dotted = ".".join(path)
    assert any(dotted.split(".")[0] in line for line in lines[1:]), message
    for line in lines[1:]:
        assert line.startswith("  ") and ":" in line and "Traceback" not in line, message
    if secret is not None:
        assert str(secret) not in message or len(str(secret)) < 3, message


@SETTINGS
@given(st.sampled_from(KEYS).flatmap(lambda kv: st.tuples(st.just(kv[0]), wrong_value(kv[1]))))
def test_a_wrong_value_anywhere_in_the_schema_is_a_clean_error(case):
    path, (value, must_fail) = case
    cfg = copy.deepcopy(BASE)
    put(cfg, path, value)
    secret = value if "pseudonym_salt" in path else None
    try:
        check_config(cfg, [], SCHEMA, workdir=ROOT)
    except ConfigError as err:
        assert_clean(str(err), path, secret)
        return
    assert not must_fail, f"{'.'.join(path)} = {value!r} passed the check"


# -- estimator arguments: scikit-learn's own validation ------------------------------------------

JUNK = st.sampled_from(
    ["junk", "false", "", -5, 0, 2.5, -0.5, 10**12, 1e300, True, None, [1, 2], [5, 2], {"a": 1}]
)


def arg_names(name):
    import importlib

    module, cls_name, extra = ESTIMATORS[name]
    cls = getattr(importlib.import_module(module), cls_name)
    names = (set(cls().get_params()) | extra) - set(RESERVED)
    # A huge forest or iteration count is slow, not wrong; the toy fit below keeps them small.
    return sorted(names)


ESTIMATOR_ARGS = [(n, a) for n in ESTIMATORS for a in arg_names(n)]
TOY = pd.DataFrame(
    {
        "id": [str(i) for i in range(12)],
        "text": ["xanax bars plug", "percs for sale", "happy birthday", "sunset beach"] * 3,
        "label": [1, 1, 0, 0] * 3,
    }
)
SLOW = {"n_estimators", "max_iter", "max_features", "max_leaf_nodes"}


@settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    database=None,
    # The values are drawn from short lists, already simple: shrinking would only refit.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.sampled_from(ESTIMATOR_ARGS), JUNK)
def test_an_estimator_argument_is_refused_at_parse_time_or_fits(name_arg, value):
    name, arg = name_arg
    if arg in SLOW and isinstance(value, int | float) and not isinstance(value, bool):
        value = value if abs(value) < 1000 else -abs(value)  # big is slow, not wrong
    cfg = copy.deepcopy(BASE)
    for other in ESTIMATORS:  # only this model's arguments to check (and fit)
        cfg["models"][other] = {}
    cfg["models"][name] = {arg: value}
    try:
        check_config(cfg, [], SCHEMA, workdir=ROOT)
    except ConfigError as err:
        assert_clean(str(err), ("models", name))
        assert f"models.{name}" in str(err)
        return
    # Passed the check: the job's own pipeline must fit and score with it.
    from dealerdetect.models.classic import make_classifier

    pipe = make_classifier(name, {arg: value}, seed=0)
    text = TOY["text"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pipe.fit(text, TOY["label"])
        except Exception as err:  # noqa: BLE001 - what a user would see as a traceback
            pytest.fail(
                f"models.{name}.{arg} = {value!r} passed the check, then fit raised {err!r}"
            )
