"""One model interface for folds and final models; saved bundles that are checked before use."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from dealerdetect.models.bundle import BundleError, load_bundle, save_bundle, seal_meta
from dealerdetect.models.interface import make_model
from dealerdetect.preprocessing.steps import featurize, preprocess
from dealerdetect.study import registry

CAPTIONS = [
    ("Order now, no prescription needed! wickr: [HANDLE] #xanax #2mgxanax", 1),
    ("Bars in stock 💊 text [PHONE] fast shipping #xanaxbars #plug", 1),
    ("Percs and roxy available, DM for menu #percocet #oxy", 1),
    ("Best prices on pressed bars, snap [HANDLE] #xanax #bars", 1),
    ("30 days sober today, thank you all #recovery #sober", 0),
    ("Beach day with the family ☀️ #summer #fun", 0),
    ("My cat stole my seat again #catsofinstagram", 0),
    ("Anyone else watching the game tonight? #football", 0),
    ("Doctor changed my meds, feeling better #anxiety #health", 0),
    ("Never buy pills online, stay safe #harmreduction", 0),
]
SETTINGS = {"text_length": 12, "hashtag_length": 5, "min_tokens": 2, "stopwords": "english"}


@pytest.fixture(scope="module")
def variants():
    rows = [
        {
            "id": f"p{i}",
            "user": f"u_{i:012d}",
            "timestamp": "2018-08-01T00:00:00Z",
            "caption": c,
            "found_via": "xanax",
            "label": y,
        }
        for i, (c, y) in enumerate(CAPTIONS * 3)
    ]
    # Copies differ by a number word so step 5 keeps them.
    for i, r in enumerate(rows):
        r["caption"] += f" lot{i // len(CAPTIONS)}"
    out, vocab, _ = preprocess(pd.DataFrame(rows), 12, 5)
    return out, {"pad": 0, "unknown": 1, "size": len(vocab) + 2, "index": vocab}


def test_registry_lists_each_name_once_with_its_labels():
    assert registry.PAPER_MODELS == ("decision_tree", "random_forest", "svm", "lstm")
    assert "logistic_regression" in registry.BASELINE_MODELS
    assert registry.model_label("svm") == "Support vector machine"
    assert registry.model_label("svm", short=True) == "SVM"
    assert registry.variant("hashtags_only").lstm_blocks == ("hashtags",)
    with pytest.raises(ValueError, match="unknown model 'svn'"):
        registry.model("svn")


def test_predict_features_are_the_training_features(variants):
    frames, vocab = variants
    for name, df in frames.items():
        caption = CAPTIONS[0][0] + " lot0"
        feats = featurize([caption], name, SETTINGS, vocab["index"]).iloc[0]
        row = df[df["id"] == "p0"].iloc[0]
        assert feats["text"] == row["text"]
        assert list(feats["text_idx"]) == list(row["text_idx"])
        assert list(feats["tag_idx"]) == list(row["tag_idx"])


@pytest.mark.parametrize(
    "name", ["decision_tree", "random_forest", "svm", "logistic_regression", "char_ngram"]
)
def test_classic_bundle_round_trip_scores_the_same(variants, tmp_path, name):
    df = variants[0]["with_hashtags"]
    model = make_model(name, "with_hashtags", {}, seed=3).fit(df)
    before = model.score(df)
    save_bundle(model, tmp_path / "m", {"threshold": 0.5, "preprocessing": SETTINGS})
    loaded, meta, vocab = load_bundle(tmp_path / "m")
    np.testing.assert_allclose(loaded.score(df), before)
    assert meta["model"] == name and vocab is None
    assert (tmp_path / "m/model.skops").exists() and not list(tmp_path.rglob("*.joblib"))


@pytest.fixture
def svm_bundle(variants, tmp_path):
    df = variants[0]["no_hashtags"]
    model = make_model("svm", "no_hashtags", {}, seed=3).fit(df)
    folder = tmp_path / "no_hashtags" / "svm"
    save_bundle(model, folder, {"threshold": 0.5, "preprocessing": SETTINGS})
    return folder


def test_a_changed_model_file_is_refused_before_loading(svm_bundle):
    with open(svm_bundle / "model.skops", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(BundleError, match="model.skops: checksum differs"):
        load_bundle(svm_bundle)


def test_a_bundle_filed_under_another_variant_is_refused(svm_bundle, tmp_path):
    moved = tmp_path / "hashtags_only" / "svm"
    shutil.copytree(svm_bundle, moved)
    with pytest.raises(BundleError, match="folder says hashtags_only/svm but meta.json says"):
        load_bundle(moved)


@pytest.mark.parametrize(
    "meta_text, message",
    [("{not json", "not valid JSON"), ("[]", "expected a JSON object"), ("{}", "format")],
)
def test_a_corrupt_meta_json_is_a_one_line_error(svm_bundle, meta_text, message):
    (svm_bundle / "meta.json").write_text(meta_text)
    with pytest.raises(BundleError, match=message):
        load_bundle(svm_bundle)


def test_a_truncated_model_with_a_matching_checksum_is_a_clear_error(svm_bundle):
    from dealerdetect.models.bundle import sha256

    path = svm_bundle / "model.skops"
    path.write_bytes(path.read_bytes()[:200])
    meta = json.loads((svm_bundle / "meta.json").read_text())
    meta["files"]["model.skops"] = sha256(path)
    (svm_bundle / "meta.json").write_text(json.dumps(seal_meta(meta)))
    with pytest.raises(BundleError, match="cannot be read"):
        load_bundle(svm_bundle)


def test_a_model_file_holding_code_is_refused(svm_bundle):
    """A crafted skops file whose pipeline calls os.system: skops lists it, we refuse it."""
    import os

    import skops.io as sio
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    from dealerdetect.models.bundle import sha256

    path = svm_bundle / "model.skops"
    sio.dump(Pipeline([("x", FunctionTransformer(os.system))]), path)
    meta = json.loads((svm_bundle / "meta.json").read_text())
    meta["files"]["model.skops"] = sha256(path)
    (svm_bundle / "meta.json").write_text(json.dumps(seal_meta(meta)))
    with pytest.raises(BundleError, match="untrusted types"):
        load_bundle(svm_bundle)


def test_lstm_bundle_round_trip_and_identity(variants, tmp_path):
    frames, vocab = variants
    df = frames["with_hashtags"]
    settings = {"preset": "cpu", "embedding_dim": 4, "lstm_units": 4, "dense_units": 4}
    settings |= {"epochs": 1, "batch_size": 8}
    model = make_model(
        "lstm", "with_hashtags", settings, seed=1, vocab_size=vocab["size"], validation_split=0.3
    ).fit(df)
    assert len(model.history) == 1
    folder = tmp_path / "with_hashtags" / "lstm"
    save_bundle(model, folder, {"threshold": 0.5, "preprocessing": SETTINGS}, vocabulary=vocab)
    loaded, meta, index = load_bundle(folder)
    np.testing.assert_allclose(loaded.score(df), model.score(df), rtol=1e-5)
    assert index == vocab["index"] and meta["history"] == model.history
    # The same Keras file under a one-branch variant's meta is refused (inputs differ).
    other = tmp_path / "x"
    shutil.copytree(folder, other)
    meta = json.loads((other / "meta.json").read_text())
    meta["variant"] = "no_hashtags"
    (other / "meta.json").write_text(json.dumps(seal_meta(meta)))  # resealed, as a forger would
    with pytest.raises(BundleError, match="do not belong to variant no_hashtags"):
        load_bundle(other)
