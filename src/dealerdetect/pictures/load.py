"""Open one post's picture safely: bounded reads, no decompression bombs, no videos, and one
clear reason whenever a picture is not read. Nothing is ever written."""

from __future__ import annotations

import hashlib
import io
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".webm", ".avi", ".mkv", ".3gp"})

# ISO base media files (mp4, mov, 3gp) start with an 'ftyp' box; these brands are still
# pictures (HEIF/AVIF), which Pillow may be able to open.
_PICTURE_BRANDS = frozenset(
    {b"avif", b"avis", b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
)

FETCH_TIMEOUT_S = 20
# urlopen's timeout is per socket read: a server dripping one byte every 19 s would never time
# out, so the whole download gets a deadline too.
FETCH_DEADLINE_S = 60
_CHUNK = 1 << 16


class PictureSkip(Exception):
    """A picture that is not read: ``reason`` is a short code, ``message`` one line naming
    the file."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


def is_url(field: str) -> bool:
    return field[:8].lower().startswith(("http://", "https://"))


def url_name(url: str) -> str:
    # The query string of a CDN address may carry a signed token: leave it out of messages.
    return url.split("?", 1)[0].split("#", 1)[0]


def _sniff_video(head: bytes) -> bool:
    if head[4:8] == b"ftyp":
        return head[8:12] not in _PICTURE_BRANDS
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: webm, mkv
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return True
    return head[:3] == b"FLV"


def _read_file(path: Path, name: str, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PictureSkip("missing", f"{name}: no such file") from None
    except (OSError, ValueError) as exc:
        # A folder in the path that is a file, a name too long, a NUL byte: no picture there.
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise PictureSkip("missing", f"{name}: cannot be opened ({why})") from None
    if not path.is_file():
        raise PictureSkip("not_a_picture", f"{name}: not a regular file")
    if size == 0:
        raise PictureSkip("empty", f"{name}: file is empty (0 bytes)")
    if size > max_bytes:
        raise PictureSkip("too_large", f"{name}: {size} bytes, more than the {max_bytes} allowed")
    with open(path, "rb") as fh:
        # Read at most one byte past the limit: the file may grow between stat and read.
        data = fh.read(max_bytes + 1)
    if not data:
        raise PictureSkip("empty", f"{name}: file is empty (0 bytes)")
    if len(data) > max_bytes:
        raise PictureSkip("too_large", f"{name}: more than the {max_bytes} bytes allowed")
    return data


def _fetch(url: str, name: str, max_bytes: int) -> bytes:
    deadline = time.monotonic() + FETCH_DEADLINE_S
    request = urllib.request.Request(url, headers={"User-Agent": "dealerdetect"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise PictureSkip(
                    "too_large", f"{name}: {length} bytes, more than the {max_bytes} allowed"
                )
            chunks, total = [], 0
            while True:
                chunk = resp.read(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise PictureSkip(
                        "too_large", f"{name}: more than the {max_bytes} bytes allowed"
                    )
                if time.monotonic() > deadline:
                    raise PictureSkip(
                        "unreachable", f"{name}: download took over {FETCH_DEADLINE_S} s"
                    )
                chunks.append(chunk)
    except PictureSkip:
        raise
    except (urllib.error.URLError, OSError, ValueError) as exc:
        # HTTPError is a URLError; timeouts are OSErrors; ValueError: a malformed address.
        reason = getattr(exc, "reason", None) or exc
        raise PictureSkip("unreachable", f"{name}: {reason}".splitlines()[0]) from None
    data = b"".join(chunks)
    if not data:
        raise PictureSkip("empty", f"{name}: the server sent 0 bytes")
    return data


def _flatten(im: Image.Image) -> Image.Image:
    """RGB, transparent parts on white (black text on a transparent background stays
    readable; a plain convert would turn it black on black)."""
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return im.convert("RGB")


def open_picture(
    path_or_field: str | Path,
    *,
    base_dir: str | Path | None = None,
    max_side: int = 640,
    max_pixels: int = 40_000_000,
    max_bytes: int = 30 * 1024 * 1024,
    fetch_urls: bool = False,
) -> tuple[Image.Image, str, tuple[int, int]]:
    """The picture as RGB with its longer side at most ``max_side``, the sha256 (hex) of its
    bytes and its original (width, height). Raises :class:`PictureSkip` when it is not read.

    Relative paths resolve against ``base_dir``. http(s) fields are fetched only with
    ``fetch_urls``. Animated pictures give their first frame.
    """
    field = str(path_or_field).strip()
    if is_url(field):
        name = url_name(field)
        if not fetch_urls:
            raise PictureSkip("url", f"{name}: a web address, and pictures.fetch_urls is off")
        suffix = Path(name).suffix.lower()
        if suffix in VIDEO_SUFFIXES:
            raise PictureSkip("video", f"{name}: a video ({suffix}), not a picture")
        data = _fetch(field, name, max_bytes)
    else:
        name = field
        path = Path(field)
        if not path.is_absolute() and base_dir is not None:
            path = Path(base_dir) / path
        suffix = path.suffix.lower()
        if suffix in VIDEO_SUFFIXES:
            raise PictureSkip("video", f"{name}: a video ({suffix}), not a picture")
        data = _read_file(path, name, max_bytes)

    if _sniff_video(data[:16]):
        raise PictureSkip("video", f"{name}: a video (by its content), not a picture")
    sha = hashlib.sha256(data).hexdigest()

    with warnings.catch_warnings():
        # Pillow warns (and past twice its limit raises) on huge pictures; either is a bomb.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PictureSkip("too_large", f"{name}: too many pixels to decode") from None
        except UnidentifiedImageError:
            raise PictureSkip("not_a_picture", f"{name}: not a picture Pillow can read") from None
        except Exception as exc:  # a broken header may raise anything
            raise PictureSkip("corrupt", f"{name}: unreadable header ({exc})") from None
        with im:
            # Image.open reads only the header: the size is checked before any decoding.
            width, height = im.size
            if width * height > max_pixels:
                raise PictureSkip(
                    "too_large",
                    f"{name}: {width}x{height} pixels, more than the {max_pixels} allowed",
                )
            if width <= 0 or height <= 0:
                raise PictureSkip("corrupt", f"{name}: {width}x{height} pixels")
            try:
                if im.format == "JPEG":
                    # Decode at a reduced DCT scale straight away: less CPU and memory.
                    im.draft("RGB", (max_side, max_side))
                im.seek(0)  # animated GIF/WebP/APNG: the first frame
                im.load()
                # Phones store portrait shots sideways with an EXIF turn.
                out = _flatten(ImageOps.exif_transpose(im))
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise PictureSkip("too_large", f"{name}: too many pixels to decode") from None
            except Exception as exc:  # truncated or broken data
                detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise PictureSkip("corrupt", f"{name}: could not be decoded ({detail})") from None
    if max(out.size) > max_side:
        out.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return out, sha, (width, height)
