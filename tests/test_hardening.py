"""Hostile and careless input, one test per class, written as the attacker would try it.

Classes: the user's data destroyed, code or unbounded work from data, a traceback where a
one-line error belongs, a silently wrong result, and a model bundle edited after the study.
Each test goes through the real entry point (the config check the Snakefile runs, the file
source, `dealerdetect predict`, the bundle loader).
"""

import json
import lzma
import os
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml
from workflow_helpers import ROOT, config_with, scratch_workflow, snakemake

from dealerdetect import cli
from dealerdetect.collection import instaloader_files
from dealerdetect.collection.files import FileSource
from dealerdetect.models import bundle as bundles
from dealerdetect.models.bundle import BundleError, load_bundle, save_bundle
from dealerdetect.models.interface import make_model
from dealerdetect.posts import PostFormatError, read_jsonl
from dealerdetect.study.configcheck import ConfigError, check_config, load_strict_yaml

SCHEMA = load_strict_yaml(ROOT / "workflow/schemas/config.schema.yaml")
BASE = yaml.safe_load((ROOT / "config.yaml").read_text())
GOOD = {"id": "1", "user": "a", "timestamp": "2018-08-01T00:00:00Z", "caption": "order #xanax"}


config = config_with


def refused(cfg, key, workdir=None):
    """check_config raises one ConfigError whose lines name ``key``; returns the message."""
    with pytest.raises(ConfigError) as info:
        check_config(cfg, [], SCHEMA, workdir=workdir)
    message = str(info.value)
    assert key in message, message
    return message


# -- 1. the user's data destroyed -----------------------------------------------------------


@pytest.fixture
def study(tmp_path):
    """A study folder with collect's own output already in place, and the user's file beside."""
    (tmp_path / "data/raw/file").mkdir(parents=True)
    (tmp_path / "data/raw/file/posts.jsonl").write_text(json.dumps(GOOD) + "\n")
    (tmp_path / "results").mkdir()
    (tmp_path / "mine.jsonl").write_text(json.dumps(GOOD) + "\n")
    return tmp_path


@pytest.mark.parametrize(
    "path",
    [
        "data/raw/file/posts.jsonl",  # collect's own output, read back as the source
        "./data/../data/raw/file/posts.jsonl",  # the same, written the long way
        "results/corpus/posts.jsonl",
        "logs/x.jsonl",
        "benchmarks/x.csv",
        ".snakemake/x.jsonl",
        "{study}/data/raw/file/posts.jsonl",  # absolute
        "link/posts.jsonl",  # a symlink into data/raw
        ".",  # a folder holding data/raw and results
        "..",
    ],
)
def test_a_source_file_inside_the_study_outputs_is_refused(study, path):
    (study / "link").symlink_to(study / "data/raw/file")
    cfg = config(**{"collection.source": "file"})
    cfg["collection"]["file"] = {"path": path.format(study=study)}
    refused(cfg, "collection.file.path", workdir=study)


def test_a_source_file_beside_the_outputs_passes(study):
    cfg = config(**{"collection.source": "file"})
    cfg["collection"]["file"] = {"path": "mine.jsonl"}
    check_config(cfg, [], SCHEMA, workdir=study)


@pytest.mark.parametrize(
    "key, value",
    [
        ("collection.salt_file", "results/salt.txt"),
        ("collection.salt_file", "data/raw/simulated/salt.txt"),
        ("collection.salt_file", "logs/../results/s"),
        ("collection.annotation_dir", "results/annotation"),
        ("collection.annotation_dir", "results"),
        ("collection.annotation_dir", ".snakemake/sheets"),
    ],
)
def test_a_secret_or_coder_sheets_inside_the_outputs_are_refused(study, key, value):
    refused(config(**{key: value}), key, workdir=study)


def test_the_simulated_coders_may_keep_their_sheets_beside_the_raw_data(study):
    cfg = config(**{"collection.annotation_dir": "data/raw/simulated/annotation"})
    check_config(cfg, [], SCHEMA, workdir=study)
    cfg["collection"]["source"] = "file"
    cfg["collection"]["file"] = {"path": "mine.jsonl"}
    refused(cfg, "collection.annotation_dir", workdir=study)


