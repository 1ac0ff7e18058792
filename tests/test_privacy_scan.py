"""After the tiny study, no raw handle, phone number or e-mail of the input is anywhere in results/."""

import json
import re
import zipfile

import pandas as pd
import pytest
import yaml
from workflow_helpers import ROOT

from dealerdetect.characterization import find_contacts
from dealerdetect.collection.base import Window
from dealerdetect.collection.discovery import discover
from dealerdetect.collection.simulated import SimulatedSource
from dealerdetect.drugs import Lexicon

pytestmark = pytest.mark.slow


def raw_identifiers():
    """Handles, numbers and e-mails in the tiny study's input, straight from the simulated world."""
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    tiny = yaml.safe_load((ROOT / "tests/config/tiny.yaml").read_text())
    window = Window.from_config(cfg["collection"]["window"])
    lexicon = Lexicon.from_config(cfg["drugs"])
    src = SimulatedSource(
        seed=tiny["seed"],
        scale=tiny["collection"]["simulated"]["scale"],
        window=window,
        lexicon=lexicon,
    )
    handles, phones, emails = set(), set(), set()
    for p in discover(src, cfg["collection"]["seed_hashtags"], window, lexicon, 2):
        handles |= {p.user, *p.mentions, *(c.user for c in p.comments)}
        for text in [p.caption, *(c.text for c in p.comments)]:
            for c in find_contacts(text):
                span = text[c.start : c.end]
                if c.kind == "phone" or (sum(ch.isdigit() for ch in span) >= 7 and "@" not in span):
                    phones.add(re.sub(r"\D", "", span))
                elif c.kind == "email":
                    emails.add(span.lower())
                elif c.kind in ("handle", "wickr", "telegram", "kik", "whatsapp", "snapchat"):
                    handles.add(span.lstrip("@"))
    # An app named without a handle ("hit me on wickr") has the app word as its span: not a handle.
    apps = re.compile(r"#?(wickr|wickrme|telegram|kik|kikme|whats ?app|snapchat|snap|sc|tg)", re.I)
    handles = {
        h.lower()
        for h in handles
        if len(h) >= 5
        and not apps.fullmatch(h)
        and not h.startswith(("http", "t.me", "wa.me", "wickr.me"))
    }
    return handles, phones, emails


