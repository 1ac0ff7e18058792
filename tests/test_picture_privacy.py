"""Contact details in pictures, on the user's own files: drawn in fonts and ways the simulated
world never uses (STIX and Computer Modern, 1080-pixel PNG, WebP and JPEG, white on dark,
stickers, blur, turns), in the forms dealers write to dodge filters. After the study none of
them is in any file it wrote, read after the contact normalizer, and the characterization
counts them."""

import csv
import json
import random
import re
import shutil
import zipfile
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from workflow_helpers import ROOT, scratch_workflow, snakemake

from dealerdetect.evaluation.operations import contact_values
from dealerdetect.text import normalize

pytestmark = pytest.mark.slow

DATA = ROOT / "tests" / "data" / "file_study"
TTF = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
# Fonts the simulator never draws with (it uses DejaVu only); STIX has Cyrillic and Greek.
FONTS = ("STIXGeneral.ttf", "STIXGeneralBol.ttf", "STIXGeneralItalic.ttf", "cmr10.ttf",
         "cmss10.ttf", "cmtt10.ttf", "cmb10.ttf", "STIXGeneralBolIta.ttf")  # fmt: skip
# (the line drawn, the kind the corpus must find, the value as written). Forms: leet and
# letter-spacing, an app name cut in two, "@" given its own word, "at ... dot", links, look-alike
# letters of other scripts, numbers with a country code, an address OCR reads with a gap.
FORMS = [
    ("wickr: pl0gd4ddy77", "wickr", "pl0gd4ddy77"),
    ("W I C K R  -  xanqueen2019", "wickr", "xanqueen2019"),
    ("snap -> bluebarsking", "snapchat", "bluebarsking"),
    ("text me +44 7700 900481", "phone", "447700900481"),
    ("barsplug at protonmail dot com", "email", "barsplug"),
    ("tele gram @ rx_house_uk", "telegram", "rx_house_uk"),
    ("kik - percs4dayz", "kik", "percs4dayz"),
    ("w\u0456ckr: mollyman_22", "wickr", "mollyman_22"),  # Cyrillic і
    ("t.me/xanaxdirect", "telegram", "xanaxdirect"),
    ("WhatsApp +1 213 373 4253", "whatsapp", "12133734253"),
    ("email: oxy.depot@gmx.net", "email", "oxy.depot"),
    ("Telegram: @Str8Dropz", "telegram", "str8dropz"),
    ("snap chat: m0llyqueen_", "snapchat", "m0llyqueen_"),
    ("T\u0435l\u0435gram - @percpalace", "telegram", "percpalace"),  # Cyrillic е
]
MENUS = ["bars 2mg  $5", "percs 10/325  $20", "molly caps  $15", "blues m30  $30"]


def draw(i: int, line: str) -> Image.Image:
    rng = random.Random(i)
    size = 1080
    dark = i % 2 == 1
    bg = tuple(rng.randint(0, 70) for _ in range(3)) if dark else (240, 236, 222)
    fg = (250, 250, 250) if dark else (25, 25, 40)
    im = Image.new("RGB", (size, size), bg)
    d = ImageDraw.Draw(im)
    for _ in range(8):  # a busy photo behind the note
        x, y, r = rng.randint(0, size), rng.randint(0, size), rng.randint(30, 140)
        d.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rng.randint(0, 255) for _ in range(3)))
    name = "STIXGeneral.ttf" if not line.isascii() else FONTS[i % len(FONTS)]
    font = ImageFont.truetype(str(TTF / name), rng.randint(54, 70))
    lines = [MENUS[i % 4], MENUS[(i + 1) % 4], line]
    top = rng.randint(300, 420)
    d.rectangle([50, top - 30, size - 50, top + 3 * 100], fill=bg)  # a sticker note
    for k, text in enumerate(lines):
        d.text((85, top + 100 * k), text, font=font, fill=fg, stroke_width=i % 3 == 0,
               stroke_fill=fg)  # fmt: skip
    im = im.rotate(rng.uniform(-6, 6), resample=Image.Resampling.BICUBIC, fillcolor=bg)
    return im.filter(ImageFilter.GaussianBlur(1.1)) if i % 4 == 1 else im


def fold(text: str) -> str:
    """The text as the contact detectors read it (look-alikes, leet app names, full-width
    forms folded), casefolded, with the blanks and separators a value may be cut by removed."""
    return re.sub(r"[\s._\-()'+]", "", normalize(text).text.casefold())


def written_files(wd: Path):
    """Every file the study wrote (its own inputs, the raw copy under data/raw and the text
    store data/pictures are the places meant to hold contact details)."""
    for path in sorted(wd.rglob("*")):
        rel = path.relative_to(wd)
        if not path.is_file() or rel.parts[0] in ("input", "workflow", ".snakemake"):
            continue
        if rel.parts[:2] in (("data", "raw"), ("data", "pictures"), ("data", "secrets")):
            continue
        if rel.name in ("Snakefile", "config.yaml", "environment.yml", "file.yaml"):
            continue
        yield rel, path


