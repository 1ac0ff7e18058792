"""The study's pictures: every collected post's picture read once, for the workflow's
``read_pictures`` job.

Writes the text read from each picture, in clear, with its sha256 and perceptual hash to a
git-ignored file under ``data/pictures/<source>/`` (label_corpus redacts the text, operations
compares the hashes), and under ``results/pictures/`` only what a reader may see: per post
whether its picture was read or why not, its size and how many characters were read, and the
counts by reason. No picture is ever copied, and no text read from one is written there.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from pathlib import Path

from dealerdetect.posts import read_jsonl, write_jsonl
from dealerdetect.privacy.csvsafe import write_rows

log = logging.getLogger(__name__)

TABLE_COLUMNS = ["post_id", "status", "detail", "width", "height", "characters"]


def study_pictures(posts_path: str | Path) -> list[tuple[str, str]]:
    """(post id, image field) once per collected post that names a picture."""
    seen: dict[str, str] = {}
    for p in read_jsonl(posts_path):
        if p.image and p.id not in seen:
            seen[p.id] = p.image
    return list(seen.items())


def read_study_pictures(
    posts_path: str | Path,
    settings: dict,
    texts_path: str | Path,
    table_path: str | Path,
    summary_path: str | Path,
) -> dict:
    """Read the pictures of the posts in ``posts_path`` (``data/raw/<source>/posts.jsonl``);
    relative image paths are resolved against its folder. With ``settings["enabled"]`` false
    nothing is read and every picture is counted as ``pictures_off``."""
    posts_path = Path(posts_path)
    wanted = study_pictures(posts_path)
    started = time.process_time()
    if settings.get("enabled", True):
        from dealerdetect.pictures.read import read_pictures

        cache = settings.get("cache_dir")
        rows = list(
            read_pictures(wanted, posts_path.parent, Path(cache) if cache else None, settings)
        )
    else:
        rows = [
            {"post_id": pid, "status": "pictures_off", "detail": "pictures.enabled is false"}
            for pid, _ in wanted
        ]
    seconds = time.process_time() - started
    write_jsonl(
        [
            {
                "post_id": r["post_id"],
                "status": r["status"],
                "sha256": r.get("sha256", ""),
                "phash": r.get("phash", ""),
                "text": r.get("text", ""),
            }
            for r in rows
        ],
        texts_path,
    )
    Path(table_path).parent.mkdir(parents=True, exist_ok=True)
    with open(table_path, "w", newline="", encoding="utf-8") as fh:
        write_rows(
            fh,
            TABLE_COLUMNS,
            (
                [
                    r["post_id"],
                    r["status"],
                    # A skip's detail names the file; a user's path may hold a name: keep it
                    # to the reason (the log has the whole line).
                    r["status"] if r["status"] != "read" else "",
                    r.get("width", ""),
                    r.get("height", ""),
                    len(r.get("text", "") or ""),
                ]
                for r in rows
            ),
        )
    for r in rows:
        if r["status"] not in ("read", "pictures_off"):
            log.warning("picture of post %s not read: %s", r["post_id"], r.get("detail", ""))
    status = Counter(r["status"] for r in rows)
    summary = {
        "posts_with_picture": len(wanted),
        "read": status.get("read", 0),
        "with_text": sum(
            1 for r in rows if r["status"] == "read" and (r.get("text") or "").strip()
        ),
        "skipped": {k: v for k, v in sorted(status.items()) if k != "read"},
        "cpu_seconds": round(seconds, 2),
        "cpu_seconds_per_picture": round(seconds / len(rows), 4) if rows else 0.0,
    }
    Path(summary_path).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    log.info("pictures: %s", summary)
    return summary


def read_picture_texts(path: str | Path) -> dict[str, dict]:
    """The rows :func:`read_study_pictures` wrote to ``data/pictures/<source>/pictures.jsonl``,
    by post id (``status``, ``sha256``, ``phash``, ``text``)."""
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                out[str(row["post_id"])] = row
    return out
