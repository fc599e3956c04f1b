"""An encoded image's width and height read from its header, nothing decoded.

What the pixel limit of the inference pipeline is checked with before OpenCV decodes anything: a
438 KB PNG that declares 20000 x 20000 would cost 6 s and 2.7 GB to decode. PNG, JPEG, BMP, GIF,
WebP, TIFF and PNM (pbm, pgm, ppm) headers are read, the formats word images come in; written
with ``struct`` alone, so an onnxruntime deployment needs no Pillow.

Example::

    image_size(open("doc/imgs_words_en/word_10.png", "rb").read())   # (width, height)
"""
import struct

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (they carry the size); C4, C8 and CC are other segments
JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# JPEG markers that stand alone, without a length: TEM, RST0-7, SOI
JPEG_STANDALONE = frozenset([0x01, *range(0xD0, 0xD9)])
FORMATS = "PNG, JPEG, BMP, GIF, WebP, TIFF or PNM"


def _png(data):
    if data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def _jpeg(data):
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        while i < len(data) and data[i] == 0xFF:  # fill bytes before a marker
            i += 1
        if i >= len(data):
            return None
        marker = data[i]
        i += 1
        if marker in JPEG_STANDALONE:
            continue
        if marker in (0xD9, 0xDA):  # end of image, or the scan began with no frame header seen
            return None
        if marker in JPEG_SOF:
            if i + 7 > len(data):
                return None
            height, width = struct.unpack(">HH", data[i + 3 : i + 7])
            return width, height
        i += struct.unpack(">H", data[i : i + 2])[0]
    return None


def _bmp(data):
    (header_size,) = struct.unpack("<I", data[14:18])
    if header_size == 12:  # OS/2 BITMAPCOREHEADER: 16-bit sizes
        return struct.unpack("<HH", data[18:22])
    width, height = struct.unpack("<ii", data[18:26])
    return abs(width), abs(height)  # a negative height is a top-down bitmap


def _gif(data):
    return struct.unpack("<HH", data[6:10])


def _webp(data):
    chunk = data[12:16]
    if chunk == b"VP8 ":  # lossy: 14-bit sizes after the frame tag and start code
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":  # lossless: width-1 and height-1 packed in 14 bits each after the signature
        (bits,) = struct.unpack("<I", data[21:25])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":  # extended: the canvas, width-1 and height-1 in 24 bits each
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def _tiff(data):
    order = "<" if data[:2] == b"II" else ">"
    (offset,) = struct.unpack(order + "I", data[4:8])
    (entries,) = struct.unpack(order + "H", data[offset : offset + 2])
    size = {}
    for k in range(entries):
        start = offset + 2 + 12 * k
        tag, kind = struct.unpack(order + "HH", data[start : start + 4])
        if tag in (256, 257):  # ImageWidth, ImageLength of the first page (the one OpenCV decodes)
            value = data[start + 8 : start + 12]
            size[tag] = struct.unpack(order + ("H" if kind == 3 else "I"), value[: 2 if kind == 3 else 4])[0]
    return (size[256], size[257]) if len(size) == 2 else None


def _pnm(data):
    tokens, i = [], 2
    while len(tokens) < 2 and i < len(data):
        if data[i : i + 1] == b"#":  # a comment runs to the end of its line
            while i < len(data) and data[i : i + 1] not in (b"\n", b"\r"):
                i += 1
        elif data[i : i + 1].isspace():
            i += 1
        else:
            start = i
            while i < len(data) and data[i : i + 1].isdigit():
                i += 1
            if i == start:
                return None
            tokens.append(int(data[start:i]))
    return tuple(tokens) if len(tokens) == 2 else None


def _reader(data):
    if data.startswith(PNG_SIGNATURE):
        return _png
    if data.startswith(b"\xff\xd8"):
        return _jpeg
    if data.startswith(b"BM"):
        return _bmp
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return _gif
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return _webp
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return _tiff
    if data[:1] == b"P" and data[1:2] in (b"1", b"2", b"3", b"4", b"5", b"6"):
        return _pnm
    return None


def image_size(raw):
    """``(width, height)`` declared by the header of the encoded image ``raw`` (bytes-like), or None
    when it is not one of the ``FORMATS`` or its header is cut short."""
    data = bytes(raw)
    reader = _reader(data)
    if reader is None:
        return None
    try:
        size = reader(data)
    except (struct.error, KeyError, IndexError):  # a header cut short
        return None
    return (int(size[0]), int(size[1])) if size else None