class FakeScorer:
    """Scores every caption 0.8 (these tests are about files, not models)."""

    def __init__(self, model_dir):
        self.meta = {"threshold": 0.5}

    def warnings(self):
        return []

    def metadata(self, threshold=None):
        return {"threshold": 0.5}

    def score(self, captions, threshold=None, jobs=1):
        n = len(captions)
        return pd.DataFrame(
            {"probability": np.full(n, 0.8), "label": 1, "status": "scored", "contacts": ""}
        )


@pytest.fixture
def predict(monkeypatch, capsys):
    monkeypatch.setattr("dealerdetect.predict.Scorer", FakeScorer)

    def run(*args):
        try:
            code = cli.main(["predict", "--model", "m", *map(str, args)])
        except SystemExit as exit_:
            code = exit_.code
        return code, capsys.readouterr().err

    return run


def one_line_error(code, err, *words):
    lines = [line for line in err.splitlines() if line.strip()]
    assert code in (1, 2) and "Traceback" not in err, err
    assert len(lines) == 1 and lines[0].startswith("dealerdetect: error:"), err
    for w in words:
        assert w in lines[0], err


@pytest.fixture
def new_posts(tmp_path):
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps({"id": "n1", "caption": "xanax bars"}) + "\n")
    return path


def test_predict_never_replaces_an_existing_meta_json_without_force(predict, new_posts, tmp_path):
    out = tmp_path / "scores.csv"
    meta = tmp_path / "scores.csv.meta.json"
    meta.write_text("the user's own notes")
    code, err = predict(new_posts, "-o", out)
    one_line_error(code, err, "scores.csv.meta.json", "--force")
    assert meta.read_text() == "the user's own notes" and not out.exists()
    code, err = predict(new_posts, "-o", out, "--force")
    assert code == 0, err
    assert json.loads(meta.read_text()) == {"threshold": 0.5}


def test_predict_never_writes_its_meta_json_over_the_posts(predict, tmp_path):
    posts = tmp_path / "scores.csv.meta.json"  # the posts, named as the sidecar would be
    posts.write_text(json.dumps({"id": "n1", "caption": "xanax"}) + "\n")
    before = posts.read_bytes()
    code, err = predict(posts, "-o", tmp_path / "scores.csv", "--force")
    one_line_error(code, err, "posts file itself")
    assert posts.read_bytes() == before


@pytest.mark.parametrize("where", ["existing", "new/", "existing/"])
def test_predict_output_naming_a_folder_is_one_line(predict, new_posts, tmp_path, where):
    (tmp_path / "existing").mkdir()
    code, err = predict(new_posts, "-o", f"{tmp_path}/{where}")
    one_line_error(code, err, "is a folder")
    assert not (tmp_path / "new").exists()


# -- 2. no code from data -------------------------------------------------------------------


