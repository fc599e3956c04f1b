"""Synthetic word images for training and tests: words of a bundled English list or random
alphanumerics, drawn with TTF fonts over varied backgrounds, then bent, tilted, rotated, put
in perspective, blurred and noised (the distortions TPS and GA-SPIN rectify).

Each sample is drawn from its own generator seeded by ``(seed, index)``, so the output is the
same bytes whatever the number of worker processes. ``words_en.txt`` holds 3000 common English
words: the most frequent words of English prose found offline, kept if in a standard word list.

Example::

    python tools/gen_synth_data.py --num 2000 --seed 0 --lmdb train_data/synth_lmdb/training/synth
    python -c "from ppocr.utils.synth import generate; generate(200, seed=0, out_dir='/tmp/synth')"
"""
import glob
import multiprocessing
import os
import string

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ppocr.errors import UserError
from ppocr.utils.synth_writers import LMDBWriter, FolderWriter

WORDS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "words_en.txt")
CHECK_CHARS = string.ascii_letters + string.digits
# matplotlib's math fonts map letters to symbols; their glyphs are distinct, so coverage alone misses them
SYMBOL_FONTS = ("cmex10", "cmsy10", "STIXNonUni", "STIXSiz", "LastResort", "Display")


def matplotlib_font_dir():
    import matplotlib

    return os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "fonts", "ttf")


def is_matplotlib_symbol_font(path):
    """One of matplotlib's math/symbol fonts (their letters are symbols), however it was found."""
    return (os.path.samefile(os.path.dirname(os.path.abspath(path)), matplotlib_font_dir())
            and any(tag in os.path.basename(path) for tag in SYMBOL_FONTS))


def matplotlib_fonts():
    folder = matplotlib_font_dir()
    return [p for p in sorted(glob.glob(os.path.join(folder, "*.ttf"))) if not is_matplotlib_symbol_font(p)]


def covers_alphanumerics(path):
    """True if the font has its own, distinct glyph for each of a-z, A-Z and 0-9."""
    try:
        font = ImageFont.truetype(path, 24)
    except OSError:
        return False
    missing = bytes(font.getmask("\ue000"))  # a private-use code point renders as the missing glyph
    masks = [bytes(font.getmask(c)) for c in CHECK_CHARS]
    return len(set(masks)) == len(masks) and missing not in masks


def find_fonts(pattern=None):
    """Usable font files: ``pattern`` (a glob) or matplotlib's bundled TTF fonts."""
    candidates = sorted(glob.glob(pattern, recursive=True)) if pattern else matplotlib_fonts()
    # a glob over matplotlib's folder (e.g. 'cm*.ttf') must not pick up its symbol fonts either
    fonts = [p for p in candidates if not is_matplotlib_symbol_font(p) and covers_alphanumerics(p)]
    if not fonts:
        raise UserError(f"no usable TTF font found{' for ' + repr(pattern) if pattern else ''}: "
                        "give --fonts a glob of .ttf files that cover a-z, A-Z and 0-9")
    return fonts


def load_words(path=WORDS_FILE, max_len=25):
    with open(path, encoding="utf-8") as f:
        return [w for w in (line.strip() for line in f) if w and len(w) <= max_len]


