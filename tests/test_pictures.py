"""Pictures of posts: safe opening (every bad picture a counted skip with its reason), the OCR
cache, perceptual hashes, reading many posts' pictures once each, and the study job's outputs
(no text read from a picture under results/). OCR is mocked except in one slow test."""

import hashlib
import io
import json
import os
import random
import struct
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFile

from dealerdetect.pictures import (
    OcrCache,
    PictureSkip,
    distance,
    near,
    open_picture,
    perceptual_hash,
    read_pictures,
    skip_counts,
)
from dealerdetect.pictures import ocr as ocr_module
from dealerdetect.pictures.job import read_picture_texts, read_study_pictures
from dealerdetect.pictures.phash import MAX_DISTANCE
from dealerdetect.posts import Post, write_jsonl
from dealerdetect.privacy.csvsafe import read_csv

SHA_A = "a" * 64
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 64


# --- helpers ---------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _bomb_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of ``width`` x ``height`` black pixels, small on disk (zeros compress
    about 1000:1), that would take width*height*3 bytes decoded as RGB."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed bits
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _shapes(seed: int, size: int = 256) -> Image.Image:
    """A picture of a dozen random rectangles and ellipses on a random background."""
    rng = random.Random(seed)
    im = Image.new("RGB", (size, size), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x0, y0 = rng.randrange(size), rng.randrange(size)
        box = (x0, y0, x0 + rng.randrange(20, 120), y0 + rng.randrange(20, 120))
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(box, fill=colour)
    return im


def _save(im: Image.Image, path: Path, **kw) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, **kw)
    return path


def _skip(field, **kw) -> PictureSkip:
    """The PictureSkip ``open_picture(field)`` raises (any other outcome fails the test)."""
    with pytest.raises(PictureSkip) as info:
        open_picture(field, **kw)
    skip = info.value
    assert isinstance(skip.message, str) and skip.message
    assert "\n" not in skip.message and "\r" not in skip.message
    assert str(skip) == skip.message
    return skip


def _close(a, b, tol=40) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("open_picture tried to reach the network")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)


