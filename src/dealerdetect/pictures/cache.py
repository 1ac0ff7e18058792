"""OCR results by picture sha256: one small JSON file each, so a rerun reads no picture twice.

The files hold the text of pictures in clear (contact details included): keep the folder
git-ignored (``data/pictures/cache``).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from dealerdetect.pictures.ocr import ENGINE_ID

_SHA256 = re.compile(r"[0-9a-f]{64}")


class OcrCache:
    """``folder/<first two hex>/<sha256>.json``; ``folder`` None = no cache. A record made by
    another engine (``engine``, default :data:`~dealerdetect.pictures.ocr.ENGINE_ID`) or a
    file that does not parse is a miss."""

    def __init__(self, folder: str | Path | None, *, engine: str = ENGINE_ID):
        self.folder = Path(folder) if folder is not None else None
        self.engine = engine

    def _path(self, sha256: str) -> Path | None:
        if self.folder is None:
            return None
        sha = sha256.lower()
        # The name becomes a path: anything but a hex digest could climb out of the folder.
        if not _SHA256.fullmatch(sha):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.folder / sha[:2] / f"{sha}.json"

    def get(self, sha256: str) -> dict | None:
        path = self._path(sha256)
        if path is None:
            return None
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("engine") != self.engine:
            return None
        return record

    def put(self, sha256: str, record: dict) -> None:
        path = self._path(sha256)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({**record, "engine": self.engine}, ensure_ascii=False)
        # Write a temporary file beside it and rename: a killed job leaves no half record.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:8]}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