class WordRenderer:
    """Draws one word image (BGR uint8) and its label from a numpy Generator."""

    def __init__(self, fonts, words, case="lower", max_len=25):
        if case not in ("lower", "mixed"):
            raise UserError(f"case must be 'lower' or 'mixed', got {case!r}")
        if int(max_len) < 1:
            raise UserError(f"max_len must be at least 1, got {max_len}")
        self.fonts, self.words, self.case, self.max_len = list(fonts), list(words), case, int(max_len)
        self._fonts = {}  # (path, size) -> FreeTypeFont, per renderer (one per worker chunk)

    def font(self, path, size):
        key = (path, size)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(path, size)
        return self._fonts[key]

    def sample_text(self, rng):
        if self.words and rng.random() < 0.75:
            text = self.words[rng.integers(len(self.words))]
            if self.case == "mixed":
                text = [str.lower, str.title, str.upper][rng.choice(3, p=[0.5, 0.3, 0.2])](text)
            return text
        chars = string.ascii_lowercase + string.digits
        if self.case == "mixed":
            chars += string.ascii_uppercase
        length = int(rng.integers(1, min(self.max_len, 10) + 1))
        return "".join(chars[i] for i in rng.integers(len(chars), size=length))

    def render(self, rng):
        text = self.sample_text(rng)
        font = self.font(self.fonts[rng.integers(len(self.fonts))], int(rng.integers(22, 49)))
        mask = self._text_mask(text, font, spacing=int(rng.integers(0, 5)) if rng.random() < 0.25 else 0)
        if rng.random() < 0.35:
            mask = _curve(mask, rng)
        if rng.random() < 0.5:
            mask = _rotate(mask, rng.uniform(-5, 5))
        if rng.random() < 0.35:
            mask = _perspective(mask, rng)
        mask = _crop_to_ink(mask, rng)
        background, colour = _colours(mask.shape, rng)
        alpha = (mask.astype(np.float32) / 255.0)[..., None]
        img = background * (1.0 - alpha) + colour * alpha
        if rng.random() < 0.3:
            img = cv2.GaussianBlur(img, ksize=(0, 0), sigmaX=rng.uniform(0.4, 1.2))
        if rng.random() < 0.4:
            img = img + rng.normal(0.0, rng.uniform(2.0, 12.0), size=img.shape)
        img = np.clip(img, 0, 255).astype(np.uint8)
        height = int(rng.integers(24, 65))  # real crops are often low resolution
        width = max(1, int(round(img.shape[1] * height / img.shape[0])))
        img = cv2.resize(img, dsize=(width, height), interpolation=cv2.INTER_AREA)
        return text, img

    def _text_mask(self, text, font, spacing):
        left, top, right, bottom = font.getbbox(text)
        pad = font.size // 2
        width = right - left + spacing * max(0, len(text) - 1) + 2 * pad
        canvas = Image.new("L", (int(width), int(bottom - top + 2 * pad)), 0)
        draw = ImageDraw.Draw(canvas)
        if spacing == 0:
            draw.text((pad - left, pad - top), text, fill=255, font=font)
        else:
            x = pad - left
            for ch in text:
                draw.text((x, pad - top), ch, fill=255, font=font)
                x += font.getlength(ch) + spacing
        return np.asarray(canvas)


