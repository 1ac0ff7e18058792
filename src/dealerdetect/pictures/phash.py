"""Perceptual hashes: the same picture re-encoded, resized or lightly edited keeps nearly
the same 64 bits, so reposts can be matched across accounts."""

from __future__ import annotations

import imagehash
from PIL import Image


def perceptual_hash(image: Image.Image) -> str:
    """imagehash's DCT hash (64 bits) as 16 hex digits."""
    return str(imagehash.phash(image, hash_size=8))


def distance(a_hex: str, b_hex: str) -> int:
    """How many of the bits differ."""
    if len(a_hex) != len(b_hex):
        raise ValueError(f"hashes of different lengths: {a_hex!r}, {b_hex!r}")
    return (int(a_hex, 16) ^ int(b_hex, 16)).bit_count()


def near(a: str, b: str, max_distance: int = 8) -> bool:
    """Whether two hashes are the same picture (at most ``max_distance`` bits differ)."""
    return distance(a, b) <= max_distance
