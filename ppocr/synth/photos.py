"""Photographs and textures to write words on: image files a user points the generator at.

MJSynth blended its words with crops of natural images (Jaderberg et al., 2014) and SynthText
put them into real scenes (Gupta et al., CVPR 2016): a recogniser that has only seen painted
boards mistakes the clutter of a photograph for letters. Installable packages carry such images
(desktop wallpapers, GIMP's patterns, MyPaint's papers; doc/tools/gen_synth_data.md lists them
with their licences); nothing is downloaded. Images are read once per process, shrunk so their
longer side is at most ``MAX_SIDE`` pixels, and GIMP patterns (small seamless tiles) are tiled.

Example::

    files = background_files("/usr/share/backgrounds,/usr/share/gimp/2.0/patterns")
    photo = load_photo(files[0])    # uint8 BGR, longer side <= 720
"""
import functools
import struct

import cv2
import numpy as np

from ppocr.errors import UserError
from ppocr.synth.files import find_files

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".pat")
MAX_SIDE = 720
MIN_SIDE = 48  # icons and thumbnails are not surfaces
TILE_TO = 384  # a pattern tile repeated to at least this many pixels a side
GIMP_MAGIC = b"GPAT"


def background_files(patterns):
    """The image files of ``patterns`` (folders, globs, files; see ``files.find_files``); a
    UserError when a pattern was given and none is found."""
    if not patterns:
        return ()
    files = find_files(patterns, IMAGE_EXTENSIONS)
    if not files:
        raise UserError(f"no background image found in {patterns!r}: give --backgrounds folders or globs of "
                        f"{', '.join(IMAGE_EXTENSIONS)} files (doc/tools/gen_synth_data.md lists Debian packages)")
    return tuple(files)


def read_gimp_pattern(data):
    """A GIMP ``.pat`` file's pixels as uint8 BGR: a big-endian header (size, version, width,
    height, bytes per pixel, ``GPAT``), the pattern's name, then the rows."""
    if len(data) < 24 or data[20:24] != GIMP_MAGIC:
        return None
    header_size, _, width, height, depth = struct.unpack(">5I", data[:20])
    pixels = np.frombuffer(data, dtype=np.uint8, count=width * height * depth, offset=header_size)
    image = pixels.reshape(height, width, depth)
    if depth in (1, 2):
        return cv2.cvtColor(np.ascontiguousarray(image[..., 0]), cv2.COLOR_GRAY2BGR)
    return cv2.cvtColor(np.ascontiguousarray(image[..., :3]), cv2.COLOR_RGB2BGR)


@functools.lru_cache(maxsize=256)
def load_photo(path):
    """``path`` as uint8 BGR with its longer side at most ``MAX_SIDE``, tiles repeated to
    ``TILE_TO``; None for an unreadable or too small image (so one bad file costs nothing)."""
    with open(path, "rb") as f:
        data = f.read()
    if path.lower().endswith(".pat"):
        image = read_gimp_pattern(data)
    else:
        image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), flags=cv2.IMREAD_COLOR)
    if image is None or min(image.shape[:2]) < MIN_SIDE:
        return None
    h, w = image.shape[:2]
    if path.lower().endswith(".pat") and min(h, w) < TILE_TO:
        image = np.tile(image, (-(-TILE_TO // h), -(-TILE_TO // w), 1))
        h, w = image.shape[:2]
    scale = MAX_SIDE / max(h, w)
    if scale < 1.0:
        image = cv2.resize(image, dsize=(max(1, round(w * scale)), max(1, round(h * scale))),
                           interpolation=cv2.INTER_AREA)
    return image


def pick_photos(files, rng, count):
    """``count`` of ``files`` drawn with ``rng`` and loaded (unreadable ones left out)."""
    if not files:
        return []
    chosen = rng.choice(len(files), size=min(count, len(files)), replace=False)
    photos = (load_photo(files[i]) for i in sorted(chosen))
    return [p for p in photos if p is not None]