def test_a_config_with_python_tags_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "evil.yaml"
    path.write_text(f"seed: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(ConfigError, match="evil.yaml: not valid YAML"):
        load_strict_yaml(path)
    assert not marker.exists()


def test_a_huge_config_file_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("seed: 1\n" + "# x\n" * 400_000)
    with pytest.raises(ConfigError, match="big.yaml: .*bytes"):
        load_strict_yaml(path)


def test_the_readme_says_a_config_is_code_and_what_is_protected():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Security") :]
    section = section[: section.find("\n## ", 4)]
    words = " ".join(section.split()).lower()
    for phrase in ("__use_yte__", "only trusted config", "dry run", "not protected:"):
        assert phrase in words, phrase


# -- 3. bounded resources ---------------------------------------------------------------------


def test_an_xz_bomb_is_refused_at_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(instaloader_files, "MAX_POST_FILE_BYTES", 1 << 20)
    body = b'{"node": {"shortcode": "Z", "pad": "' + b"0" * (4 << 20) + b'"}}'
    path = tmp_path / "post.json.xz"
    path.write_bytes(lzma.compress(body))
    assert path.stat().st_size < 10_000  # a few kilobytes on disk, 4 MiB unpacked
    with pytest.raises(PostFormatError, match="unpacks to more than 1048576 bytes"):
        FileSource({"path": str(tmp_path), "format": "instaloader"})


def test_a_large_plain_instaloader_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(instaloader_files, "MAX_POST_FILE_BYTES", 1000)
    (tmp_path / "post.json").write_text(json.dumps({"node": {"pad": "0" * 2000}}))
    with pytest.raises(PostFormatError, match="larger than 1000 bytes"):
        FileSource({"path": str(tmp_path), "format": "instaloader"})


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("name", ["zero", "zero.jsonl", "zero.csv"])
def test_predict_on_dev_zero_is_one_line_not_a_memory_error(predict, tmp_path, name, monkeypatch):
    monkeypatch.setattr(cli, "MAX_POSTS_BYTES", 4 << 20)
    (tmp_path / name).symlink_to("/dev/zero")
    code, err = predict(tmp_path / name)
    one_line_error(code, err, name)


def test_predict_refuses_posts_read_whole_past_the_documented_size(predict, tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "MAX_POSTS_BYTES", 1000)
    path = tmp_path / "many.csv"
    path.write_text("id,caption\n" + "".join(f"{i},{'x' * 50}\n" for i in range(40)))
    code, err = predict(path)
    one_line_error(code, err, "many.csv", "larger than 1000 bytes")


def test_predict_streams_a_jsonl_file_past_that_size(predict, tmp_path, monkeypatch):
    # A regular JSON Lines file is read a chunk at a time: its size is not capped.
    monkeypatch.setattr(cli, "MAX_POSTS_BYTES", 1000)
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"id": i, "caption": "x" * 50}) + "\n" for i in range(40)))
    out = tmp_path / "scores.csv"
    code, err = predict(path, "-o", out)
    assert code == 0, err
    assert len(out.read_text().splitlines()) == 41