@pytest.fixture
def no_decoding(monkeypatch):
    """Any decoding of pixel data fails the test (open_picture would report it as corrupt)."""

    def refuse(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


@pytest.fixture(scope="module")
def bomb_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("bombs")
    (d / "bomb.png").write_bytes(_bomb_png(30000, 30000))  # 900 Mpx, about 110 kB
    (d / "big.png").write_bytes(_bomb_png(7000, 7000))  # 49 Mpx: below Pillow's guard
    (d / "huge.png").write_bytes(_bomb_png(10000, 10000))  # 100 Mpx: Pillow warns
    return d


class FakeOcr:
    """Stands in for ``ocr.read_text``: counts its calls, returns ``text``, or raises for
    pictures whose top-left pixel is ``fail_on``."""

    def __init__(self, text="some text", fail_on=None):
        self.text = text
        self.fail_on = fail_on
        self.calls = 0

    def __call__(self, image):
        self.calls += 1
        assert image.mode == "RGB"
        if self.fail_on is not None and image.getpixel((0, 0)) == self.fail_on:
            raise RuntimeError("onnxruntime exploded\nsecond line of the trace")
        return self.text


@pytest.fixture
def fake_ocr(monkeypatch):
    fake = FakeOcr()
    monkeypatch.setattr(ocr_module, "read_text", fake)
    return fake


# --- 1. opening pictures: good ones ------------------------------------------------------------


def test_good_png_gives_rgb_sha_and_size(tmp_path):
    path = _save(Image.new("RGB", (50, 40), (200, 10, 10)), tmp_path / "a.png")
    im, sha, size = open_picture(path)
    assert im.mode == "RGB" and im.size == (50, 40) and size == (50, 40)
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
    assert im.getpixel((10, 10)) == (200, 10, 10)


def test_relative_path_resolves_against_base_dir(tmp_path, monkeypatch):
    _save(Image.new("RGB", (8, 8), "red"), tmp_path / "images" / "a.png")
    monkeypatch.chdir(tmp_path.parent)
    _, _, size = open_picture(" images/a.png ", base_dir=tmp_path)  # spaces stripped
    assert size == (8, 8)
    assert _skip("images/a.png").reason == "missing"  # without base_dir: cwd


def test_transparent_png_with_black_text_is_flattened_on_white(tmp_path):
    im = Image.new("RGBA", (60, 30), (0, 0, 0, 0))  # transparent *black*
    ImageDraw.Draw(im).rectangle((20, 10, 40, 20), fill=(0, 0, 0, 255))
    out, _, _ = open_picture(_save(im, tmp_path / "t.png"))
    assert out.mode == "RGB"
    assert out.getpixel((2, 2)) == (255, 255, 255)  # a plain convert gives (0, 0, 0)
    assert out.getpixel((30, 15)) == (0, 0, 0)


@pytest.mark.parametrize("mode", ["LA", "P"])
def test_other_transparent_modes_are_flattened_on_white(tmp_path, mode):
    if mode == "LA":
        im = Image.new("LA", (20, 20), (0, 0))
        ImageDraw.Draw(im).rectangle((5, 5, 14, 14), fill=(0, 255))
        path = _save(im, tmp_path / "la.png")
    else:
        im = Image.new("P", (20, 20), 0)
        im.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
        ImageDraw.Draw(im).rectangle((5, 5, 14, 14), fill=1)
        path = _save(im, tmp_path / "p.gif", transparency=0)
    out, _, _ = open_picture(path)
    assert out.getpixel((1, 1)) == (255, 255, 255)
    assert out.getpixel((10, 10)) != (255, 255, 255)


def test_exif_rotation_is_applied(tmp_path):
    # Stored 40x20, left half red, right half blue, with "rotate 90 clockwise to show".
    im = Image.new("RGB", (40, 20), (255, 0, 0))
    ImageDraw.Draw(im).rectangle((20, 0, 39, 19), fill=(0, 0, 255))
    exif = im.getexif()
    exif[0x0112] = 6
    path = _save(im, tmp_path / "phone.jpg", exif=exif, quality=95)
    out, _, _ = open_picture(path)
    assert out.size == (20, 40)  # upright: portrait
    assert _close(out.getpixel((10, 5)), (255, 0, 0))  # the left side is now on top
    assert _close(out.getpixel((10, 34)), (0, 0, 255))


@pytest.mark.parametrize("fmt,suffix", [("PNG", "png"), ("JPEG", "jpg")])
def test_max_side_shrinks_and_keeps_the_original_size(tmp_path, fmt, suffix):
    im = Image.new("RGB", (2000, 1000), (10, 120, 10))
    ImageDraw.Draw(im).rectangle((0, 0, 999, 999), fill=(250, 250, 250))
    path = _save(im, tmp_path / f"wide.{suffix}", format=fmt)
    out, sha, size = open_picture(path, max_side=640)
    assert size == (2000, 1000)
    assert out.size == (640, 320)
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
    assert _close(out.getpixel((100, 160)), (250, 250, 250))
    assert _close(out.getpixel((540, 160)), (10, 120, 10))
    small, _, size = open_picture(path, max_side=4000)
    assert small.size == (2000, 1000) and size == (2000, 1000)


def test_animated_gif_gives_its_first_frame(tmp_path):
    frames = [Image.new("RGB", (30, 30), c) for c in [(255, 0, 0), (0, 255, 0), (0, 0, 255)]]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    with Image.open(path) as check:
        assert check.n_frames == 3
    out, _, size = open_picture(path)
    assert size == (30, 30) and out.mode == "RGB"
    assert _close(out.getpixel((15, 15)), (255, 0, 0), tol=10)


# --- 1. opening pictures: bad ones, each a skip with its reason ---------------------------------


def test_missing_file(tmp_path):
    skip = _skip("nothere.jpg", base_dir=tmp_path)
    assert skip.reason == "missing" and "nothere.jpg" in skip.message


def test_empty_file(tmp_path):
    (tmp_path / "empty.jpg").write_bytes(b"")
    skip = _skip(tmp_path / "empty.jpg")
    assert skip.reason == "empty" and "empty.jpg" in skip.message


def test_text_file_named_jpg_is_not_a_picture(tmp_path):
    (tmp_path / "notes.jpg").write_text("call me on wickr, not a picture\n" * 20)
    skip = _skip(tmp_path / "notes.jpg")
    assert skip.reason == "not_a_picture" and "notes.jpg" in skip.message


def test_truncated_jpeg_is_corrupt(tmp_path):
    path = _save(_shapes(1, 300), tmp_path / "whole.jpg", quality=90)
    data = path.read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 2])
    skip = _skip(tmp_path / "cut.jpg")
    assert skip.reason == "corrupt" and "cut.jpg" in skip.message


def test_garbage_in_png_data_is_corrupt(tmp_path):
    data = _save(_shapes(2, 120), tmp_path / "whole.png").read_bytes()
    idat = data.index(b"IDAT")
    # The signature, IHDR and the IDAT chunk's length and type kept; its data garbage.
    garbage = random.Random(3).randbytes(4000)
    (tmp_path / "broken.png").write_bytes(data[: idat + 4] + garbage)
    skip = _skip(tmp_path / "broken.png")
    assert skip.reason == "corrupt" and "broken.png" in skip.message


def test_garbage_after_png_signature_and_header_is_a_skip(tmp_path):
    data = _save(Image.new("RGB", (50, 40), "red"), tmp_path / "a.png").read_bytes()
    garbage = random.Random(4).randbytes(500)
    for name, head in [("sig.png", data[:8]), ("ihdr.png", data[:33])]:
        (tmp_path / name).write_bytes(head + garbage)
        skip = _skip(tmp_path / name)
        # Pillow rejects the PNG before any pixel: it reports it as unidentified.
        assert skip.reason in ("corrupt", "not_a_picture") and name in skip.message


