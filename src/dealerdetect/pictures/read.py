"""Read the pictures of many posts: open each safely, hash it, OCR it once per distinct
picture (by sha256, within the run and across runs through the cache)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from dealerdetect.pictures import ocr
from dealerdetect.pictures.cache import OcrCache
from dealerdetect.pictures.load import PictureSkip, is_url, open_picture, url_name
from dealerdetect.pictures.phash import perceptual_hash


def _shown(field: str) -> str:
    """The field as a message may show it: a web address without its query (a CDN's signed
    token), as ``load`` names it."""
    field = str(field).strip()
    return url_name(field) if is_url(field) else field


def _skip_row(post_id, reason: str, detail: str) -> dict:
    return {
        "post_id": post_id,
        "status": reason,
        "detail": detail,
        "sha256": "",
        "phash": "",
        "width": None,
        "height": None,
        "text": "",
    }


def read_pictures(
    posts: Iterable[tuple[object, str | None]],
    base_dir: str | Path | None,
    cache_dir: str | Path | None,
    settings: dict,
) -> Iterator[dict]:
    """One row per post naming a picture: ``post_id``, ``status`` ("read" or why not),
    ``detail`` (one line naming the file; "" when read), ``sha256``, ``phash``, ``width`` and
    ``height`` (original size) and ``text``. Nothing at all with ``settings["enabled"]``
    false. OCR errors give status ``ocr_failed``, never an exception."""
    if not settings.get("enabled", True):
        return
    max_side = int(settings.get("max_side", 640))
    # The text read depends on the size the picture is shrunk to: part of the cache key.
    cache = OcrCache(cache_dir, engine=f"{ocr.ENGINE_ID} max_side={max_side}")
    options = {
        "max_side": max_side,
        "max_pixels": int(settings.get("max_pixels", 40_000_000)),
        "fetch_urls": bool(settings.get("fetch_urls", False)),
    }
    # sha256 -> (status, detail, text): a picture posted twice is read once.
    seen: dict[str, tuple[str, str, str]] = {}
    for post_id, field in posts:
        if field is None or not str(field).strip():
            continue
        try:
            image, sha, (width, height) = open_picture(field, base_dir=base_dir, **options)
        except PictureSkip as skip:
            yield _skip_row(post_id, skip.reason, skip.message)
            continue
        if sha not in seen:
            record = cache.get(sha)
            if record is not None:
                seen[sha] = ("read", "", str(record.get("text", "")))
            else:
                try:
                    text = ocr.read_text(image)
                except Exception as exc:  # the engine's errors are its own; none may stop a run
                    first = (str(exc).splitlines() or [""])[0]
                    seen[sha] = (
                        "ocr_failed",
                        f"{_shown(field)}: OCR failed ({type(exc).__name__}: {first})",
                        "",
                    )
                else:
                    seen[sha] = ("read", "", text)
                    cache.put(sha, {"text": text})
        status, detail, text = seen[sha]
        yield {
            "post_id": post_id,
            "status": status,
            "detail": detail,
            "sha256": sha,
            "phash": perceptual_hash(image),
            "width": width,
            "height": height,
            "text": text,
        }


def skip_counts(rows: Iterable[dict]) -> dict[str, int]:
    """How many pictures were not read, by reason (status), reasons sorted."""
    counts = Counter(r["status"] for r in rows if r["status"] != "read")
    return dict(sorted(counts.items()))
