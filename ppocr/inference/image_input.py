"""What the inference pipeline accepts as images, and the bytes it decodes from each.

One image is a path (``str`` or ``os.PathLike`` such as ``pathlib.Path``), encoded bytes
(``bytes``, ``bytearray``, ``memoryview``) or a decoded ``uint8`` array, OpenCV's BGR ``(H, W, 3)``
or grey ``(H, W)`` (``(H, W, 1)`` and BGRA ``(H, W, 4)`` too): what ``cv2.imread`` gives. A
``list`` or ``tuple`` of those is many images. Anything else, or a list holding a list, is
ambiguous: a one-line ``UserError``.

An image over ``max_image_pixels`` (width x height) is refused from its header, before anything is
decoded (``max_image_pixels=None``: no limit); like a file that cannot be opened or bytes that are no image, it is an
``UnreadableImage`` naming why, which the pipeline turns into a ``Skipped`` result. This is the one
pixel-limit check: the HTTP service answers ``TooManyPixels`` and ``UnknownFormat`` with its own
status codes.
"""
import os

import numpy as np

from ppocr.errors import UserError
from ppocr.inference.image_header import FORMATS, image_size

# the HTTP service's default too (tools/serve.py --max_image_pixels): a word crop is far smaller
MAX_IMAGE_PIXELS = 4_000_000
ONE_IMAGE = "a path, encoded bytes or a uint8 BGR array of shape (H, W, 3) or (H, W)"


class UnreadableImage(Exception):
    """An image the pipeline does not read; ``reason`` says why in one line."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class UnknownFormat(UnreadableImage):
    """Bytes whose header is none of ``image_header``'s formats: their size is unknown before decoding."""

    def __init__(self):
        super().__init__(f"undecodable image: not a {FORMATS} file")


class TooManyPixels(UnreadableImage):
    """An image of more than ``limit`` pixels (``width`` x ``height``, from its header)."""

    def __init__(self, width, height, limit):
        super().__init__(f"too many pixels: {width} x {height} = {width * height}, more than "
                         f"max_image_pixels={limit}: crop or shrink the image (or raise max_image_pixels)")
        self.pixels, self.limit = width * height, limit


def _is_one_image(item):
    return isinstance(item, (str, os.PathLike, bytes, bytearray, memoryview, np.ndarray))


def check_array(item):
    """A one-line UserError unless ``item`` is a uint8 image array (H, W) or (H, W, 1|3|4)."""
    shape_ok = item.ndim == 2 or (item.ndim == 3 and item.shape[2] in (1, 3, 4))
    if item.dtype != np.uint8 or not shape_ok or item.size == 0:
        hint = " (a batch of images is a list of arrays)" if item.ndim == 4 else ""
        raise UserError(f"an image array must be uint8 of shape (H, W, 3) in BGR order or (H, W), got {item.dtype} "
                        f"{item.shape}{hint}: convert it, e.g. cv2.imread(path) gives one")


def as_image_list(images):
    """``(items, single)``: the images of one call as a list, and whether the call gave one image
    (whose result is then returned alone). Every item is checked before any work is done."""
    single = _is_one_image(images)
    if not single and not isinstance(images, (list, tuple)):
        raise UserError(f"cannot read images from a {type(images).__name__}: give one image ({ONE_IMAGE}) "
                        "or a list of them")
    items = [images] if single else list(images)
    for i, item in enumerate(items):
        where = "" if single else f"item {i} of the list: "
        if not _is_one_image(item):
            what = "a list inside the list is ambiguous" if isinstance(item, (list, tuple)) else \
                f"cannot read an image from a {type(item).__name__}"
            raise UserError(f"{where}{what}: give {ONE_IMAGE}")
        if isinstance(item, np.ndarray):
            try:
                check_array(item)
            except UserError as e:
                raise UserError(f"{where}{e}") from None
    return items, single


def over_limit(width, height, limit):
    """Whether an image of ``width`` x ``height`` is over ``limit`` pixels (None: no limit)."""
    return limit is not None and width * height > limit


def encoded_image(item, max_image_pixels=MAX_IMAGE_PIXELS):
    """One checked item (see ``as_image_list``) -> the encoded bytes to decode; an array is encoded
    losslessly (BMP), so it reads exactly as the file ``cv2.imwrite`` would make of it. Raises
    ``UnreadableImage`` for a file that cannot be opened, a header that is none of the formats read
    here, or more than ``max_image_pixels`` pixels (None: no limit; the header is still read).

    Example::

        encoded_image("doc/imgs_words_en/word_10.png")[:4]      # b'\\x89PNG'
        encoded_image(np.zeros([32, 100, 3], dtype=np.uint8))    # b'BM...', a BMP of the array
    """
    if isinstance(item, np.ndarray):
        height, width = item.shape[:2]
        if over_limit(width, height, max_image_pixels):
            raise TooManyPixels(width, height, max_image_pixels)
        import cv2

        ok, encoded = cv2.imencode(".bmp", np.ascontiguousarray(item))
        if not ok:
            raise UnreadableImage(f"OpenCV could not encode the {item.shape} array")
        return encoded.tobytes()
    if isinstance(item, (str, os.PathLike)):
        try:
            with open(item, "rb") as f:
                raw = f.read()
        except OSError as e:
            raise UnreadableImage(f"cannot read {os.fspath(item)!r}: {e.strerror or e}") from None
    else:
        raw = bytes(item)
    size = image_size(raw)
    if size is None:  # its size unknown before decoding, it could be a decompression bomb
        raise UnknownFormat()
    if over_limit(*size, max_image_pixels):
        raise TooManyPixels(*size, max_image_pixels)
    return raw