def test_a_jsonl_line_without_end_is_refused(tmp_path, monkeypatch):
    import dealerdetect.posts as posts

    monkeypatch.setattr(posts, "MAX_LINE_BYTES", 1000)
    path = tmp_path / "posts.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + "[" * 5000)
    with pytest.raises(PostFormatError, match="row 2: field '<line>': line longer"):
        FileSource({"path": str(path)})


# -- 4. a traceback where a one-line error belongs ----------------------------------------------


@pytest.mark.parametrize(
    "changes, key",
    [
        ({"privacy.phone_regions": ["US", "ZZ"]}, "privacy.phone_regions[1]"),
        ({"privacy.phone_regions": ["XK", "AA"]}, "privacy.phone_regions[1]"),
        ({"models.svm": {"dual": "false"}}, "models.svm.dual"),
        ({"models.decision_tree": {"binary": "true"}}, "models.decision_tree.binary"),
        ({"models.random_forest": {"bootstrap": "no"}}, "models.random_forest.bootstrap"),
        ({"models.logistic_regression": {"fit_intercept": "yes"}}, "fit_intercept"),
        ({"models.char_ngram": {"ngram_range": [5, 2]}}, "models.char_ngram.ngram_range"),
        ({"models.char_ngram": {"ngram_range": [0, 3]}}, "models.char_ngram.ngram_range"),
        ({"models.char_ngram": {"ngram_range": [2, 500]}}, "models.char_ngram.ngram_range"),
        ({"models.char_ngram": {"ngram_range": "2-5"}}, "models.char_ngram.ngram_range"),
        ({"models.char_ngram": {"ngram_range": [2.5, 3]}}, "models.char_ngram.ngram_range"),
        ({"models.char_ngram": {"min_df": 5, "max_df": 3}}, "min_df"),
        ({"models.char_ngram": {"max_df": 1.5}}, "models.char_ngram.max_df"),
        ({"cv.folds": 10**9}, "cv.folds"),
        ({"cv.folds": 2**70}, "cv.folds"),
        ({"cv.folds_per_job": 10**9}, "cv.folds_per_job"),
        ({"preprocessing.text_length": 10**12}, "preprocessing.text_length"),
        ({"collection.file": {"path": "x.csv", "columns": {"user": "id"}}}, "columns.user"),
    ],
)
def test_a_setting_that_failed_in_a_job_is_refused_at_parse_time(changes, key):
    message = refused(config(**changes), key)
    assert "Traceback" not in message and len(message.splitlines()) >= 2


@pytest.mark.parametrize(
    "override, key",
    [
        ({"privacy": {"phone_regions": ["ZZ"]}}, "privacy.phone_regions[0]"),
        ({"models": {"char_ngram": {"ngram_range": [5, 2]}}}, "models.char_ngram.ngram_range"),
        ({"models": {"svm": {"dual": "false"}}}, "models.svm.dual"),
        ({"collection": {"salt_file": "results/salt.txt"}}, "collection.salt_file"),
    ],
)
def test_a_dry_run_shows_the_error_and_runs_nothing(tmp_path, override, key):
    wd = scratch_workflow(tmp_path)
    (wd / "bad.yaml").write_text(yaml.safe_dump(override))
    proc = snakemake(wd, "-n", "--configfile", "bad.yaml", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and key in out, out[-3000:]
    assert not (wd / "results").exists() and not (wd / "data").exists()


# -- 5. silently wrong ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, field",
    [
        ({"id": ""}, "id"),
        ({"id": "   "}, "id"),
        ({"id": None}, "id"),
        ({"id": True}, "id"),
        ({"user": ""}, "user"),
        ({"user": " "}, "user"),
    ],
)
def test_a_post_without_a_real_id_or_user_is_refused(tmp_path, change, field):
    path = tmp_path / "posts.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "id": "2", **change}) + "\n")
    with pytest.raises(PostFormatError, match=rf"row 2: field '{field}'"):
        list(read_jsonl(path))
    with pytest.raises(PostFormatError, match=rf"row 2: field '{field}'"):
        FileSource({"path": str(path)})


def test_a_csv_with_an_empty_user_or_id_is_refused(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("id,user,timestamp,caption\n1,a,2018-08-01,x #xanax\n2, ,2018-08-01,y\n")
    with pytest.raises(PostFormatError, match=r"row 3: field 'user': empty"):
        FileSource({"path": str(path)})


def test_an_instaloader_post_without_an_owner_name_is_refused(tmp_path):
    node = {
        "shortcode": "Z",
        "taken_at_timestamp": 1533081600,
        "owner": {"id": "1", "username": ""},
        "edge_media_to_caption": {"edges": [{"node": {"text": "x #xanax"}}]},
    }
    (tmp_path / "p.json").write_text(
        json.dumps({"node": node, "instaloader": {"node_type": "Post"}})
    )
    with pytest.raises(PostFormatError, match="node.owner.username"):
        FileSource({"path": str(tmp_path)})


def test_a_csv_with_a_column_given_twice_is_refused(tmp_path, predict):
    path = tmp_path / "posts.csv"
    path.write_text(
        "id,user,timestamp,caption,user\n1,alice,2018-08-01,x #xanax,bob\n", encoding="utf-8"
    )
    with pytest.raises(PostFormatError, match="row 1: field 'user': column name given twice"):
        FileSource({"path": str(path)})
    new = tmp_path / "new.csv"
    new.write_text("id,caption,id\n1,xanax,2\n")
    code, err = predict(new)
    one_line_error(code, err, "new.csv", "'id'", "given twice")


@pytest.mark.parametrize(
    "line", ['{"id": null, "caption": "x"}', '{"id": true, "caption": "x"}',
             '{"id": false, "caption": "x"}', '{"id": "", "caption": "x"}',
             '{"id": 1.5, "caption": "x"}', '{"id": ["a"], "caption": "x"}']
)  # fmt: skip
def test_predict_refuses_ids_that_name_no_post(predict, tmp_path, line):
    path = tmp_path / "new.jsonl"
    path.write_text('{"id": "ok", "caption": "x"}\n' + line + "\n")
    code, err = predict(path)
    one_line_error(code, err, "new.jsonl", "row 2", "'id'")


def test_predict_refuses_an_empty_csv_id(predict, tmp_path):
    path = tmp_path / "new.csv"
    path.write_text("id,caption\nok,x\n,y\n")
    code, err = predict(path)
    one_line_error(code, err, "new.csv", "row 3", "'id'")


@pytest.mark.parametrize("salt", [918273645546372819, ["s3cretsalt", "x"], {"k": "s3cretsalt"}])
def test_a_schema_error_never_echoes_the_salt(salt):
    message = refused(config(**{"collection.pseudonym_salt": salt}), "collection.pseudonym_salt")
    for shown in ("918273645546372819", "s3cretsalt"):
        assert shown not in message, message


def test_a_salt_inside_another_schema_error_is_not_echoed():
    cfg = config(**{"collection.pseudonym_salt": "s3cretsalt"})
    del cfg["collection"]["source"]  # an error about the whole collection section
    cfg["collection"]["loops"] = "s3cretsalt"  # and the salt pasted into another key
    message = refused(cfg, "collection")
    assert "s3cretsalt" not in message, message


# -- 6. model bundles ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    words = ["xanax bars plug", "percs for sale", "happy birthday mom", "nice sunset beach"] * 5
    df = pd.DataFrame(
        {
            "id": [str(i) for i in range(len(words))],
            "text": words,
            "words": words,
            "label": [1, 1, 0, 0] * 5,
        }
    )
    model = make_model("svm", "no_hashtags", {}, seed=3).fit(df)
    folder = tmp_path_factory.mktemp("b") / "no_hashtags" / "svm"
    meta = {"threshold": 0.5, "preprocessing": {}, "corpus_source": "file"}
    save_bundle(model, folder, meta)
    return folder


@pytest.fixture
def copy_of(bundle, tmp_path):
    folder = tmp_path / "no_hashtags" / "svm"
    shutil.copytree(bundle, folder)
    return folder


def edit(folder, reseal=False, **changes):
    meta = json.loads((folder / "meta.json").read_text())
    meta.update(changes)
    (folder / "meta.json").write_text(json.dumps(bundles.seal_meta(meta) if reseal else meta))


def test_a_bundle_written_by_this_code_loads(bundle):
    _, meta, _ = load_bundle(bundle)
    assert meta["threshold"] == 0.5 and meta["corpus_source"] == "file"


@pytest.mark.parametrize(
    "changes",
    [
        {"threshold": 0.01},  # flags every post
        {"corpus_source": "instagram"},  # hides the simulated-data warning
        {"settings": {"C": 100}},
        {"phone_regions": []},  # scores without redacting numbers
        {"trained_on": 1_000_000},
    ],
)
def test_an_edited_meta_json_is_refused_like_a_swapped_model(copy_of, changes):
    edit(copy_of, **changes)
    with pytest.raises(BundleError, match="meta.json: checksum differs"):
        load_bundle(copy_of)


def test_an_edited_variant_is_refused(copy_of, tmp_path):
    moved = tmp_path / "elsewhere"
    shutil.copytree(copy_of, moved)  # outside results/models/<variant>/<model>
    edit(moved, variant="with_hashtags")
    with pytest.raises(BundleError, match="checksum differs"):
        load_bundle(moved)


@pytest.mark.parametrize(
    "threshold", ["0.5", "high", None, True, [0.5], {"v": 0.5}, 5, -1, float("nan")]
)
def test_a_resealed_meta_with_a_bad_threshold_is_one_line(copy_of, threshold, tmp_path):
    edit(copy_of, reseal=True, threshold=threshold)
    with pytest.raises(BundleError, match="field 'threshold'"):
        load_bundle(copy_of)
    # and through the command line, in a real process: one line, exit code 2
    posts = tmp_path / "p.jsonl"
    posts.write_text('{"id": "1", "caption": "xanax bars"}\n')
    proc = subprocess.run(
        [sys.executable, "-m", "dealerdetect.cli", "predict", "--model", copy_of, posts],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    one_line_error(proc.returncode, proc.stderr, "threshold")


def test_a_bundle_of_the_previous_format_is_refused_with_what_to_do(copy_of):
    meta = json.loads((copy_of / "meta.json").read_text())
    meta["format"] = 2
    del meta["meta_sha256"]
    (copy_of / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(BundleError, match="format 2.*rerun the study"):
        load_bundle(copy_of)
