"""Sets of word crops as the leak check compares them: a ``path<TAB>label`` file (paths relative
to the file's folder unless absolute; a crop is named by its path as written) or a folder of
LMDBs (a crop is named by the ``name`` of its ``meta-%09d`` entry, as ``convert_public_set``
writes it, else ``LMDB@index``). Each crop is kept as its grey 32x12 thumbnail (area-averaged,
mean removed, unit length) and the MD5 of its decoded grey pixels, with where to read it again.

Example::

    from ppocr.synth.crop_sets import CropSet
    test = CropSet.load("lists/iiit5k_test.txt")
    len(test), test.features().shape   # 3000, (3000, 384)
"""
import hashlib
import io
import os

import cv2
import numpy as np

from ppocr.data import lmdb_format
from ppocr.errors import UserError
from ppocr.synth.public_sets import normalised

THUMBNAIL = (32, 12)  # width, height: a word's coarse layout; fine detail (JPEG, blur) averaged out
REGISTER_HEIGHT = 32  # the height crops are compared at when their boxes may differ
# text heights of two cuts of one word differ by a box's margins: up to a quarter either way, in steps
# of 4.6 % (at 32 pixels a stroke is 2-3 pixels wide: a coarser step misses the match)
REGISTER_SCALES = tuple(float(s) for s in np.geomspace(0.8, 1.25, 11))
REGISTER_ASPECT = 2.0  # two boxes around one word differ in width by their margins, not twice over


def thumbnail(grey):
    """The unit-length, zero-mean grey 32x12 thumbnail of a crop (zeros for a flat crop)."""
    small = cv2.resize(grey, THUMBNAIL, interpolation=cv2.INTER_AREA).astype(np.float32).ravel()
    small -= small.mean()
    norm = float(np.linalg.norm(small))
    return small / norm if norm > 1e-6 else np.zeros_like(small)


def to_register(grey):
    """A grey crop at the height ``registered_correlation`` compares (aspect ratio kept)."""
    width = max(8, round(grey.shape[1] * REGISTER_HEIGHT / grey.shape[0]))
    return cv2.resize(grey, (width, REGISTER_HEIGHT), interpolation=cv2.INTER_AREA)


def registered_correlation(a, b):
    """How well two crops (``to_register`` forms) show one word cut by different boxes: the inner
    part of one (its margins, where boxes differ most, trimmed), scaled by a few factors, slid over
    the other; the best normalised cross-correlation of the two ways round, in [-1, 1]. Crops whose
    widths (at one height) differ by more than ``REGISTER_ASPECT`` are not two cuts of one word, and
    a crop narrower than it is high holds a word written downwards, whose few columns at this
    height match anything: -1."""
    best = -1.0
    if max(a.shape[1] / b.shape[1], b.shape[1] / a.shape[1]) > REGISTER_ASPECT or \
            min(a.shape[1], b.shape[1]) < REGISTER_HEIGHT:
        return best
    for fixed, moving in ((a, b), (b, a)):
        pad = round(0.4 * REGISTER_HEIGHT)
        field = cv2.copyMakeBorder(fixed, pad, pad, pad, pad, borderType=cv2.BORDER_REPLICATE).astype(np.float32)
        for scale in REGISTER_SCALES:
            height = round(REGISTER_HEIGHT * scale)
            scaled = cv2.resize(moving, (max(8, round(moving.shape[1] * scale)), height), interpolation=cv2.INTER_AREA)
            dy, dx = round(0.12 * height), round(0.06 * scaled.shape[1])
            template = scaled[dy:height - dy, dx:scaled.shape[1] - dx].astype(np.float32)
            if template.shape[0] > field.shape[0] or template.shape[1] > field.shape[1] or template.std() < 1.0:
                continue
            best = max(best, float(cv2.matchTemplate(field, template, cv2.TM_CCOEFF_NORMED).max()))
    return best


def decode(raw, flags=cv2.IMREAD_GRAYSCALE):
    """Encoded image bytes as an array (Pillow for what OpenCV cannot read), or None."""
    img = cv2.imdecode(np.frombuffer(raw, dtype=np.uint8), flags) if raw else None
    if img is None and raw:
        from PIL import Image
        try:
            with Image.open(io.BytesIO(raw)) as pil:
                rgb = np.asarray(pil.convert("RGB"))
        except (OSError, ValueError):
            return None
        img = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY if flags == cv2.IMREAD_GRAYSCALE else cv2.COLOR_RGB2BGR)
    return img