def test_contacts_in_pictures_stay_out_of_every_file_the_study_writes(tmp_path):
    wd = scratch_workflow(tmp_path)
    src = wd / "input"
    (src / "pics").mkdir(parents=True)
    truth = {r["post_id"]: int(r["label"]) for r in csv.DictReader(open(DATA / "truth.csv"))}
    posts = [json.loads(line) for line in open(DATA / "posts.jsonl", encoding="utf-8")]
    dealers = [p for p in posts if truth[p["id"]] == 1]
    assert len(dealers) >= len(FORMS) + 2
    expected: dict[str, tuple[str, str]] = {}
    for i, (line, kind, value) in enumerate(FORMS):
        post = dealers[i]
        ext = (".png", ".webp", ".jpg")[i % 3]
        draw(i, line).save(src / "pics" / f"p{i}{ext}", quality=70) if ext == ".jpg" else draw(
            i, line
        ).save(src / "pics" / f"p{i}{ext}")
        post["image"] = f"pics/p{i}{ext}"  # relative to the posts file
        expected[post["id"]] = (kind, value)
    dealers[len(FORMS)]["image"] = "pics/gone.jpg"  # a missing file: a counted skip
    (src / "pics" / "notes.jpg").write_text("not a picture\n")
    dealers[len(FORMS) + 1]["image"] = "pics/notes.jpg"
    with open(src / "posts.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in posts)
    ann = wd / "annotation"
    ann.mkdir()
    for coder in ("annotator_a.csv", "annotator_b.csv"):
        with open(ann / coder, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["post_id", "label", "image_category"])
            for pid, label in truth.items():
                w.writerow([pid, label, "prescription;contact" if pid in expected else ""])
    cfg = {
        "collection": {
            "source": "file",
            "file": {"path": str(src / "posts.jsonl"), "format": "jsonl", "apply_discovery": False},
            "annotation_dir": str(ann),
        },
        "models": {"run": ["svm"], "baselines": []},
        "cv": {"folds": 2, "protocols": ["paper"]},
        "pictures": {"cache_dir": "data/pictures/cache"},
    }
    (wd / "file.yaml").write_text(yaml.safe_dump(cfg))
    (wd / "data" / "secrets").mkdir(parents=True)
    (wd / "data" / "secrets" / "salt.txt").write_text("picture-privacy-test\n")
    snakemake(wd, "all", "data/annotation/file/to_annotate.csv", "--configfile", "file.yaml")

    # Every contact picture was read, and each one's contact found in the text read from it.
    summary = json.loads((wd / "results/pictures/summary.json").read_text())
    assert summary["read"] == len(FORMS)
    assert summary["skipped"] == {"missing": 1, "not_a_picture": 1}
    corpus = pd.read_json(wd / "results/corpus/posts.jsonl", lines=True).drop_duplicates("id")
    found = dict(zip(corpus["id"], corpus["picture_contacts"], strict=True))
    missed = {pid: (kind, found[pid]) for pid, (kind, _) in expected.items()
              if kind not in found[pid]}  # fmt: skip
    assert not missed, f"contact kinds not found in the pictures: {missed}"
    char = pd.read_csv(wd / "results/tables/characterization.csv")
    row = char[char["measure"] == "pictures with contact details"]
    assert int(row["posts"].iloc[0]) == len(FORMS)
    apps = char[char["section"] == "messaging app in picture"].set_index("measure")["posts"]
    assert int(apps["wickr"]) == sum(k == "wickr" for _, k, _ in FORMS)

    # None of the values, as written or as read, is in a file the study wrote.
    needles = {fold(value) for _, _, value in FORMS}
    read = [json.loads(x) for x in open(wd / "data/pictures/file/pictures.jsonl", encoding="utf-8")]
    for r in read:
        needles |= {fold(v) for k, v in contact_values(r["text"]) if len(fold(v)) >= 6}
    assert len(needles) >= len(FORMS)
    leaks, scanned = [], []
    for rel, path in written_files(wd):
        scanned.append(rel)
        text = fold(path.read_bytes().decode("utf-8", errors="replace"))
        if path.suffix == ".parquet":
            text += fold(pd.read_parquet(path).to_csv())
        if zipfile.is_zipfile(path):  # model bundles: compressed members
            with zipfile.ZipFile(path) as z:
                text += "".join(fold(z.read(n).decode("utf-8", "replace")) for n in z.namelist())
        leaks += [(str(rel), n) for n in needles if n in text]
    tops = {r.parts[0] if r.parts[0] != "results" else r.parts[1] for r in scanned}
    assert {"corpus", "preprocess", "models", "pictures", "logs", "data"} <= tops, tops
    assert any(r.name == "to_annotate.csv" for r in scanned)
    assert not leaks, f"contact details from pictures written by the study: {leaks[:10]}"
    shutil.rmtree(wd / "data" / "pictures")  # the clear text goes with the test's folder
