"""Pictures of posts: opened safely (:mod:`.load`), read by OCR (:mod:`.ocr`) once per
distinct picture (:mod:`.cache`), and hashed perceptually (:mod:`.phash`) to match reposts.
:func:`read_pictures` does all of it for a run; see ``docs/pictures.md``.
"""

from dealerdetect.pictures.cache import OcrCache
from dealerdetect.pictures.load import PictureSkip, open_picture
from dealerdetect.pictures.ocr import ENGINE_ID, read_text
from dealerdetect.pictures.phash import distance, near, perceptual_hash
from dealerdetect.pictures.read import read_pictures, skip_counts

__all__ = [
    "ENGINE_ID",
    "OcrCache",
    "PictureSkip",
    "distance",
    "near",
    "open_picture",
    "perceptual_hash",
    "read_pictures",
    "read_text",
    "skip_counts",
]