def test_decompression_bomb_is_too_large_and_never_decoded(bomb_dir, no_decoding):
    assert (bomb_dir / "bomb.png").stat().st_size < 200_000
    started = time.monotonic()
    skip = _skip(bomb_dir / "bomb.png")
    assert skip.reason == "too_large" and "bomb.png" in skip.message
    # Even with our own limit lifted, Pillow's guard (a warning made an error) holds.
    skip = _skip(bomb_dir / "bomb.png", max_pixels=10**12)
    assert skip.reason == "too_large"
    skip = _skip(bomb_dir / "huge.png", max_pixels=10**12)
    assert skip.reason == "too_large" and "huge.png" in skip.message
    assert time.monotonic() - started < 5


def test_max_pixels_limit(bomb_dir, tmp_path, no_decoding):
    skip = _skip(bomb_dir / "big.png")  # 49 Mpx > the default 40 Mpx
    assert skip.reason == "too_large"
    assert "big.png" in skip.message and "7000x7000" in skip.message


def test_max_pixels_boundary(tmp_path):
    path = _save(Image.new("RGB", (100, 50), "red"), tmp_path / "a.png")
    assert open_picture(path, max_pixels=5000)[2] == (100, 50)  # exactly the limit: read
    skip = _skip(path, max_pixels=4999)
    assert skip.reason == "too_large" and "100x50" in skip.message


@pytest.mark.parametrize("name", ["clip.mp4", "CLIP.MOV", "clip.webm"])
def test_video_by_name_is_not_opened(tmp_path, name):
    # Not even read: the name alone decides, whether or not the file exists.
    skip = _skip(name, base_dir=tmp_path)
    assert skip.reason == "video" and name in skip.message
    (tmp_path / name).write_bytes(MP4_HEAD)
    assert _skip(name, base_dir=tmp_path).reason == "video"


@pytest.mark.parametrize(
    "head",
    [MP4_HEAD, b"\x1a\x45\xdf\xa3" + b"\x00" * 60, b"RIFF\x00\x10\x00\x00AVI LIST" + b"\x00" * 50],
    ids=["mp4", "webm", "avi"],
)
def test_video_bytes_named_jpg(tmp_path, head):
    (tmp_path / "photo.jpg").write_bytes(head)
    skip = _skip(tmp_path / "photo.jpg")
    assert skip.reason == "video" and "photo.jpg" in skip.message


def test_url_is_not_fetched_by_default(no_network):
    field = "https://scontent.cdninstagram.com/v/t51/abc.jpg?_nc_sig=SECRETTOKEN&oe=1"
    skip = _skip(field)
    assert skip.reason == "url"
    assert "scontent.cdninstagram.com/v/t51/abc.jpg" in skip.message
    assert "SECRETTOKEN" not in skip.message  # a signed CDN token stays out of messages
    assert _skip("HTTP://example.org/x.png").reason == "url"
    assert _skip("http://example.org/clip.mp4").reason == "url"


class _FakeResponse:
    def __init__(self, body: bytes, length: str | None = None):
        self._body = io.BytesIO(body)
        self.headers = {} if length is None else {"Content-Length": length}

    def read(self, n=-1):
        return self._body.read(n)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_url_fetched_only_with_fetch_urls(tmp_path, monkeypatch):
    body = _save(Image.new("RGB", (12, 9), "blue"), tmp_path / "a.png").read_bytes()
    calls = []

    def fake_urlopen(request, timeout=None):
        calls.append(request.full_url)
        assert timeout is not None  # never an unbounded wait
        return _FakeResponse(body, str(len(body)))

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    _, sha, size = open_picture("https://example.org/a.png?sig=x", fetch_urls=True)
    assert size == (12, 9) and sha == hashlib.sha256(body).hexdigest()
    assert calls == ["https://example.org/a.png?sig=x"]
    # A video address is refused by its name, without a download.
    assert _skip("https://example.org/v.mp4", fetch_urls=True).reason == "video"
    assert len(calls) == 1


def test_url_skips_when_fetching(monkeypatch):
    def say(response):
        monkeypatch.setattr(urllib.request, "urlopen", lambda req, timeout=None: response())

    say(lambda: _FakeResponse(b"x" * 10, "999999"))
    skip = _skip("https://example.org/a.jpg?sig=SECRET", fetch_urls=True, max_bytes=1000)
    assert skip.reason == "too_large" and "SECRET" not in skip.message
    say(lambda: _FakeResponse(b"x" * 2000))  # no Content-Length: counted while reading
    assert _skip("https://example.org/a.jpg", fetch_urls=True, max_bytes=1000).reason == (
        "too_large"
    )
    say(lambda: _FakeResponse(b""))
    assert _skip("https://example.org/a.jpg", fetch_urls=True).reason == "empty"

    def down():
        raise urllib.error.URLError("Name or service not known\nmore")

    say(down)
    skip = _skip("https://example.org/a.jpg?sig=SECRET", fetch_urls=True)
    assert skip.reason == "unreachable" and "SECRET" not in skip.message

    def timeout():
        raise TimeoutError("timed out")

    say(timeout)
    assert _skip("https://example.org/a.jpg", fetch_urls=True).reason == "unreachable"


