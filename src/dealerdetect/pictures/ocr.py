"""Text in a picture, read by RapidOCR (PP-OCRv4 on onnxruntime) with fast settings.

The engine is created once per process, on first use: loading the models takes about a
second, reading a 640-pixel picture a fraction of one.
"""

from __future__ import annotations

import re
import threading
from importlib import metadata

from PIL import Image

# Settings, by RapidOCR 1.4.4's names (rapidocr_onnxruntime/config.yaml and
# utils/parse_parameters.py). No angle classifier: post pictures are upright, and it costs a
# model run per box. "max" keeps the detector from upscaling: the default ("min", 736)
# enlarges the shorter side to 736, i.e. a 640x360 picture to 1308x736. (Under "max" this
# version ignores the length and caps at 960; read_pictures' max_side shrinks a picture first.)
# Snakemake gives the job one core: one onnxruntime thread each. One text box per recognizer
# run: batches pad every box to the widest, and on 144 simulated pictures one at a time took
# 0.138 CPU-s a picture against 0.187 with the default 6, at the same character accuracy
# (0.819 against 0.817). A box is padded to at least 160 pixels wide, not 320: the recognizer's
# cost grows with the width, and 60% of the boxes in the default study's pictures are narrower
# than 320 (bench/ocr_settings.py, docs/pictures.md).
ENGINE_SETTINGS = {
    "use_cls": False,
    "rec_batch_num": 1,
    "rec_img_shape": [3, 48, 160],
    "det_limit_type": "max",
    "det_limit_side_len": 640,
    "text_score": 0.5,
    "intra_op_num_threads": 1,
    "inter_op_num_threads": 1,
}
# The detector finds the boxes on a copy shrunk to this scale; the recognizer reads them from
# the picture itself. On the default study's 1,587 pictures (bench/ocr_settings.py,
# docs/pictures.md) 0.9 costs about a quarter less than the full size, finds one more of the
# 60 pictures with a contact and reads 0.7 points fewer characters; 0.85 missed one more
# contact picture and 1.3 points of characters.
DET_SCALE = 0.9
MIN_SCORE = 0.5
# PP-OCR reads an underscore, which sits below the line, as an apostrophe ("rx'house'uk",
# "plug'22"): measured on handles drawn in STIX and Computer Modern. An apostrophe between two
# letters or digits that is no English contraction ("don't", "it's", "we'll") is read back as
# the underscore: a handle then stays whole for the contact detector.
_APOSTROPHE_RE = re.compile(
    r"(?<=[A-Za-z0-9])['`\u2019](?!(?:s|t|re|ll|ve|d|m)(?![A-Za-z0-9]))(?=[A-Za-z0-9])",
    re.IGNORECASE,
)
_REPAIRS = "underscore1"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


# Goes into every cache record: a changed engine, model or setting reads the pictures again.
ENGINE_ID = (
    f"rapidocr-onnxruntime {_version('rapidocr-onnxruntime')}"
    f" onnxruntime {_version('onnxruntime')} PP-OCRv4"
    f" cls=off det=max640 det_scale={DET_SCALE} rec_batch=1 rec_min_width=160 score>=0.5"
    f" threads=1 repairs={_REPAIRS}"
)

_engine = None
_lock = threading.Lock()


class _ScaledDetector:
    """RapidOCR's detector run on a copy of the picture shrunk by ``scale``, its boxes given
    back in the picture's own pixels."""

    def __init__(self, detector, scale: float):
        self.detector, self.scale = detector, scale

    def __call__(self, img):
        import cv2
        import numpy as np

        h, w = img.shape[:2]
        size = (max(32, round(w * self.scale)), max(32, round(h * self.scale)))
        boxes, elapsed = self.detector(cv2.resize(img, size, interpolation=cv2.INTER_AREA))
        if boxes is None or len(boxes) == 0:
            return boxes, elapsed
        # The copy's own ratios: a tiny picture is not shrunk below 32 pixels.
        # float32: the recognizer's perspective warp refuses float64 corners.
        ratios = np.array([size[0] / w, size[1] / h], dtype=np.float32)
        boxes = np.asarray(boxes, dtype=np.float32) / ratios
        boxes[..., 0] = np.clip(boxes[..., 0], 0, w - 1)
        boxes[..., 1] = np.clip(boxes[..., 1], 0, h - 1)
        return boxes, elapsed


def build_engine(settings: dict | None = None, det_scale: float = DET_SCALE):
    """A RapidOCR engine with the project's settings (``settings`` overrides some, for the
    benchmarks) and its detector on a copy shrunk to ``det_scale``."""
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR(**{**ENGINE_SETTINGS, **(settings or {})})
    if det_scale != 1.0:
        engine.text_det = _ScaledDetector(engine.text_det, det_scale)
    return engine


def _get_engine():
    global _engine
    with _lock:
        if _engine is None:
            import cv2

            # OpenCV's resize and warp otherwise use every core, past the job's one.
            cv2.setNumThreads(1)
            _engine = build_engine()
        return _engine


def order_lines(boxes: list[tuple[list[list[float]], str, float]]) -> str:
    """Boxes (four corner points, text, score) as lines, top to bottom; boxes whose middles
    lie within one line's height are one line, read left to right."""
    items = []
    for points, text, score in boxes:
        text = text.strip()
        if not text or float(score) < MIN_SCORE:
            continue
        ys = [p[1] for p in points]
        xs = [p[0] for p in points]
        items.append((min(ys), max(ys), min(xs), text))
    items.sort(key=lambda it: ((it[0] + it[1]) / 2, it[2]))
    lines: list[list[tuple[float, str]]] = []
    top = bottom = None
    for y0, y1, x0, text in items:
        middle = (y0 + y1) / 2
        if lines and top <= middle <= bottom:
            lines[-1].append((x0, text))
            top, bottom = min(top, y0), max(bottom, y1)
        else:
            lines.append([(x0, text)])
            top, bottom = y0, y1
    return "\n".join(" ".join(t for _, t in sorted(line)) for line in lines)


def repair(text: str) -> str:
    """The OCR misreadings that break contact details undone (see ``_APOSTROPHE_RE``)."""
    return _APOSTROPHE_RE.sub("_", text)


def read_text(image: Image.Image) -> str:
    """The text in ``image`` (PIL, any mode), lines joined with newlines in reading order;
    "" when none is found."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    result, _elapsed = _get_engine()(image)
    if not result:
        return ""
    return repair(order_lines([(r[0], r[1], r[2]) for r in result]))
