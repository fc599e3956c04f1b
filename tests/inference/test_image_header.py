"""ppocr/inference/image_header.py: the size every format's header declares is the size OpenCV
decodes; a header cut short or of another format gives None; a huge declared size is read from a
few hundred bytes, without decoding."""
import io
import struct
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image

from ppocr.inference.image_header import image_size

WIDTH, HEIGHT = 123, 37


def picture(channels=3):
    rng = np.random.default_rng(0)
    return (rng.random((HEIGHT, WIDTH, channels)) * 255).astype(np.uint8)


def opencv(ext, params=(), grey=False):
    image = picture()[:, :, 0] if grey else picture()
    ok, encoded = cv2.imencode(ext, image, list(params))
    assert ok
    return encoded.tobytes()


def pillow(fmt, **options):
    out = io.BytesIO()
    Image.fromarray(picture()).save(out, format=fmt, **options)
    return out.getvalue()


def png_declaring(width, height):
    """A PNG header declaring ``width`` x ``height`` followed by one row: what a decompression bomb looks like."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(1 + width)))


ENCODED = {
    "png": lambda: opencv(".png"),
    "jpeg": lambda: opencv(".jpg"),
    "jpeg progressive": lambda: opencv(".jpg", (cv2.IMWRITE_JPEG_PROGRESSIVE, 1)),
    "jpeg with exif before the frame": lambda: pillow("JPEG", exif=_exif()),
    "bmp": lambda: opencv(".bmp"),
    "tiff": lambda: opencv(".tiff"),
    "tiff big-endian": lambda: _big_endian_tiff(),
    "webp lossy": lambda: opencv(".webp"),
    "webp lossless": lambda: opencv(".webp", (cv2.IMWRITE_WEBP_QUALITY, 101)),
    "webp extended": lambda: pillow("WEBP", icc_profile=b"\0" * 64),
    "gif": lambda: pillow("GIF"),
    "ppm": lambda: opencv(".ppm"),
    "pgm": lambda: opencv(".pgm", grey=True),
    "pbm": lambda: opencv(".pbm", grey=True),
    "pgm with a comment": lambda: b"P5\n# made by hand\n%d %d\n255\n" % (WIDTH, HEIGHT) + bytes(WIDTH * HEIGHT),
}


def _exif():
    exif = Image.Exif()
    exif[0x010E] = "a description long enough to push the frame header further" * 4
    return exif.tobytes()


def _big_endian_tiff():
    out = io.BytesIO()
    Image.fromarray(picture()).save(out, format="TIFF")
    data = out.getvalue()
    assert data[:2] == b"II"  # Pillow writes little-endian; rewrite its one IFD big-endian
    (offset,) = struct.unpack("<I", data[4:8])
    (entries,) = struct.unpack("<H", data[offset : offset + 2])
    fields = []
    for k in range(entries):
        tag, kind, count, value = struct.unpack("<HHII", data[offset + 2 + 12 * k : offset + 14 + 12 * k])
        short = kind == 3 and count == 1
        fields.append(struct.pack(">HHI", tag, kind, count) + (struct.pack(">HH", value & 0xFFFF, 0) if short
                                                              else struct.pack(">I", value)))
    return b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">H", entries) + b"".join(fields) + b"\0\0\0\0"


@pytest.mark.parametrize("kind", sorted(ENCODED))
def test_the_header_size_is_the_decoded_size(kind):
    raw = ENCODED[kind]()
    assert image_size(raw) == (WIDTH, HEIGHT)
    if kind != "tiff big-endian":  # only its header is real
        decoded = cv2.imdecode(np.frombuffer(raw, dtype=np.uint8), cv2.IMREAD_UNCHANGED)
        assert decoded.shape[:2] == (HEIGHT, WIDTH)


def test_bytes_like_inputs_are_read_alike():
    raw = opencv(".png")
    assert image_size(bytearray(raw)) == image_size(memoryview(raw)) == (WIDTH, HEIGHT)


def test_a_bottom_up_and_a_top_down_bitmap_have_the_same_size():
    raw = bytearray(opencv(".bmp"))
    raw[22:26] = struct.pack("<i", -HEIGHT)
    assert image_size(bytes(raw)) == (WIDTH, HEIGHT)


def test_a_huge_declared_size_is_read_from_the_header_alone():
    raw = png_declaring(20000, 20000)
    assert len(raw) < 1000 and image_size(raw) == (20000, 20000)


@pytest.mark.parametrize("raw", [
    b"", b"not an image", b"\x89PNG\r\n\x1a\n", opencv(".png")[:20], opencv(".jpg")[:40], b"\xff\xd8\xff\xd9",
    opencv(".tiff")[:10], b"BM", b"RIFF\0\0\0\0WEBPVP8Z", b"P5\n12", b"GIF89",
], ids=["empty", "text", "png signature", "png cut", "jpeg cut", "jpeg without frame", "tiff cut", "bmp cut",
        "webp unknown chunk", "pnm cut", "gif cut"])
def test_an_unknown_or_cut_header_has_no_size(raw):
    assert image_size(raw) is None
