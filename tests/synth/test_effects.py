"""The generator's newer effects, each on its own: the cylinder warp, neighbouring text, board
edges, defocus, cast shadows and photographs as backgrounds. Each is deterministic for a seed,
keeps the shapes its caller relies on, and visibly does what it says."""
import struct

import cv2
import numpy as np
import pytest

from ppocr.errors import UserError
from ppocr.synth import DEFAULT_SETTINGS, find_fonts
from ppocr.synth.background import Bank, make_bank, photo
from ppocr.synth.clutter import add_neighbours, draw_edges
from ppocr.synth.effects import cast_shadow, defocus
from ppocr.synth.geometry import crop, cylinder
from ppocr.synth.photos import background_files, load_photo, read_gimp_pattern
from ppocr.synth.render import FILL, MAIN, GlyphRenderer, GlyphStyle
from ppocr.synth.text import TextSampler


@pytest.fixture(scope="module")
def face():
    return next(f for f in find_fonts() if f.family == "DejaVu Sans" and "Bold" not in f.name)


def word_layers(face, text="Hamburg", size=40):
    return GlyphRenderer().render(text, face, GlyphStyle(size=size))


def ink_rows_by_column(fill):
    """The mean ink row of each column that has ink."""
    ys, xs = np.nonzero(fill > 127)
    return {x: ys[xs == x].mean() for x in np.unique(xs)}


