"""Images whose header declares a huge size, made in microseconds from a small one: the service
reads an image's size from its header before decoding anything, so a 20000 x 20000 PNG or JPEG
needs no 400-megapixel encode to test it (their pixel data is a small image's, cut short)."""
import struct
import zlib

import cv2
import numpy as np


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width, height):
    """A grey 8-bit PNG whose IHDR says ``width`` x ``height``; its IDAT holds the first row only."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    first_row = zlib.compress(bytes(1 + width))
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", first_row) + _chunk(b"IEND", b"")


def jpeg_declaring(width, height):
    """A baseline JPEG of 16 x 16 pixels whose start-of-frame marker is rewritten to ``width`` x ``height``."""
    data = bytearray(cv2.imencode(".jpg", np.full([16, 16, 3], 200, dtype=np.uint8))[1].tobytes())
    sof = data.index(b"\xff\xc0")  # SOF0: marker, length (2), precision (1), height (2), width (2)
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)