def test_file_larger_than_max_bytes(tmp_path):
    path = _save(_shapes(5, 100), tmp_path / "a.png")
    size = path.stat().st_size
    assert open_picture(path, max_bytes=size)[2] == (100, 100)
    skip = _skip(path, max_bytes=size - 1)
    assert skip.reason == "too_large" and "a.png" in skip.message


def test_directory_is_not_a_picture(tmp_path):
    (tmp_path / "album.jpg").mkdir()
    skip = _skip("album.jpg", base_dir=tmp_path)
    assert skip.reason == "not_a_picture" and "album.jpg" in skip.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "pipe.jpg")  # reading it would block for ever
    skip = _skip(tmp_path / "pipe.jpg")
    assert skip.reason == "not_a_picture" and "pipe.jpg" in skip.message


def test_path_through_a_file_is_missing(tmp_path):
    (tmp_path / "posts").write_text("a file, not a folder")
    assert _skip("posts/1.jpg", base_dir=tmp_path).reason == "missing"


def test_overlong_name_is_a_skip(tmp_path):
    assert _skip("x" * 300 + ".jpg", base_dir=tmp_path).reason in ("missing", "not_a_picture")


def test_nul_in_name_is_a_skip(tmp_path):
    assert _skip("a\x00.jpg", base_dir=tmp_path).reason in ("missing", "not_a_picture")


