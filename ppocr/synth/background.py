"""What the word is written on: solid paint, gradients, noise fields, blurred shapes, textures
(wood, brushed metal, paper, bricks, stripes, concrete) and crops of larger scenes.

The scenes are rendered procedurally (sky, walls, windows, signboards, foliage), together with
the photographs matplotlib ships as sample data when they are installed; the photographs and
textures a user gives (``photos.py``) are a kind of their own. MJSynth blended its words with
crops of natural images, SynthText placed them in real scenes. A bank of scenes and photographs
is made once per ``BANK_SIZE`` consecutive samples, seeded by ``(seed, bank number)``, so a
sample's background does not depend on how the work was split into chunks or processes.
All images are float32 BGR, 0..255.
"""
import functools
import os
from typing import NamedTuple

import cv2
import numpy as np

from ppocr.synth.colours import random_colour
from ppocr.synth.photos import pick_photos

BANK_SIZE = 256  # samples that share one set of scenes
SCENE_SHAPE = (160, 480)
SCENES_PER_BANK = 4
PHOTOS_PER_BANK = 6


class Bank(NamedTuple):
    """The backgrounds a run of samples shares: procedural scenes and the user's photographs."""

    scenes: list
    photos: list
TEXTURES = ("wood", "metal", "paper", "bricks", "stripes", "concrete")


def fractal_noise(h, w, rng, octaves=4, cells=3):
    """Value noise in [0, 1]: random grids of 2^k * ``cells`` cells, up-sampled and summed."""
    out = np.zeros((h, w), dtype=np.float32)
    amplitude, total = 1.0, 0.0
    for k in range(octaves):
        gh, gw = cells * 2 ** k, max(2, int(cells * 2 ** k * w / max(h, 1)))
        grid = rng.random((min(gh, h) + 1, min(gw, w) + 1), dtype=np.float32)
        out += amplitude * cv2.resize(grid, dsize=(w, h), interpolation=cv2.INTER_CUBIC)
        total += amplitude
        amplitude *= 0.5
    out /= total
    return (out - out.min()) / max(float(out.max() - out.min()), 1e-6)


def _mix(a, b, t):
    return a * (1.0 - t[..., None]) + b * t[..., None]


def _near(colour, rng, spread=40.0):
    return np.clip(colour + rng.uniform(-spread, spread, size=3), 0, 255).astype(np.float32)


def solid(h, w, colour, rng):
    return np.broadcast_to(colour, (h, w, 3)).astype(np.float32) + rng.uniform(-3, 3)


def gradient(h, w, colour, rng):
    other = _near(colour, rng, 90.0) if rng.random() < 0.7 else random_colour(rng)
    if rng.random() < 0.75:  # linear, at any angle
        angle = rng.uniform(0, 2 * np.pi)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        t = xx * np.cos(angle) / max(w, 1) + yy * np.sin(angle) / max(h, 1)
    else:  # radial: a lamp's pool of light, or a vignette
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        t = np.hypot((yy - cy) / max(h, 1), (xx - cx) / max(w, 1))
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    return _mix(colour, other, t)


def noise(h, w, colour, rng):
    field = fractal_noise(h, w, rng, octaves=int(rng.integers(2, 6)), cells=int(rng.integers(1, 5)))
    return _mix(colour, _near(colour, rng, 70.0), field)