def _curve(mask, rng):
    """Bend the baseline along part of a sine wave (curved text)."""
    h, w = mask.shape
    amplitude = rng.uniform(0.1, 0.3) * h
    pad = int(np.ceil(amplitude)) + 1
    mask = cv2.copyMakeBorder(mask, top=pad, bottom=pad, left=0, right=0, borderType=cv2.BORDER_CONSTANT, value=0)
    xs = np.arange(w, dtype=np.float32)
    phase, cycles = rng.uniform(0, 2 * np.pi), rng.uniform(0.3, 1.0)
    shift = amplitude * np.sin(phase + 2 * np.pi * cycles * xs / w)
    map_x = np.tile(xs, (mask.shape[0], 1))
    map_y = (np.arange(mask.shape[0], dtype=np.float32)[:, None] + shift[None, :]).astype(np.float32)
    return cv2.remap(mask, map1=map_x, map2=map_y, interpolation=cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def _rotate(mask, degrees):
    h, w = mask.shape
    matrix = cv2.getRotationMatrix2D(center=(w / 2, h / 2), angle=degrees, scale=1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(h * sin + w * cos) + 1, int(h * cos + w * sin) + 1
    matrix[0, 2] += (new_w - w) / 2
    matrix[1, 2] += (new_h - h) / 2
    return cv2.warpAffine(mask, M=matrix, dsize=(new_w, new_h), flags=cv2.INTER_LINEAR, borderValue=0)


def _perspective(mask, rng):
    h, w = mask.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = src + rng.uniform(-1, 1, size=(4, 2)).astype(np.float32) * np.float32([0.06 * w, 0.2 * h])
    dst -= dst.min(axis=0)
    matrix = cv2.getPerspectiveTransform(src, dst)
    size = np.ceil(dst.max(axis=0)).astype(int) + 1
    return cv2.warpPerspective(mask, M=matrix, dsize=(int(size[0]), int(size[1])), flags=cv2.INTER_LINEAR,
                               borderValue=0)


def _crop_to_ink(mask, rng):
    """A tight crop around the text plus a small random margin, as a word detector would give."""
    ys, xs = np.nonzero(mask > 20)
    if len(ys) == 0:
        return mask
    h = ys.max() - ys.min() + 1
    m = rng.integers(0, max(2, h // 4), size=4)
    top, bottom = max(0, ys.min() - m[0]), min(mask.shape[0], ys.max() + 1 + m[1])
    left, right = max(0, xs.min() - m[2]), min(mask.shape[1], xs.max() + 1 + m[3])
    return mask[top:bottom, left:right]


def _colours(shape, rng):
    """A background (solid, gradient or textured) and a text colour that stands out from it."""
    h, w = shape
    base = rng.integers(0, 256, size=3).astype(np.float32)
    kind = rng.choice(3)
    if kind == 0:
        background = np.broadcast_to(base, (h, w, 3)).astype(np.float32)
    elif kind == 1:
        other = rng.integers(0, 256, size=3).astype(np.float32)
        t = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :, None]
        background = np.broadcast_to(base * (1 - t) + other * t, (h, w, 3)).astype(np.float32)
    else:
        texture = cv2.GaussianBlur(rng.normal(0, 40, size=(h, w)).astype(np.float32), ksize=(0, 0), sigmaX=2.0)
        background = np.clip(base + texture[..., None], 0, 255)
    luma = float(np.dot(background.mean(axis=(0, 1)), [0.114, 0.587, 0.299]))  # BGR weights
    colour = rng.integers(0, 256, size=3).astype(np.float32)
    for _ in range(10):
        if abs(float(np.dot(colour, [0.114, 0.587, 0.299])) - luma) >= 70:
            break
        colour = rng.integers(0, 256, size=3).astype(np.float32)
    else:
        colour = np.full(3, 0.0 if luma > 127 else 255.0, dtype=np.float32)
    return background, colour


def render_range(task):
    """Worker task: encoded samples ``start..stop-1`` as [(label, jpeg bytes)]."""
    settings, seed, start, stop = task
    renderer = WordRenderer(**settings)
    out = []
    for index in range(start, stop):
        rng = np.random.default_rng([seed, index])
        text, img = renderer.render(rng)
        ok, buf = cv2.imencode(".jpg", img, params=[cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(75, 96))])
        if not ok:
            raise RuntimeError(f"cv2 could not encode synthetic sample {index}")
        out.append((text, buf.tobytes()))
    return out


def generate(num, seed=0, lmdb_dir=None, out_dir=None, label_file=None, fonts=None, case="lower",
             max_len=25, workers=1, chunk_size=64, progress=False, words_file=WORDS_FILE):
    """Render ``num`` word images into an LMDB (``lmdb_dir``) and/or a folder of images with a
    SimpleDataSet label file (``out_dir``, ``label_file`` default ``out_dir/labels.txt``).

    ``fonts``: a glob of .ttf files (default: matplotlib's). Returns the number written.

    Example::

        generate(200, seed=0, lmdb_dir="/tmp/synth_lmdb")   # about a second
    """
    from tqdm import tqdm

    if not lmdb_dir and not out_dir:
        raise UserError("nowhere to write: give lmdb_dir (--lmdb) and/or out_dir (--out_dir)")
    if int(num) <= 0:
        raise UserError(f"the number of images must be positive, got {num}")
    settings = {"fonts": find_fonts(fonts), "words": load_words(words_file, max_len), "case": case,
                "max_len": max_len}
    WordRenderer(**settings)  # checks the settings before any worker starts
    tasks = [(settings, int(seed), s, min(s + chunk_size, int(num))) for s in range(0, int(num), chunk_size)]
    writers = []
    if lmdb_dir:
        writers.append(LMDBWriter(lmdb_dir))
    if out_dir:
        writers.append(FolderWriter(out_dir, label_file))
    index = 0
    with tqdm(total=int(num), desc="synth", disable=not progress, dynamic_ncols=True) as bar:
        if workers > 1:
            with multiprocessing.get_context().Pool(processes=int(workers)) as pool:
                chunks = pool.imap(render_range, tasks)  # ordered: chunk i is written i-th
                index = _write(chunks, writers, bar)
        else:
            index = _write(map(render_range, tasks), writers, bar)
    for writer in writers:
        writer.close(index)
    return index


def _write(chunks, writers, bar):
    index = 0
    for chunk in chunks:
        for writer in writers:
            writer.write(index, chunk)
        index += len(chunk)
        bar.update(len(chunk))
    return index