def test_every_bad_picture_is_a_counted_skip(tmp_path, bomb_dir, fake_ocr, no_network):
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "notes.jpg").write_text("hello")
    (tmp_path / "clip.jpg").write_bytes(MP4_HEAD)
    (tmp_path / "album").mkdir()
    jpeg = _save(_shapes(6, 200), tmp_path / "whole.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(jpeg[: len(jpeg) // 3])
    _save(Image.new("RGB", (20, 20), "white"), tmp_path / "ok.png")
    posts = [
        ("p1", "gone.jpg"),
        ("p2", "empty.jpg"),
        ("p3", "notes.jpg"),
        ("p4", "cut.jpg"),
        ("p5", str(bomb_dir / "bomb.png")),
        ("p6", "clip.mp4"),
        ("p7", "clip.jpg"),
        ("p8", "https://example.org/x.jpg"),
        ("p9", "album"),
        ("p10", "ok.png"),
    ]
    rows = list(read_pictures(posts, tmp_path, None, {}))
    assert [r["post_id"] for r in rows] == [p for p, _ in posts]
    assert skip_counts(rows) == {
        "corrupt": 1,
        "empty": 1,
        "missing": 1,
        "not_a_picture": 2,
        "too_large": 1,
        "url": 1,
        "video": 2,
    }
    assert list(skip_counts(rows)) == sorted(skip_counts(rows))
    for (_, field), row in zip(posts, rows, strict=True):
        if row["status"] == "read":
            continue
        assert field in row["detail"] and "\n" not in row["detail"]
        assert row["sha256"] == row["phash"] == row["text"] == ""
        assert row["width"] is None and row["height"] is None
    assert rows[-1]["status"] == "read" and fake_ocr.calls == 1


# --- 2. the OCR cache --------------------------------------------------------------------------


def test_cache_roundtrip(tmp_path):
    cache = OcrCache(tmp_path / "cache", engine="engine-1")
    assert cache.get(SHA_A) is None
    cache.put(SHA_A, {"text": "wickr: plug ✓"})
    assert cache.get(SHA_A) == {"text": "wickr: plug ✓", "engine": "engine-1"}
    assert cache.get(SHA_A.upper()) is not None  # hex case does not matter
    assert (tmp_path / "cache" / "aa" / f"{SHA_A}.json").is_file()
    # A fresh object on the same folder (the next run) finds it; nothing temporary is left.
    assert OcrCache(tmp_path / "cache", engine="engine-1").get(SHA_A)["text"] == "wickr: plug ✓"
    assert [p.name for p in (tmp_path / "cache" / "aa").iterdir()] == [f"{SHA_A}.json"]
    cache.put(SHA_A, {"text": "again"})
    assert cache.get(SHA_A)["text"] == "again"


def test_cache_record_by_another_engine_is_a_miss(tmp_path):
    OcrCache(tmp_path, engine="old engine").put(SHA_A, {"text": "old"})
    assert OcrCache(tmp_path, engine="new engine").get(SHA_A) is None
    assert OcrCache(tmp_path, engine="old engine").get(SHA_A)["text"] == "old"
    # The default engine names RapidOCR and its settings.
    assert OcrCache(tmp_path).engine == ocr_module.ENGINE_ID
    assert "rapidocr" in ocr_module.ENGINE_ID


@pytest.mark.parametrize("content", ['{"text": "half', "", "not json", "[1, 2]", '"text"', "null"])
def test_cache_corrupt_file_is_a_miss(tmp_path, content):
    cache = OcrCache(tmp_path, engine="e")
    path = tmp_path / SHA_A[:2] / f"{SHA_A}.json"
    path.parent.mkdir(parents=True)
    path.write_text(content)
    assert cache.get(SHA_A) is None
    cache.put(SHA_A, {"text": "fixed"})
    assert cache.get(SHA_A)["text"] == "fixed"


def test_cache_undecodable_bytes_are_a_miss(tmp_path):
    path = tmp_path / SHA_A[:2] / f"{SHA_A}.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert OcrCache(tmp_path, engine="e").get(SHA_A) is None


@pytest.mark.parametrize(
    "bad",
    ["../../etc", "../" + "a" * 61, "g" * 64, "a" * 63, "a" * 65, "", "a" * 63 + "/"],
    ids=["traversal", "traversal64", "not_hex", "short", "long", "empty", "slash"],
)
def test_cache_rejects_names_that_are_not_sha256(tmp_path, bad):
    cache = OcrCache(tmp_path / "cache", engine="e")
    with pytest.raises(ValueError):
        cache.get(bad)
    with pytest.raises(ValueError):
        cache.put(bad, {"text": "x"})
    assert not any(tmp_path.rglob("*.json"))
    assert not (tmp_path / "cache").exists()


def test_cache_without_folder_is_a_no_op(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cache = OcrCache(None)
    cache.put(SHA_A, {"text": "x"})
    assert cache.get(SHA_A) is None
    assert list(tmp_path.iterdir()) == []


# --- 3. perceptual hashes ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_phash_survives_jpeg_and_resize(seed):
    im = _shapes(seed)
    buf = io.BytesIO()
    im.resize((181, 181), Image.Resampling.BILINEAR).save(buf, "JPEG", quality=40)
    buf.seek(0)
    again = Image.open(buf).convert("RGB")
    a, b = perceptual_hash(im), perceptual_hash(again)
    assert len(a) == 64 and int(a, 16) >= 0  # 256 bits
    assert distance(a, b) <= MAX_DISTANCE and near(a, b)
    assert distance(a, a) == 0


def test_phash_tells_unrelated_pictures_apart():
    hashes = [perceptual_hash(_shapes(seed)) for seed in range(6)]
    noise = [
        perceptual_hash(Image.frombytes("L", (128, 128), random.Random(s).randbytes(128 * 128)))
        for s in (10, 11)
    ]
    hashes += noise
    for i, a in enumerate(hashes):
        for b in hashes[i + 1 :]:
            assert distance(a, b) > MAX_DISTANCE and not near(a, b)
            assert distance(a, b) == distance(b, a)


def test_phash_distance_counts_bits_and_rejects_lengths():
    assert distance("0000000000000000", "000000000000000f") == 4
    assert distance("ffffffffffffffff", "0000000000000000") == 64
    assert near("0000000000000000", "00000000000000ff", max_distance=8)
    assert not near("0000000000000000", "00000000000001ff", max_distance=8)
    with pytest.raises(ValueError):
        distance("abcd", "abcde")
    with pytest.raises(ValueError):
        near("0" * 16, "0" * 15)


# --- OCR line ordering (no engine) -------------------------------------------------------------


def _box(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def test_order_lines_top_to_bottom_left_to_right():
    boxes = [
        (_box(150, 100, 250, 120), "luckybars01", 0.9),
        (_box(10, 10, 90, 30), "MENU", 0.95),
        (_box(10, 102, 140, 122), "wickr:", 0.9),
        (_box(10, 200, 90, 220), "faint", 0.3),  # below the score: dropped
        (_box(10, 300, 90, 320), "   ", 0.99),  # blank: dropped
    ]
    assert ocr_module.order_lines(boxes) == "MENU\nwickr: luckybars01"
    assert ocr_module.order_lines([]) == ""


def test_scaled_detector_sees_a_smaller_copy_and_gives_boxes_in_the_pictures_pixels():
    import numpy as np

    seen = []

    def detector(img):
        seen.append(img.shape)
        h, w = img.shape[:2]
        # One box a quarter in from the corners, one that runs past the copy's edge.
        return np.array([_box(w / 4, h / 4, 3 * w / 4, 3 * h / 4), _box(0, 0, w + 5, h)]), 0.0

    scaled = ocr_module._ScaledDetector(detector, 0.5)
    boxes, _ = scaled(np.zeros((200, 400, 3), dtype=np.uint8))
    assert seen == [(100, 200, 3)]
    assert boxes.dtype == np.float32  # the recognizer's cv2.getPerspectiveTransform needs it
    assert boxes[0].tolist() == _box(100, 50, 300, 150)
    assert boxes[1][:, 0].max() == 399 and boxes[1][:, 1].max() == 199  # inside the picture
    assert ocr_module._ScaledDetector(lambda img: (None, 0.0), 0.5)(np.zeros((8, 8, 3)))[0] is None


# --- 4. reading many posts' pictures -----------------------------------------------------------


def _two_pictures(folder: Path) -> None:
    _save(Image.new("RGB", (64, 48), (255, 255, 255)), folder / "a.png")
    (folder / "copy.png").write_bytes((folder / "a.png").read_bytes())
    _save(Image.new("RGB", (1000, 500), (0, 0, 0)), folder / "b.png")


def test_read_pictures_reads_each_picture_once(tmp_path, fake_ocr):
    _two_pictures(tmp_path)
    posts = [
        ("p1", "a.png"),
        ("p2", "a.png"),
        ("p3", "copy.png"),  # the same bytes under another name
        ("p4", "b.png"),
        ("p5", None),
        ("p6", "   "),
        ("p7", "gone.png"),
    ]
    cache = tmp_path / "cache"
    rows = list(read_pictures(posts, tmp_path, cache, {"max_side": 320}))
    assert fake_ocr.calls == 2
    assert [r["post_id"] for r in rows] == ["p1", "p2", "p3", "p4", "p7"]
    assert [r["status"] for r in rows] == ["read"] * 4 + ["missing"]
    assert rows[0]["sha256"] == rows[1]["sha256"] == rows[2]["sha256"] != rows[3]["sha256"]
    assert rows[0]["phash"] == rows[2]["phash"] and len(rows[0]["phash"]) == 64
    assert (rows[3]["width"], rows[3]["height"]) == (1000, 500)  # the original size
    assert all(r["text"] == "some text" and r["detail"] == "" for r in rows[:4])
    assert skip_counts(rows) == {"missing": 1}

    # The next run with the same cache reads nothing and gives the same rows.
    fake_ocr.text = "different now"
    again = list(read_pictures(posts, tmp_path, cache, {"max_side": 320}))
    assert fake_ocr.calls == 2
    assert again == rows

    # Another size gives another text: the cache misses.
    list(read_pictures(posts, tmp_path, cache, {"max_side": 640}))
    assert fake_ocr.calls == 4


def test_read_pictures_without_cache_reads_each_run(tmp_path, fake_ocr):
    _two_pictures(tmp_path)
    posts = [("p1", "a.png"), ("p2", "copy.png")]
    for _ in range(2):
        assert [r["status"] for r in read_pictures(posts, tmp_path, None, {})] == ["read"] * 2
    assert fake_ocr.calls == 2


def test_read_pictures_ocr_failure_is_a_row_and_the_run_goes_on(tmp_path, monkeypatch):
    _two_pictures(tmp_path)
    fake = FakeOcr(fail_on=(0, 0, 0))  # b.png is black
    monkeypatch.setattr(ocr_module, "read_text", fake)
    posts = [("p1", "b.png"), ("p2", "a.png"), ("p3", "b.png")]
    cache = tmp_path / "cache"
    rows = list(read_pictures(posts, tmp_path, cache, {}))
    assert [r["status"] for r in rows] == ["ocr_failed", "read", "ocr_failed"]
    assert fake.calls == 2  # the failed picture is not tried again within the run
    detail = rows[0]["detail"]
    assert "b.png" in detail and "RuntimeError" in detail and "\n" not in detail
    assert rows[0]["text"] == "" and rows[0]["sha256"] and rows[0]["width"] == 1000
    assert skip_counts(rows) == {"ocr_failed": 2}
    # A failure is not cached: the next run tries again.
    list(read_pictures(posts, tmp_path, cache, {}))
    assert fake.calls == 3


def test_read_pictures_ocr_failure_detail_hides_url_token(tmp_path, monkeypatch):
    body = _save(Image.new("RGB", (10, 10), (0, 0, 0)), tmp_path / "a.png").read_bytes()
    monkeypatch.setattr(urllib.request, "urlopen", lambda req, timeout=None: _FakeResponse(body))
    monkeypatch.setattr(ocr_module, "read_text", FakeOcr(fail_on=(0, 0, 0)))
    field = "https://cdn.example.org/a.png?_nc_sig=SECRETTOKEN"
    (row,) = read_pictures([("p1", field)], None, None, {"fetch_urls": True})
    assert row["status"] == "ocr_failed" and "cdn.example.org/a.png" in row["detail"]
    assert "SECRETTOKEN" not in row["detail"]


def test_read_pictures_disabled_yields_nothing(tmp_path, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("nothing may be opened or read")

    monkeypatch.setattr(ocr_module, "read_text", never)
    monkeypatch.setattr("dealerdetect.pictures.read.open_picture", never)
    _two_pictures(tmp_path)
    rows = read_pictures([("p1", "a.png")], tmp_path, tmp_path / "cache", {"enabled": False})
    assert list(rows) == []
    assert not (tmp_path / "cache").exists()


def test_read_pictures_passes_its_limits(tmp_path, fake_ocr, no_network):
    _two_pictures(tmp_path)
    posts = [("p1", "b.png"), ("p2", "https://example.org/a.png")]
    rows = list(read_pictures(posts, tmp_path, None, {"max_pixels": 1000}))
    assert [r["status"] for r in rows] == ["too_large", "url"]
    assert fake_ocr.calls == 0


def test_skip_counts():
    rows = [{"status": s} for s in ["read", "video", "missing", "video", "read", "corrupt"]]
    assert skip_counts(rows) == {"corrupt": 1, "missing": 1, "video": 2}
    assert list(skip_counts(rows)) == ["corrupt", "missing", "video"]
    assert skip_counts([]) == {} and skip_counts([{"status": "read"}]) == {}


# --- 5. the study job --------------------------------------------------------------------------

SECRET = "wickr: secretplug77"


def _study(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    images = raw / "images"
    _save(_shapes(7, 200), images / "good.jpg", quality=90)
    _save(Image.new("RGB", (300, 100), "white"), images / "blank.png")
    (images / "notes.jpg").write_text("not a picture")
    (images / "empty.jpg").write_bytes(b"")
    (images / "clip.jpg").write_bytes(MP4_HEAD)

    def post(pid, image):
        return Post(
            id=pid,
            user=f"user_{pid}",
            timestamp="2018-08-01T12:00:00Z",
            caption="hit me up",
            image=image,
        )

    posts = [
        post("1", "images/good.jpg"),
        post("2", "images/good.jpg"),  # the same picture twice
        post("3", "images/blank.png"),
        post("4", "images/notes.jpg"),
        post("5", "images/empty.jpg"),
        post("6", "images/gone_owner_name.jpg"),
        post("7", "images/clip.jpg"),
        post("8", "images/reel.mp4"),
        post("9", "https://cdn.example.org/p.jpg?sig=TOKEN"),
        post("10", ""),  # no picture
        post("1", "images/blank.png"),  # a repeated post id counts once
    ]
    write_jsonl(posts, raw / "posts.jsonl")
    return raw / "posts.jsonl"


def _outputs(tmp_path):
    return (
        tmp_path / "data" / "pictures" / "pictures.jsonl",
        tmp_path / "results" / "pictures" / "pictures.csv",
        tmp_path / "results" / "pictures" / "summary.json",
    )


def test_study_job_keeps_the_text_out_of_results(tmp_path, monkeypatch, no_network):
    posts_path = _study(tmp_path)
    fake = FakeOcr(text=SECRET)
    monkeypatch.setattr(ocr_module, "read_text", fake)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # paths resolve against the posts' folder
    texts, table, summary_path = _outputs(tmp_path)
    settings = {"enabled": True, "cache_dir": str(tmp_path / "cache"), "fetch_urls": False}
    summary = read_study_pictures(posts_path, settings, texts, table, summary_path)

    assert fake.calls == 2  # good.jpg (posted twice) and blank.png
    assert SECRET in texts.read_text(encoding="utf-8")
    for path in (table, summary_path):
        written = path.read_text(encoding="utf-8")
        assert "secretplug77" not in written and "wickr" not in written
        assert "gone_owner_name" not in written and "TOKEN" not in written
    assert json.loads(summary_path.read_text(encoding="utf-8")) == summary

    assert summary["posts_with_picture"] == 9
    assert summary["read"] == 3 and summary["with_text"] == 3
    assert summary["skipped"] == {
        "empty": 1,
        "missing": 1,
        "not_a_picture": 1,
        "url": 1,
        "video": 2,
    }
    assert summary["read"] + sum(summary["skipped"].values()) == summary["posts_with_picture"]
    assert summary["cpu_seconds"] >= 0 and summary["cpu_seconds_per_picture"] >= 0

    df = read_csv(table, dtype={"post_id": str})
    assert list(df.columns) == ["post_id", "status", "detail", "width", "height", "characters"]
    assert sorted(df["post_id"]) == sorted(str(i) for i in range(1, 10))
    by_id = df.set_index("post_id")
    assert by_id.loc["1", "status"] == "read" and by_id.loc["1", "width"] == 200
    assert by_id.loc["1", "characters"] == len(SECRET)
    assert by_id.loc["6", "status"] == "missing" and by_id.loc["6", "detail"] == "missing"
    assert by_id.loc["8", "status"] == "video"

    rows = read_picture_texts(texts)
    assert sorted(rows) == sorted(str(i) for i in range(1, 10))
    assert rows["1"]["text"] == SECRET and rows["1"]["sha256"] == rows["2"]["sha256"]
    assert rows["6"]["text"] == "" and rows["6"]["status"] == "missing"

    # A rerun reads nothing again (the cache) and writes the same table.
    before = table.read_bytes()
    read_study_pictures(posts_path, settings, texts, table, summary_path)
    assert fake.calls == 2 and table.read_bytes() == before


def test_study_job_counts_ocr_failures(tmp_path, monkeypatch, no_network):
    posts_path = _study(tmp_path)
    monkeypatch.setattr(ocr_module, "read_text", FakeOcr(text=SECRET, fail_on=(255, 255, 255)))
    texts, table, summary_path = _outputs(tmp_path)
    summary = read_study_pictures(posts_path, {"cache_dir": None}, texts, table, summary_path)
    assert summary["read"] == 2 and summary["skipped"]["ocr_failed"] == 1
    assert summary["read"] + sum(summary["skipped"].values()) == summary["posts_with_picture"]
    assert "onnxruntime exploded" not in table.read_text(encoding="utf-8")


def test_study_job_disabled_counts_every_picture_as_off(tmp_path, monkeypatch):
    posts_path = _study(tmp_path)

    def never(image):
        raise AssertionError("pictures are off")

    monkeypatch.setattr(ocr_module, "read_text", never)
    texts, table, summary_path = _outputs(tmp_path)
    settings = {"enabled": False, "cache_dir": str(tmp_path / "cache")}
    summary = read_study_pictures(posts_path, settings, texts, table, summary_path)
    assert summary["posts_with_picture"] == 9
    assert summary["read"] == 0 and summary["with_text"] == 0
    assert summary["skipped"] == {"pictures_off": 9}
    assert not (tmp_path / "cache").exists()
    rows = read_picture_texts(texts)
    assert len(rows) == 9 and all(r["text"] == "" for r in rows.values())
    assert set(read_csv(table)["status"]) == {"pictures_off"}


def test_study_job_without_pictures(tmp_path, fake_ocr):
    write_jsonl(
        [Post(id="1", user="u", timestamp="2018-08-01T12:00:00Z", caption="c")],
        tmp_path / "posts.jsonl",
    )
    texts, table, summary_path = _outputs(tmp_path)
    summary = read_study_pictures(tmp_path / "posts.jsonl", {}, texts, table, summary_path)
    assert summary["posts_with_picture"] == 0 and summary["skipped"] == {}
    assert summary["cpu_seconds_per_picture"] == 0.0
    assert texts.read_text() == "" and fake_ocr.calls == 0


# --- 6. real OCR -------------------------------------------------------------------------------


@pytest.mark.slow
def test_real_ocr_reads_text_in_order(tmp_path):
    import matplotlib
    from PIL import ImageFont

    from dealerdetect.pictures import read_text

    font_path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    font = ImageFont.truetype(str(font_path), 22)
    im = Image.new("RGB", (320, 320), "white")
    draw = ImageDraw.Draw(im)
    draw.text((30, 60), "MENU", fill="black", font=font)
    draw.text((30, 160), "wickr: luckybars01", fill="black", font=font)
    text = read_text(im)
    lines = [line.replace(" ", "").lower() for line in text.splitlines() if line.strip()]
    assert any("luckybars01" in line for line in lines), text
    menu = next(i for i, line in enumerate(lines) if "menu" in line)
    handle = next(i for i, line in enumerate(lines) if "luckybars01" in line)
    assert menu < handle, text
    assert read_text(im.convert("L")).replace(" ", "").lower() == "\n".join(lines)
    assert read_text(Image.new("RGB", (200, 200), "white")) == ""

    # Through open_picture, saved as a JPEG: the same text.
    path = _save(im, tmp_path / "menu.jpg", quality=85)
    out, _, _ = open_picture(path)
    assert "luckybars01" in read_text(out).replace(" ", "").lower()


def test_same_pictures_links_a_repost_not_a_lookalike():
    from dealerdetect.evaluation.operations import same_pictures

    im = _shapes(0)
    buf = io.BytesIO()
    im.resize((160, 160)).save(buf, "JPEG", quality=40)
    repost = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    ids = ["a1", "b1", "c1", "d1"]
    hashes = [perceptual_hash(im), perceptual_hash(repost), perceptual_hash(_shapes(1)), ""]
    pairs = same_pictures(ids, hashes, MAX_DISTANCE)
    assert pairs[["id_a", "id_b"]].values.tolist() == [["a1", "b1"]]
    # A picture posted by more accounts than the cap is a meme, not one seller's.
    owner = {"a1": "u1", "b1": "u2", "c1": "u3"}
    assert same_pictures(ids, hashes, MAX_DISTANCE, max_accounts=1, owner=owner).empty
    assert len(same_pictures(ids, hashes, MAX_DISTANCE, max_accounts=2, owner=owner)) == 1


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("M30\n1639221", set()),  # pill imprints on two lines: no number
        ("M30\nMSZ3\n03722\n12039", set()),
        ("call/text\n+44 7700 900481", {"phone"}),  # a label line, the number on its own
        ("text +1 213 373 4253", {"phone"}),
        ("WhatsApp\n+1 213 373 4253", {"whatsapp", "phone"}),
        ("WICKR\nplugdaddy77", {"wickr"}),  # an app above its handle
    ],
)
def test_picture_kinds_count_a_number_only_on_one_line(text, kinds):
    from dealerdetect.annotation.corpus import picture_kinds

    assert picture_kinds(text) == kinds


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("kikrxbars7", "rxbars7"),  # OCR lost the blank after the app name
        ("in stock\nwickrplugdaddy hmu", "plugdaddy"),
        ("Telegram:@rx bars7", "bars7"),  # ... or put one inside the handle
        ("snap_m0llyqueen", "m0llyqueen"),
        ("whatsappbluebars99 menu", "bluebars99"),
    ],
)
def test_picture_text_redaction_reads_the_blanks_ocr_loses(text, secret):
    from dealerdetect.privacy.redaction import glued_apps, redact_picture_text

    out = redact_picture_text(text)
    assert secret not in out and "[HANDLE]" in out
    assert glued_apps(text) or "@" in text


@pytest.mark.parametrize("text", ["snapshot of the day", "kikme for the menu", "telegramchannel"])
def test_picture_text_redaction_keeps_words_glued_to_app_names(text):
    from dealerdetect.privacy.redaction import redact_picture_text

    assert redact_picture_text(text) == text