def shapes(h, w, colour, rng):
    img = np.ascontiguousarray(np.broadcast_to(colour, (h, w, 3)), dtype=np.float32)
    for _ in range(int(rng.integers(3, 12))):
        fill = tuple(float(c) for c in (_near(colour, rng, 80.0) if rng.random() < 0.6 else random_colour(rng)))
        kind = rng.integers(4)
        x0, y0 = int(rng.integers(-w // 4, w)), int(rng.integers(-h // 2, h))
        if kind == 0:
            corner = (x0 + int(rng.integers(4, w)), y0 + int(rng.integers(4, 2 * h)))
            cv2.rectangle(img, pt1=(x0, y0), pt2=corner, color=fill, thickness=-1)
        elif kind == 1:
            cv2.circle(img, center=(x0, y0), radius=int(rng.integers(3, max(4, h))), color=fill, thickness=-1)
        elif kind == 2:
            cv2.line(img, pt1=(x0, y0), pt2=(int(rng.integers(0, w)), int(rng.integers(0, h))), color=fill,
                     thickness=int(rng.integers(1, max(2, h // 6))))
        else:
            pts = np.stack([rng.integers(-w // 4, w + w // 4, 3), rng.integers(-h // 2, h + h // 2, 3)], axis=1)
            cv2.fillPoly(img, pts=[pts.astype(np.int32)], color=fill)
    if rng.random() < 0.6:  # out of focus
        img = cv2.GaussianBlur(img, ksize=(0, 0), sigmaX=rng.uniform(1.0, 4.0))
    return img


def texture(h, w, colour, rng):
    kind = TEXTURES[rng.integers(len(TEXTURES))]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "wood":
        grain = fractal_noise(h, w, rng, octaves=3, cells=2)
        t = 0.5 + 0.5 * np.sin(yy * rng.uniform(0.2, 0.7) + grain * rng.uniform(6, 14))
        return _mix(colour * 0.75, np.clip(colour * 1.15, 0, 255), t)
    if kind == "metal":
        streaks = cv2.blur(rng.random((h, w), dtype=np.float32), ksize=(max(3, w // 3), 1))
        return np.clip(colour + (streaks[..., None] - 0.5) * rng.uniform(40, 90), 0, 255)
    if kind == "paper":
        field = fractal_noise(h, w, rng, octaves=3, cells=2) - 0.5
        return np.clip(colour + field[..., None] * 20 + rng.normal(0, rng.uniform(2, 8), (h, w, 1)), 0, 255)
    if kind == "bricks":
        bh = rng.uniform(0.25, 0.6) * h
        row = np.floor(yy / bh)
        bw = bh * rng.uniform(2.0, 3.0)
        col = np.floor((xx + (row % 2) * bw / 2) / bw)
        shade = (np.sin(row * 12.9898 + col * 78.233) * 43758.5453) % 1.0  # a fixed shade per brick
        img = colour * (0.8 + 0.3 * shade[..., None])
        mortar = (yy % bh < 2) | ((xx + (row % 2) * bw / 2) % bw < 2)
        img[mortar] = _near(np.full(3, 180.0, dtype=np.float32), rng, 30.0)
        return img
    if kind == "stripes":
        angle = rng.uniform(0, np.pi)
        period = rng.uniform(0.3, 1.2) * h
        t = ((xx * np.cos(angle) + yy * np.sin(angle)) % period < period / 2).astype(np.float32)
        return _mix(colour, _near(colour, rng, 60.0), t)
    speckle = cv2.GaussianBlur(rng.random((h, w), dtype=np.float32), ksize=(0, 0), sigmaX=0.8)
    img = colour + (speckle[..., None] - 0.5) * 60 + (fractal_noise(h, w, rng, 3, 2)[..., None] - 0.5) * 30
    return np.clip(img, 0, 255)


def scene(h, w, colour, rng, bank):
    """A crop of one of the bank's scenes, at a random place and scale, maybe mirrored."""
    return _crop_of(bank.scenes[rng.integers(len(bank.scenes))], h, w, rng, (0.4, 1.6))


def photo(h, w, colour, rng, bank):
    """A crop of one of the bank's photographs or textures (a scene where the bank has none),
    now and then with its colours shuffled."""
    if not bank.photos:
        return scene(h, w, colour, rng, bank)
    image = _crop_of(bank.photos[rng.integers(len(bank.photos))], h, w, rng, (0.3, 3.0))
    if rng.random() < 0.25:
        image = image[..., rng.permutation(3)]
    return image


def _crop_of(image, h, w, rng, scales):
    sh, sw = image.shape[:2]
    ch = int(np.clip(h * rng.uniform(*scales), 8, sh))
    cw = int(np.clip(ch * w / max(h, 1), 8, sw))
    y, x = int(rng.integers(0, sh - ch + 1)), int(rng.integers(0, sw - cw + 1))
    crop = image[y:y + ch, x:x + cw]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    return cv2.resize(crop, dsize=(w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)


def make_scene(rng, shape=SCENE_SHAPE):
    """A street-like picture: sky and wall, windows and signboards, foliage, all a little blurred."""
    h, w = shape
    img = gradient(h, w, random_colour(rng), rng)
    horizon = int(rng.uniform(0.2, 0.7) * h)
    img[horizon:] = texture(h - horizon, w, random_colour(rng), rng)
    for _ in range(int(rng.integers(2, 7))):  # buildings and boards
        x0, y0 = int(rng.integers(0, w - 20)), int(rng.integers(0, h - 10))
        bw, bh = int(rng.integers(20, w // 2)), int(rng.integers(10, h // 2))
        region = img[y0:y0 + bh, x0:x0 + bw]
        region[:] = noise(region.shape[0], region.shape[1], random_colour(rng), rng)
    if rng.random() < 0.6:  # foliage
        leaves = fractal_noise(h, w, rng, octaves=5, cells=4)
        mask = (leaves > rng.uniform(0.55, 0.75)).astype(np.float32)
        green = np.float32([rng.uniform(20, 80), rng.uniform(80, 160), rng.uniform(20, 90)])
        img = _mix(img, green * (0.6 + 0.6 * leaves[..., None]), cv2.GaussianBlur(mask, ksize=(0, 0), sigmaX=1.5))
    img = shapes(h, w, img.mean(axis=(0, 1)), rng) * 0.3 + img * 0.7
    return cv2.GaussianBlur(img, ksize=(0, 0), sigmaX=rng.uniform(0.5, 1.5))


@functools.lru_cache(maxsize=1)
def sample_photographs():
    """matplotlib's sample photographs (BGR float32), or none where its sample data is absent."""
    try:
        import matplotlib

        folder = os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "sample_data")
    except ImportError:
        return ()
    photos = []
    for name in ("grace_hopper.jpg", "Minduka_Present_Blue_Pack.png"):
        img = cv2.imread(os.path.join(folder, name), flags=cv2.IMREAD_COLOR)
        if img is not None:
            photos.append(img.astype(np.float32))
    return tuple(photos)


def make_bank(seed, bank, photo_files=()):
    """The backgrounds shared by samples ``bank * BANK_SIZE ..``: procedural scenes, matplotlib's
    photographs with their colours shuffled (so a few photographs give many looks), and
    ``PHOTOS_PER_BANK`` of the user's ``photo_files``."""
    rng = np.random.default_rng([seed, bank, 0xBA5E])
    scenes = [make_scene(rng) for _ in range(SCENES_PER_BANK)]
    for picture in sample_photographs():
        order = rng.permutation(3)
        scenes.append(np.clip(picture[..., order] * rng.uniform(0.7, 1.2) + rng.uniform(-30, 30), 0, 255))
    return Bank(scenes, pick_photos(photo_files, rng, PHOTOS_PER_BANK))


BACKGROUNDS = {"solid": solid, "gradient": gradient, "noise": noise, "shapes": shapes, "texture": texture}


def make_background(kind, h, w, colour, rng, bank):
    if kind in ("scene", "photo"):
        return (scene if kind == "scene" else photo)(h, w, colour, rng, bank)
    return BACKGROUNDS[kind](h, w, colour, rng)