def texts_under(results):
    """Every file under ``results/``, whatever its name: its raw bytes, the members of a zip
    (Keras and skops model files), and a parquet file's table. Bytes are read as latin-1, so an
    ASCII handle, number or address shows wherever it was written, binary files included."""
    for path in sorted(results.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        yield path, data.decode("latin-1")
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    yield path, z.read(name).decode("latin-1")
        if path.suffix == ".parquet":
            yield path, pd.read_parquet(path).to_csv()


def test_no_raw_handle_number_or_email_anywhere_in_results(tiny_run):
    handles, phones, emails = raw_identifiers()
    assert (
        len(handles) > 50 and len(phones) > 5 and len(emails) > 3
    )  # the scan has something to find
    handle_re = re.compile(
        r"(?<![\w.])(" + "|".join(map(re.escape, sorted(handles))) + r")(?![\w])", re.I
    )
    leaks = []
    scanned = set()
    for path, text in texts_under(tiny_run / "results"):
        scanned.add(path.relative_to(tiny_run / "results"))
        low = text.lower()
        leaks += [(path.name, e) for e in emails if e in low]
        compact = re.sub(r"[\s\-()]", "", text)
        leaks += [(path.name, p) for p in phones if re.search(rf"(?<!\d){p}(?!\d)", compact)]
        leaks += [(path.name, m.group(1)) for m in handle_re.finditer(text)]
    assert len(scanned) > 50
    # Models and dictionaries are scanned too: the saved models, the vocabularies, CV outputs.
    tops = {p.parts[0] for p in scanned}
    assert {"models", "cv", "preprocess"} <= tops, tops
    assert any(p.name == "vocabulary.json" and p.parts[0] == "models" for p in scanned)
    assert any(p.parts[0] == "models" and p.suffix not in (".json", ".csv") for p in scanned)
    assert not leaks, f"raw identifiers in results/: {leaks[:10]}"


def test_scan_reads_binary_model_files(tmp_path):
    """The scan sees a handle or number inside a pickled model and inside a zipped one."""
    import joblib
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer().fit(["wickr plugdaddy420 call 5551239876"])
    joblib.dump(vec, tmp_path / "model.joblib")
    with zipfile.ZipFile(tmp_path / "model.keras", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("config.json", '{"vocab": ["xanplug99"]}')
    # skops files are zips with compressed members: the raw bytes do not show their content.
    with zipfile.ZipFile(tmp_path / "model.skops", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("schema.json", '{"vocabulary_": {"bigplug77": 0}}' + " " * 200)
    seen = " ".join(text for _, text in texts_under(tmp_path))
    for raw in ("plugdaddy420", "5551239876", "xanplug99", "bigplug77"):
        assert raw in seen


def test_operations_outputs_are_scanned_and_the_contact_hashes_are_salted(tiny_run):
    """The study's contacts, canonical as the operations step reads them, are in no file under
    results/; under data/ only their hashes with the study's salt are."""
    import hashlib

    from conftest import TINY_SALT

    from dealerdetect.evaluation import operations
    from dealerdetect.posts import read_jsonl

    values = set()
    for p in read_jsonl(tiny_run / "data/raw/simulated/posts.jsonl"):
        own = " ".join(c.text for c in p.comments if c.user == p.user)
        values.update(operations.contact_values(p.caption + "\n" + own))
    # The contact details read from the posts' pictures link accounts too.
    for line in open(tiny_run / "data/pictures/simulated/pictures.jsonl", encoding="utf-8"):
        values.update(operations.contact_values(json.loads(line)["text"]))
    assert len(values) > 10
    needles = {v.casefold() for _, v in values if len(v) >= 5}
    needles |= {v.lstrip("+") for k, v in values if k == "phone"}
    for name in ("operations.csv", "members.csv", "near_duplicates.csv", "operations_ranked.csv"):
        assert (tiny_run / "results/accounts" / name).exists(), name
    for path, text in texts_under(tiny_run / "results"):
        low = text.casefold()
        found = [v for v in needles if v in low]
        assert not found, f"{path}: {found[:3]}"
    hashes = pd.read_csv(tiny_run / "data/operations/simulated/contact_hashes.csv")
    salted = {operations.contact_hash(k, v, TINY_SALT) for k, v in values}
    plain = {hashlib.sha256(v.encode()).hexdigest() for _, v in values}
    assert len(hashes) and set(hashes["hash"]) <= salted and not set(hashes["hash"]) & plain
    raw = (tiny_run / "data/operations/simulated/contact_hashes.csv").read_text().casefold()
    assert not [v for v in needles if v in raw]


# Words of a contact line that are not the contact: app names and the words around them.
_CONTACT_LINE_WORDS = re.compile(
    r"(?:add|my|me|on|us|hmu|text|call|dm|message|join|email|mail|e-mail|hit|up|or|and|at|"
    r"wickr|wickrme|telegram|kik|kikme|snapchat|snap|whatsapp|signal|threema|wechat|discord|"
    r"for|the|menu|orders?|only|us:|me:)",
    re.I,
)


def drawn_contact_values(run):
    """The handles, numbers and e-mail local parts the simulated world drew into the pictures
    of the posts collected (its truth, ``picture_contact``), not what the detector found."""
    from dealerdetect.posts import read_jsonl

    cfg = yaml.safe_load((ROOT / "config.yaml").read_text())
    tiny = yaml.safe_load((ROOT / "tests/config/tiny.yaml").read_text())
    src = SimulatedSource(
        seed=tiny["seed"],
        scale=tiny["collection"]["simulated"]["scale"],
        window=Window.from_config(cfg["collection"]["window"]),
        lexicon=Lexicon.from_config(cfg["drugs"]),
    )
    values = set()
    for p in read_jsonl(run / "data/raw/simulated/posts.jsonl"):
        for line in src.world.by_id[p.id].meta.get("picture_contact") or []:
            digits = re.sub(r"\D", "", line)
            if len(digits) >= 7 and not re.search(r"[A-Za-z]\w*\d|_|@", line):
                values.add(digits)
                continue
            for tok in re.findall(r"[\w.@\-]+", line):
                tok = tok.split("@")[0]
                if len(tok) >= 5 and not _CONTACT_LINE_WORDS.fullmatch(tok):
                    values.add(re.sub(r"[._\-]", "", tok.casefold()))
    return {v for v in values if len(v) >= 5}


def test_no_value_drawn_into_a_picture_anywhere_in_results(tiny_run):
    """OCR loses blanks and adds them ("addmykik x", "fast kid99"): what the world drew into a
    picture must be in no file under results/, read with blanks and separators removed."""
    values = drawn_contact_values(tiny_run)
    assert len(values) >= 3, values  # the scan has something to find
    leaks = []
    for path, text in texts_under(tiny_run / "results"):
        compact = re.sub(r"[\s._\-()'+]", "", text.casefold())
        leaks += [(path.name, v) for v in values if v in compact]
    assert not leaks, f"values drawn into pictures in results/: {leaks[:10]}"
