"""curve.py: words set along an arc or a wave glyph by glyph. The glyphs' centres lie on the
curve asked for, each glyph stays rigid and is turned to the curve's direction, no glyph is lost,
and the curves drawn from the settings are the ones the settings describe."""
from dataclasses import replace

import cv2
import numpy as np
import pytest

from ppocr.synth import DEFAULT_SETTINGS, find_fonts
from ppocr.synth.curve import arc_directions, draw_curve, set_along, wave_directions
from ppocr.synth.render import FILL, SHADOW, GlyphRenderer, GlyphStyle

BARS = "IIIIIIIII"  # one straight stroke per glyph: its centre and its angle are easy to measure


@pytest.fixture(scope="module")
def face():
    return next(f for f in find_fonts() if f.file == "DejaVuSans.ttf")


def bars(face, size=40, spacing=14.0, **style):
    style = GlyphStyle(size=size, spacing=spacing, **style)
    glyphs, length = GlyphRenderer().render_each(BARS, face, style)
    return glyphs, length, style


def strokes(fill):
    """(centre x, centre y, angle of the long axis in degrees, y down) of each stroke, left to right."""
    count, labels, stats, centroids = cv2.connectedComponentsWithStats((fill > 127).astype(np.uint8))
    out = []
    for k in range(1, count):
        ys, xs = np.nonzero(labels == k)
        cov = np.cov(np.stack([xs, ys]).astype(np.float64))
        values, vectors = np.linalg.eigh(cov)
        vx, vy = vectors[:, 1]
        angle = np.degrees(np.arctan2(vy, vx)) % 180.0
        out.append((centroids[k][0], centroids[k][1], angle))
    return sorted(out)


def fit_circle(xs, ys):
    """Centre and radius of the least-squares circle through the points (Kasa's fit)."""
    a = np.stack([xs, ys, np.ones_like(xs)], axis=1)
    b = xs ** 2 + ys ** 2
    (p, q, r), *_ = np.linalg.lstsq(a, b, rcond=None)
    cx, cy = p / 2, q / 2
    return cx, cy, np.sqrt(r + cx ** 2 + cy ** 2)


@pytest.mark.parametrize("radius", [90.0, -90.0, 300.0])
def test_glyph_centres_lie_on_the_arc_and_each_glyph_turns_with_it(face, radius):
    glyphs, length, style = bars(face)
    layers, _ = set_along(glyphs, arc_directions(length, radius), style)
    found = strokes(layers[..., FILL])
    assert len(found) == len(BARS)  # every glyph drawn, none merged
    xs, ys, angles = (np.array(v) for v in zip(*found))
    cx, cy, r = fit_circle(xs, ys)
    assert r == pytest.approx(abs(radius), rel=0.03)
    assert np.abs(np.hypot(xs - cx, ys - cy) - r).max() < 1.0
    # an arch (radius > 0) has its centre below the glyphs, a smile above them
    assert (cy > ys.max()) == (radius > 0)
    middle = len(found) // 2
    assert abs(ys[0] - ys[middle]) == pytest.approx(r * (1 - np.cos(np.arcsin((xs[middle] - xs[0]) / r))), rel=0.05)
    # rigid glyphs, turned to the curve: each bar along the circle's radius through its centre
    for x, y, angle in found:
        normal = np.degrees(np.arctan2(y - cy, x - cx)) % 180.0
        assert min(abs(angle - normal), 180 - abs(angle - normal)) < 2.5
    # the bars keep their length (not stretched as a remap of the whole word would stretch them)
    straight = strokes(GlyphRenderer().render(BARS, face, style)[..., FILL])
    assert len(straight) == len(BARS)


def test_a_wave_moves_the_centres_up_and_down_and_keeps_the_chord_level(face):
    glyphs, length, style = bars(face)
    theta = wave_directions(length, slope=np.radians(25), cycles=1.0, phase=0.0)
    found = strokes(set_along(glyphs, theta, style)[0][..., FILL])
    assert len(found) == len(BARS)
    xs, ys, angles = (np.array(v) for v in zip(*found))
    line = np.polyval(np.polyfit(xs, ys, 1), xs)
    assert np.abs(ys - line).max() > 0.1 * length / (2 * np.pi)  # not a straight baseline
    assert abs(ys[0] - ys[-1]) < 0.15 * np.ptp(ys)  # one whole cycle: the ends level with each other
    tilt = (angles - 90.0 + 90.0) % 180.0 - 90.0  # each bar's lean off the vertical
    assert tilt.max() > 10 and tilt.min() < -10  # leaning both ways as the wave rises and falls


def test_no_ink_is_lost_and_the_outline_and_shadow_follow(face):
    style = GlyphStyle(size=40, outline=3, shadow=(3.0, 3.0, 1.0, False))
    glyphs, length = GlyphRenderer().render_each("Roundabout", face, style)
    assert len(glyphs) == len("Roundabout")
    straight = GlyphRenderer().render("Roundabout", face, style)
    bent, _ = set_along(glyphs, arc_directions(length, 120.0), style)
    for layer in range(3):
        assert float(bent[..., layer].sum()) == pytest.approx(float(straight[..., layer].sum()), rel=0.06), layer
    assert (bent[..., SHADOW] > 0).sum() > (bent[..., FILL] > 0).sum()
    flat, _ = set_along(glyphs, arc_directions(length, 1e9), style)  # a circle so large it is a line
    assert np.abs(ink_box(flat[..., FILL]) - ink_box(straight[..., FILL])).max() <= 1


def ink_box(fill):
    ys, xs = np.nonzero(fill > 127)
    return np.array([np.ptp(ys), np.ptp(xs)])


def test_curves_drawn_from_the_settings(face):
    s = DEFAULT_SETTINGS
    glyphs, length, style = bars(face)
    kinds, bends = [], []
    for i in range(400):
        kind, theta = draw_curve(np.random.default_rng([3, i]), s, length, style.size)
        kinds.append(kind)
        if kind == "arc":
            bends.append(np.degrees(theta[-1] - theta[0]))
    share = kinds.count("arc") / len(kinds)
    assert abs(share - dict(s.curve_weights)["arc"]) < 0.07
    bends = np.array(bends)
    assert np.abs(bends).max() <= s.arc_max_degrees + 1.0
    assert (bends > 0).any() and (bends < 0).any()  # arches and smiles
    assert np.mean(np.abs(bends) > 90) > 0.2  # strong bends, as badges and round signs have
    only_waves = replace(s, curve_weights=(("wave", 1.0),))
    kind, theta = draw_curve(np.random.default_rng(0), only_waves, length, style.size)
    assert kind == "wave" and np.degrees(np.ptp(theta)) <= 2 * s.wave_degrees[1] + 1e-6
    again = draw_curve(np.random.default_rng(0), only_waves, length, style.size)
    assert np.array_equal(theta, again[1])
