"""A saved model bundle: a folder a final model is written to and scored from.

    meta.json        what the model is (model, variant, threshold, preprocessing settings,
                     the training corpus' source and size), the sha256 of every other file, and
                     ``meta_sha256``: the sha256 of meta.json's own content without that field
    model.skops      a scikit-learn pipeline (skops: loading never runs code from the file)
    model.keras      or the Keras model (loaded with safe_mode)
    vocabulary.json  the dictionary (LSTM only)

Loading checks, before anything is deserialised, that meta.json parses (at most
``MAX_META_BYTES``), matches its own checksum (an edited threshold, variant or corpus source is
refused like a swapped model file), holds fields of the right types (a numeric threshold in
(0, 1), ...), names a model and a variant of the registry, that every listed file exists with the
recorded checksum, and that the folder is not filed under another variant or model than
meta.json says. What a user may safely load: a bundle written by this package; a bundle from
elsewhere is only as trustworthy as its source. The checksums catch an edited or swapped file,
not a forger: anyone can recompute them (that would take a signature with a key). No file can
make loading run code.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dealerdetect.errors import InputError
from dealerdetect.study import registry

from .interface import Model, make_model

# 1 was model.joblib (pickle): refused, since unpickling runs code; 2 left meta.json unchecked.
FORMAT = 3
MAX_META_BYTES = 16 << 20  # meta.json holds settings and the LSTM history: kilobytes


class BundleError(InputError, ValueError):
    """A saved model folder that cannot be used; the message names the file and the problem."""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def meta_digest(meta: dict) -> str:
    """sha256 of ``meta`` without its ``meta_sha256`` field, over a canonical JSON text."""
    body = {k: v for k, v in meta.items() if k != "meta_sha256"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def seal_meta(meta: dict) -> dict:
    """``meta`` with its ``meta_sha256`` set (what save_bundle writes)."""
    return {**meta, "meta_sha256": meta_digest(meta)}


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
    (out / "meta.json").write_text(json.dumps(seal_meta(full), indent=1), encoding="utf-8")
    return out


def read_meta(folder) -> dict:
    """meta.json of a bundle, checked: format, identity, files and checksums."""
    d = Path(folder)
    if not d.is_dir():
        raise BundleError(f"{d}: not a folder; give a saved model folder (results/models/...)")
    path = d / "meta.json"
    if not path.exists():
        raise BundleError(f"{d}: not a saved model (no meta.json); run the study first")
    with open(path, "rb") as fh:
        data = fh.read(MAX_META_BYTES + 1)
    if len(data) > MAX_META_BYTES:
        raise BundleError(f"{path}: larger than {MAX_META_BYTES} bytes; not a bundle's meta.json")
    try:
        meta = json.loads(data.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
        raise BundleError(f"{path}: not valid JSON ({err})") from err
    if not isinstance(meta, dict):
        raise BundleError(f"{path}: expected a JSON object")
    if meta.get("format") != FORMAT:
        raise BundleError(
            f"{path}: bundle format {_show(meta.get('format'))}, this version reads {FORMAT} "
            "(format 2 did not cover meta.json by a checksum); rerun the study to save the "
            "models again"
        )
    if meta.get("meta_sha256") != meta_digest(meta):
        raise BundleError(
            f"{path}: checksum differs from its meta_sha256; meta.json was edited after the "
            "study saved it (threshold, variant, settings or corpus source), so it is not loaded"
        )
    for key in ("model", "variant", "threshold", "preprocessing", "files"):
        if key not in meta:
            raise BundleError(f"{path}: field '{key}' is missing")
    _check_fields(meta, path)
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


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "..."


def _check_fields(meta: dict, path: Path) -> None:
    """Types of the fields scoring reads: a bundle saved by this package always passes."""
    t = meta["threshold"]
    if isinstance(t, bool) or not isinstance(t, int | float) or not 0 < t < 1:
        raise BundleError(
            f"{path}: field 'threshold': expected a number strictly between 0 and 1, got {_show(t)}"
        )
    for key, kind, name in (
        ("model", str, "a string"),
        ("variant", str, "a string"),
        ("preprocessing", dict, "an object"),
        ("files", dict, "an object"),
        ("settings", dict, "an object"),
    ):
        if key in meta and not isinstance(meta[key], kind):
            raise BundleError(f"{path}: field '{key}': expected {name}, got {_show(meta[key])}")
    if not all(isinstance(v, str) for v in meta["files"].values()):
        raise BundleError(f"{path}: field 'files': expected file name -> sha256 text")
    seed = meta.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise BundleError(f"{path}: field 'seed': expected an integer, got {_show(seed)}")
    regions = meta.get("phone_regions")
    if regions is not None and (
        not isinstance(regions, list) or not all(isinstance(r, str) for r in regions)
    ):
        raise BundleError(f"{path}: field 'phone_regions': expected a list of region codes")


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