def test_cylinder_narrows_the_edges_and_bends_the_baseline(face):
    layers = word_layers(face, "mmmmmmmm")
    flat, _ = cylinder(layers, np.radians(60), tilt=0.0)
    assert flat.shape[1] < layers.shape[1] and flat.shape[2] == 3  # sin(60°)/(60° in rad) of the width
    assert abs(flat.shape[1] - layers.shape[1] * np.sin(np.radians(60)) / np.radians(60)) <= 1
    # letters at the edges are squeezed more than in the middle: fewer ink columns per letter there
    cols = (flat[..., FILL] > 127).any(axis=0)
    third = len(cols) // 3
    assert cols[third:2 * third].sum() > cols[:third].sum() - 2
    bent, _ = cylinder(layers, np.radians(60), tilt=0.3)
    rows = ink_rows_by_column(bent[..., FILL])
    xs = sorted(rows)
    middle = np.mean([rows[x] for x in xs[len(xs) // 3: 2 * len(xs) // 3]])
    ends = np.mean([rows[x] for x in xs[:len(xs) // 8] + xs[-len(xs) // 8:]])
    assert middle - ends > 0.15 * 40  # seen from above, the middle of the word sags
    up = ink_rows_by_column(cylinder(layers, np.radians(60), tilt=-0.3)[0][..., FILL])
    xs = sorted(up)
    assert np.mean([up[x] for x in xs[len(xs) // 3: 2 * len(xs) // 3]]) < np.mean([up[x] for x in xs[:len(xs) // 8]])
    assert np.array_equal(bent, cylinder(layers, np.radians(60), tilt=0.3)[0])


class Words:
    def __init__(self):
        self.sampler = TextSampler(["neighbour", "text", "line"])

    def sample(self, rng):
        return self.sampler.sample(rng)


def test_neighbours_are_drawn_around_the_word_and_the_crop_keeps_to_the_word(face):
    layers = word_layers(face)
    glyphs = GlyphRenderer()
    style = GlyphStyle(size=40)
    draw = lambda text: glyphs.render(text, face, style)  # noqa: E731
    applied = []
    out, _ = add_neighbours(layers, np.random.default_rng(3), DEFAULT_SETTINGS, draw, Words(), applied)
    assert out.shape[2] == 4 and applied and all(a.startswith("neighbour ") for a in applied)
    assert (out[..., FILL] > 127).sum() > (layers[..., FILL] > 127).sum()  # more ink than the word alone
    assert (out[..., MAIN] > 127).sum() == (layers[..., FILL] > 127).sum()  # the word's own ink, unchanged
    again, _ = add_neighbours(layers, np.random.default_rng(3), DEFAULT_SETTINGS, draw, Words())
    assert np.array_equal(out, again)
    # the crop is the word's box: a tight crop of the cluttered layers is the size of the plain word's
    tight = DEFAULT_SETTINGS.__class__(p_loose=0.0, tight_margin=(0.0, 0.0), p_cut=0.0)
    alone, _ = crop(layers, np.random.default_rng(0), tight)
    cluttered, _ = crop(out, np.random.default_rng(0), tight)
    assert abs(alone.shape[0] - cluttered.shape[0]) <= 1 and abs(alone.shape[1] - cluttered.shape[1]) <= 1


def test_neighbours_on_every_side(face):
    layers = word_layers(face, "word")
    glyphs = GlyphRenderer()
    draw = lambda text: glyphs.render(text, face, GlyphStyle(size=40))  # noqa: E731
    sides = set()
    for seed in range(40):
        applied = []
        add_neighbours(layers, np.random.default_rng(seed), DEFAULT_SETTINGS, draw, Words(), applied)
        sides.update(applied)
    assert sides == {"neighbour above", "neighbour below", "neighbour left", "neighbour right"}


def test_edges_are_lines_along_a_side():
    image = np.full((32, 100, 3), 200, dtype=np.float32)
    applied = []
    out = draw_edges(image, (0.0, 0.0, 255.0), np.random.default_rng(1), applied)
    assert out.shape == image.shape and out.dtype == np.float32 and applied[0].startswith("edge ")
    changed = np.abs(out - 200).sum(axis=2) > 30
    assert changed.any() and not changed.all()
    assert np.array_equal(out, draw_edges(image, (0.0, 0.0, 255.0), np.random.default_rng(1)))


def test_defocus_is_a_disc_blur():
    img = np.zeros((33, 33, 3), dtype=np.uint8)
    img[16, 16] = 255
    out = defocus(img, 3.0)
    assert out.shape == img.shape and out.dtype == np.uint8
    lit = out[..., 0] > 0
    ys, xs = np.nonzero(lit)
    assert ys.min() == 13 and ys.max() == 19 and xs.min() == 13 and xs.max() == 19  # a disc of radius 3
    # flat inside, unlike a Gaussian: the centre is no brighter than a point half-way out
    assert abs(int(out[16, 16, 0]) - int(out[16, 18, 0])) <= 1


def test_cast_shadow_darkens_part_of_the_crop():
    img = np.full((32, 100, 3), 200, dtype=np.uint8)
    out = cast_shadow(img, np.random.default_rng(4), light=0.5)
    assert out.shape == img.shape and out.dtype == np.uint8
    assert out.min() <= 105 and out.max() == 200  # some pixels at half the light, some untouched
    assert np.array_equal(out, cast_shadow(img, np.random.default_rng(4), light=0.5))


def gimp_pattern(path, width, height, rgb):
    name = b"test\x00"
    header = struct.pack(">5I", 24 + len(name), 1, width, height, 3) + b"GPAT" + name
    pixels = np.tile(np.uint8(rgb), (height, width, 1))
    path.write_bytes(header + pixels.tobytes())


def test_photographs_and_gimp_patterns_as_backgrounds(tmp_path):
    photo_img = np.zeros((900, 1800, 3), dtype=np.uint8)
    photo_img[:, :900] = (0, 0, 255)
    cv2.imwrite(str(tmp_path / "wall.jpg"), photo_img)
    gimp_pattern(tmp_path / "wood.pat", 64, 48, (10, 200, 30))
    cv2.imwrite(str(tmp_path / "icon.png"), np.zeros((16, 16, 3), dtype=np.uint8))
    (tmp_path / "notes.txt").write_text("not an image")
    files = background_files(str(tmp_path))
    assert [f.rsplit("/", 1)[1] for f in files] == ["icon.png", "wall.jpg", "wood.pat"]
    wall = load_photo(str(tmp_path / "wall.jpg"))
    assert wall.shape == (360, 720, 3)  # longer side shrunk to 720
    wood = load_photo(str(tmp_path / "wood.pat"))
    assert wood.shape[0] >= 384 and wood.shape[1] >= 384 and tuple(wood[0, 0]) == (30, 200, 10)  # RGB -> BGR, tiled
    assert load_photo(str(tmp_path / "icon.png")) is None  # too small to write on
    assert read_gimp_pattern(b"not a pattern") is None
    bank = make_bank(0, 0, files)
    assert len(bank.photos) == 2  # the icon is left out
    assert all(np.array_equal(a, b) for a, b in zip(bank.photos, make_bank(0, 0, files).photos))
    crop_ = photo(40, 120, np.zeros(3), np.random.default_rng(2), bank)
    assert crop_.shape == (40, 120, 3) and crop_.dtype == np.float32
    # without photographs the kind falls back to a procedural scene
    plain = photo(40, 120, np.zeros(3), np.random.default_rng(2), Bank(bank.scenes, []))
    assert plain.shape == (40, 120, 3)
    with pytest.raises(UserError, match="no background image"):
        background_files(str(tmp_path / "notes.txt"))


def test_a_busy_background_keeps_its_clutter_a_calm_one_is_toned_down():
    from dataclasses import replace

    from ppocr.synth import WordRenderer
    from ppocr.synth.background import make_bank
    from ppocr.synth.word import _calm

    rng = np.random.default_rng(3)
    clutter = rng.uniform(0, 255, size=(40, 120, 3)).astype(np.float32)  # luma spread about 74
    calmed = _calm(clutter, np.random.default_rng(0))
    assert calmed.shape == clutter.shape and (calmed @ np.float32([0.114, 0.587, 0.299])).std() <= 35.5
    assert np.allclose(calmed.mean(axis=(0, 1)), clutter.mean(axis=(0, 1)), atol=0.5)  # the same colour, calmer
    for p_busy, kept in ((1.0, 12), (0.0, 0)):
        renderer = WordRenderer(find_fonts(), ["word"], settings=replace(DEFAULT_SETTINGS, p_busy=p_busy))
        bank = make_bank(0, 0)
        effects = [renderer.render(np.random.default_rng([5, i]), bank)[2]["effects"] for i in range(12)]
        assert sum("busy background" in e for e in effects) == kept