class CropSet:
    """The crops of one set: names, labels, thumbnails, pixel digests, and where to read each again."""

    def __init__(self, name, keep_grey=False):
        self.name = name
        self.names, self.labels, self.where, self.thumbs, self.digests = [], [], [], [], []
        self.greys = [] if keep_grey else None  # to_register forms, for the re-cut check
        self.unreadable = []  # [(name, reason)]

    @classmethod
    def load(cls, source, name=None, keep_grey=False, progress=False):
        """A ``path<TAB>label`` file or a folder of LMDBs; ``name``: what reports call it (default
        from the path: ``lists/iiit5k_test.txt`` is ``iiit5k_test``, ``real/ic15/train`` ``ic15_train``);
        ``keep_grey``: keep each crop at 32 pixels high too (about 4 kB a crop), for ``find_leaks(recut=...)``."""
        from ppocr.utils.progress import ProgressBar

        crops = cls(name or set_name(source), keep_grey=keep_grey)
        entries = _lmdb_entries(source) if os.path.isdir(source) else _list_entries(source)
        with ProgressBar(desc=crops.name, unit="crop", disable=not progress, dynamic_ncols=True) as bar:
            for crop_name, label, where, raw in entries:
                bar.update(1)
                crops.add(crop_name, label, where, raw)
        if not crops.names:
            raise UserError(f"{source!r} holds no readable crop ({len(crops.unreadable)} unreadable): give a "
                            "path<TAB>label file or a folder of LMDBs")
        return crops

    def add(self, name, label, where, raw):
        grey = decode(raw)
        if grey is None or grey.size == 0:
            self.unreadable.append((name, "image not readable"))
            return
        self.names.append(name)
        self.labels.append(label)
        self.where.append(where)
        self.thumbs.append(thumbnail(grey))
        self.digests.append(hashlib.md5(f"{grey.shape}".encode() + grey.tobytes()).hexdigest())
        if self.greys is not None:
            self.greys.append(to_register(grey))

    def __len__(self):
        return len(self.names)

    def features(self):
        return np.stack(self.thumbs) if self.thumbs else np.zeros((0, THUMBNAIL[0] * THUMBNAIL[1]), np.float32)

    def words(self):
        """The labels as compared: alnum36, or (nothing left of it) the label lower-cased."""
        return [normalised(label, "alnum36") or label.strip().lower() for label in self.labels]

    def image(self, index):
        """Crop ``index`` again, in colour (BGR)."""
        where = self.where[index]
        if isinstance(where, str):
            with open(where, "rb") as f:
                return decode(f.read(), cv2.IMREAD_COLOR)
        path, key = where
        with lmdb_format.open_reader(path, max_readers=4) as env, env.begin() as txn:
            return decode(lmdb_format.read_raw(txn, key)[1], cv2.IMREAD_COLOR)


def set_name(source):
    parts = os.path.normpath(os.path.abspath(source)).split(os.sep)
    stem = os.path.splitext(parts[-1])[0]
    return f"{parts[-2]}_{stem}" if stem in ("train", "val", "test") and len(parts) > 1 else stem


def _list_entries(path):
    if not os.path.isfile(path):
        raise UserError(f"{path!r} is neither a path<TAB>label file nor a folder of LMDBs")
    folder = os.path.dirname(os.path.abspath(path))
    with open(path, encoding="utf-8-sig") as f:
        for line_no, line in enumerate(f, start=1):
            if not line.strip():
                continue
            crop, sep, label = line.rstrip("\r\n").partition("\t")
            if not sep:
                raise UserError(f"{path}:{line_no}: no tab between the image path and the label; each line "
                                "must be path<TAB>label")
            full = os.path.join(folder, crop.strip())
            try:
                with open(full, "rb") as img:
                    raw = img.read()
            except OSError:
                raw = b""
            yield crop.strip(), label, full, raw


def _lmdb_entries(folder):
    roots = sorted(d for d, _, files in os.walk(folder, followlinks=True) if lmdb_format.DATA_FILE in files)
    if not roots:
        raise UserError(f"{folder!r} holds no LMDB (a folder with {lmdb_format.DATA_FILE})")
    for root in roots:
        for key, sample in lmdb_format.read_samples(root):
            name = (sample.meta or {}).get("name")
            yield name or f"{root}@{key}", sample.label, (root, key), sample.image
