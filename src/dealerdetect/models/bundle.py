"""A saved model bundle: a folder a final model is written to and scored from.

    meta.json        what the model is (model, variant, threshold, preprocessing settings,
                     the training corpus' source and size) and the sha256 of every other file
    model.skops      a scikit-learn pipeline (skops: loading never runs code from the file)
    model.keras      or the Keras model (loaded with safe_mode)
    vocabulary.json  the dictionary (LSTM only)

Loading checks, before anything is deserialised, that meta.json parses, names a model and a
variant of the registry, that every listed file exists with the recorded checksum, and that the
folder is not filed under another variant or model than meta.json says. What a user may safely
load: a bundle written by this package; a bundle from elsewhere is only as trustworthy as its
source, but a tampered or swapped file is refused, and no file can make loading run code.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import registry
from .interface import Model, make_model

FORMAT = 2  # 1 was model.joblib (pickle): refused, since unpickling runs code


class BundleError(ValueError):
    """A saved model folder that cannot be used; the message names the file and the problem."""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def save_bundle(model: Model, folder, meta: dict, vocabulary: dict | None = None) -> Path:
    """Write ``model`` with ``meta`` (plus identity and checksums) to ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    files = model.save_files(out)
    if model.spec.kind == "lstm":
        if vocabulary is None:
            raise ValueError("save_bundle: the LSTM needs its vocabulary saved beside it")
        voc = out / "vocabulary.json"
        voc.write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
        files["vocabulary.json"] = voc
    full = {
        "format": FORMAT,
        "model": model.name,
        "variant": model.variant.name,
        "settings": model.settings,
        "seed": model.seed,
        **meta,
        "files": {name: sha256(p) for name, p in sorted(files.items())},
    }
    if model.history is not None:
        full["history"] = model.history
    (out / "meta.json").write_text(json.dumps(full, indent=1), encoding="utf-8")
    return out


def read_meta(folder) -> dict:
    """meta.json of a bundle, checked: format, identity, files and checksums."""
    d = Path(folder)
    if not d.is_dir():
        raise BundleError(f"{d}: not a folder; give a saved model folder (results/models/...)")
    path = d / "meta.json"
    if not path.exists():
        raise BundleError(f"{d}: not a saved model (no meta.json); run the study first")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise BundleError(f"{path}: not valid JSON ({err})") from err
    if not isinstance(meta, dict):
        raise BundleError(f"{path}: expected a JSON object")
    if meta.get("format") != FORMAT:
        raise BundleError(
            f"{path}: bundle format {meta.get('format')!r}, this version reads {FORMAT}; "
            "rerun the study to save the models again"
        )
    for key in ("model", "variant", "threshold", "preprocessing", "files"):
        if key not in meta:
            raise BundleError(f"{path}: field '{key}' is missing")
    try:
        spec, variant = registry.model(meta["model"]), registry.variant(meta["variant"])
    except ValueError as err:
        raise BundleError(f"{path}: {err}") from err
    # A folder filed as results/models/<variant>/<model> must hold that variant and model.
    parent, name = d.resolve().parent.name, d.resolve().name
    if name in registry.MODELS and parent in registry.VARIANTS:
        if (parent, name) != (variant.name, spec.name):
            raise BundleError(
                f"{d}: the folder says {parent}/{name} but meta.json says "
                f"{variant.name}/{spec.name}; files from different models were mixed"
            )
    wanted = set(make_model(spec.name, variant.name, {}, 0).files)
    if spec.kind == "lstm":
        wanted.add("vocabulary.json")
    if set(meta["files"]) != wanted:
        raise BundleError(f"{path}: lists files {sorted(meta['files'])}, expected {sorted(wanted)}")
    for fname, digest in meta["files"].items():
        f = d / fname
        if not f.exists():
            raise BundleError(f"{f}: missing from the saved model")
        if sha256(f) != digest:
            raise BundleError(
                f"{f}: checksum differs from meta.json; the file was changed or swapped "
                "after the study saved it, so it is not loaded"
            )
    return meta


def load_bundle(folder) -> tuple[Model, dict, dict | None]:
    """``(model, meta, vocabulary index or None)`` of a checked bundle."""
    d = Path(folder)
    meta = read_meta(d)
    model = make_model(
        meta["model"], meta["variant"], meta.get("settings", {}), meta.get("seed", 0)
    )
    try:
        model.load_files(d)
    except BundleError:
        raise
    except Exception as err:  # a damaged file that still matches its checksum
        raise BundleError(f"{d}: the model file cannot be read ({err})") from err
    vocab = None
    if model.spec.kind == "lstm":
        try:
            vocab = json.loads((d / "vocabulary.json").read_text(encoding="utf-8"))["index"]
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise BundleError(f"{d / 'vocabulary.json'}: not a dictionary file ({err})") from err
    return model, meta, vocab
