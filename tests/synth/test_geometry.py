"""geometry.py: strong views foreshorten the word the way asked (one end nearer and taller, or the
top or the bottom nearer and wider), shear slants it, and ``level`` cuts a tilted word out along
its rotated box."""
from dataclasses import replace

import cv2
import numpy as np
import pytest

from ppocr.synth import DEFAULT_SETTINGS, find_fonts
from ppocr.synth.curve import arc_directions, set_along
from ppocr.synth.geometry import draw_view, level, warp
from ppocr.synth.render import FILL, GlyphRenderer, GlyphStyle


@pytest.fixture(scope="module")
def word():
    face = next(f for f in find_fonts() if f.file == "DejaVuSans.ttf")
    return GlyphRenderer().render("HHHHHHHH", face, GlyphStyle(size=40))


def ink(layers):
    return layers[..., FILL] > 127


def column_heights(mask):
    """Ink height of the first and the last tenth of the ink's columns."""
    cols = np.nonzero(mask.any(axis=0))[0]
    tenth = max(1, len(cols) // 10)
    height = lambda c: np.ptp(np.nonzero(mask[:, c].any(axis=1))[0])  # noqa: E731
    return height(cols[:tenth]), height(cols[-tenth:])


def row_widths(mask):
    """Ink width of the top and the bottom rows of ink."""
    rows = np.nonzero(mask.any(axis=1))[0]
    width = lambda r: np.ptp(np.nonzero(mask[r])[0])  # noqa: E731
    return width(rows[2]), width(rows[-3])


@pytest.mark.parametrize("tilt", [50.0, -50.0])
def test_a_view_turned_aside_makes_one_end_taller(word, tilt):
    left, right = column_heights(ink(word))
    assert abs(left - right) <= 1
    seen = ink(warp(word, 0.0, 0.0, camera=(np.radians(tilt), np.pi / 2, 1.5))[0])
    left, right = column_heights(seen)
    near, far = (right, left) if tilt > 0 else (left, right)
    # ends about 0.4 of the length off the centre, the camera 1.5 lengths away: (1.5 + 0.31) / (1.5 - 0.31)
    assert 1.3 < near / far < 1.8
    # seen at 50 degrees the word is shorter: cos(50) of its length, give or take the perspective
    assert 0.55 < np.ptp(np.nonzero(seen.any(axis=0))[0]) / np.ptp(np.nonzero(ink(word).any(axis=0))[0]) < 0.8


@pytest.mark.parametrize("tilt", [45.0, -45.0])
def test_a_view_from_below_or_above_makes_the_top_or_the_bottom_wider(word, tilt):
    top, bottom = row_widths(ink(word))
    assert abs(top - bottom) <= 2
    seen = ink(warp(word, 0.0, 0.0, camera=(np.radians(tilt), 0.0, 1.5))[0])
    new_top, new_bottom = row_widths(seen)
    # tilt > 0 turns the bottom away: the top nearer and wider. A pinhole scales a point y off the
    # centre by far / (far + y sin(tilt)); the camera is 1.5 word lengths away
    rows = np.nonzero(ink(word).any(axis=1))[0]
    y_top, y_bottom = rows[2] - word.shape[0] / 2, rows[-3] - word.shape[0] / 2
    far, sin = 1.5 * word.shape[1], np.sin(np.radians(tilt))
    expected = (top / bottom) * (far + y_bottom * sin) / (far + y_top * sin)
    assert new_top / new_bottom == pytest.approx(expected, abs=0.015)
    assert (new_top > new_bottom) == (tilt > 0)
    heights = [np.ptp(np.nonzero(m.any(axis=1))[0]) for m in (ink(word), seen)]
    assert heights[1] / heights[0] == pytest.approx(np.cos(np.radians(45)), abs=0.05)  # foreshortened


def test_shear_slants_the_word(word):
    mask = ink(warp(word, 0.0, 0.3)[0])
    rows = np.nonzero(mask.any(axis=1))[0]
    top, bottom = np.nonzero(mask[rows[1]])[0].mean(), np.nonzero(mask[rows[-2]])[0].mean()
    assert bottom - top == pytest.approx(0.3 * (rows[-2] - rows[1]), abs=2.0)  # x += shear * y


def test_level_turns_a_tilted_word_level(word):
    straight = np.ptp(np.nonzero(ink(word).any(axis=1))[0])
    for angle in (20.0, -30.0):
        tilted, _ = warp(word, angle, 0.0)
        assert np.ptp(np.nonzero(ink(tilted).any(axis=1))[0]) > 2 * straight
        levelled = ink(level(tilted)[0])
        assert abs(np.ptp(np.nonzero(levelled.any(axis=1))[0]) - straight) <= 2
        left, right = column_heights(levelled)
        assert abs(left - right) <= 2  # the right way up, not turned on its side
    # an arc off the top of its circle: its first and last glyphs brought level with each other
    face = next(f for f in find_fonts() if f.file == "DejaVuSans.ttf")
    style = GlyphStyle(size=40, spacing=14.0)
    glyphs, length = GlyphRenderer().render_each("IIIIIIIII", face, style)
    arc, _ = set_along(glyphs, arc_directions(length, 150.0, tilt=np.radians(25)), style)
    for layers, chord in ((arc, 25.0), (level(arc)[0], 0.0)):
        _, _, _, centres = cv2.connectedComponentsWithStats(ink(layers).astype(np.uint8))
        (x0, y0), (x1, y1) = sorted(map(tuple, centres[1:]))[::8]
        assert np.degrees(np.arctan2(y1 - y0, x1 - x0)) == pytest.approx(chord, abs=2.0)


def test_views_drawn_from_the_settings():
    s = DEFAULT_SETTINGS
    draws = [draw_view(np.random.default_rng([4, i]), s) for i in range(600)]
    tilts = np.degrees(np.abs([d[0] for d in draws]))
    assert tilts.min() >= s.view_degrees[0] and tilts.max() <= s.view_degrees[1]
    assert 0.35 < np.mean(np.array([d[0] for d in draws]) > 0) < 0.65  # either way
    axes = np.degrees(np.abs([d[1] for d in draws]))
    horizontal = np.mean(np.abs(axes - 90) <= s.view_axis_jitter)  # turned aside: horizontal foreshortening
    vertical = np.mean(axes <= s.view_axis_jitter)
    both = np.mean((axes >= s.view_both_axis[0]) & (axes <= s.view_both_axis[1]))
    expected = dict(s.view_axes)
    assert abs(horizontal - expected["horizontal"]) < 0.06 and abs(vertical - expected["vertical"]) < 0.06
    assert both > expected["both"] - 0.06  # ("both" and "horizontal" may overlap near 78 degrees)
    distances = [d[2] for d in draws]
    assert min(distances) >= s.view_distance[0] and max(distances) <= s.view_distance[1]
    only_vertical = replace(s, view_axes=(("vertical", 1.0),))
    assert all(abs(draw_view(np.random.default_rng(i), only_vertical)[1]) <= np.radians(s.view_axis_jitter)
               for i in range(20))
