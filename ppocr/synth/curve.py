"""Words set along a curve, glyph by glyph, as logos, badges, round signs and bottle labels set them.

Each character is drawn upright on its own, then hung on the curve by the point where its
advance meets the word's middle line, turned to the curve's direction there: the glyphs stay
rigid and only their places and angles follow the path, which is how lettering on a round sign
is made (a remap of the finished word would bend each glyph too, and at strong bends squeeze
its top against its bottom). The curve is given by its direction along its length, theta(s):

* an **arc** of a circle: theta changes at a constant rate 1 / radius; bent up (an arch, the
  glyphs standing on the circle's outside, as on top of a badge) or down (a smile, the glyphs
  hanging inside it, as at a badge's bottom), the radius drawn log-uniformly in units of the
  font size, from strong bends (a stamp, a bottle cap) to gentle ones (a shop's arched sign);
* a **wave**: theta swings as a sine, as on a flag, a ribbon or hand lettering.

These are the shapes of CUTE80 (Risnumawan et al., "A robust arbitrary text detection system
for natural scene images", ESWA 2014) and of the curved words of Total-Text (Ch'ng and Chan,
ICDAR 2017); STAR-Net's spatial transformer (Liu et al., BMVC 2016) and the TPS of ASTER (Shi
et al., TPAMI 2018) exist to flatten them.

Example::

    from ppocr.synth import find_fonts
    from ppocr.synth.curve import arc_directions, set_along
    from ppocr.synth.render import GlyphRenderer, GlyphStyle

    style = GlyphStyle(size=40)
    glyphs, length = GlyphRenderer().render_each("BADGE", find_fonts()[0], style)
    layers, fiducials = set_along(glyphs, arc_directions(length, radius=60.0), style)  # an arch
"""
import cv2
import numpy as np

from ppocr.synth.fiducials import NUM_FIDUCIAL, positions
from ppocr.synth.render import finish, shadow_pad

CURVES = ("arc", "wave")


def arc_directions(length, radius, tilt=0.0):
    """theta(s) at each whole pixel s = 0 .. length of an arc of ``radius`` pixels (negative:
    bent down), its chord turned by ``tilt`` radians."""
    s = np.arange(int(np.ceil(length)) + 1, dtype=np.float64)
    return tilt + (s - length / 2.0) / radius


def wave_directions(length, slope, cycles, phase):
    """theta(s) of a wave whose direction swings by up to ``slope`` radians, ``cycles`` times
    along the word, with its chord level."""
    s = np.arange(int(np.ceil(length)) + 1, dtype=np.float64)
    theta = slope * np.sin(phase + 2.0 * np.pi * cycles * s / max(length, 1.0))
    end = _path(theta)[-1]
    return theta - np.arctan2(end[1], end[0])


def draw_curve(rng, s, length, size):
    """``(kind, theta)``: a curve of settings ``s`` for a line of ``length`` pixels in a font of
    ``size`` pixels."""
    kinds = [k for k, _ in s.curve_weights]
    weights = np.array([w for _, w in s.curve_weights], dtype=np.float64)
    kind = kinds[rng.choice(len(kinds), p=weights / weights.sum())]
    if kind == "arc":
        low, high = np.log(s.arc_radius)
        radius = size * np.exp(rng.uniform(low, high))
        # a long word on a small circle would run round it and over its own start
        radius = max(radius, length / np.radians(s.arc_max_degrees))
        sign = -1.0 if rng.random() < s.p_arc_down else 1.0
        return kind, arc_directions(length, sign * radius, np.radians(rng.uniform(-1, 1) * s.arc_tilt_degrees))
    slope = np.radians(rng.uniform(*s.wave_degrees))
    return kind, wave_directions(length, slope, rng.uniform(*s.wave_cycles), rng.uniform(0, 2 * np.pi))


def set_along(glyphs, theta, style):
    """``(layers, fiducials)``: the layer stack (ink, outline, shadow) of ``glyphs``
    (``GlyphRenderer.render_each``) each hung on the path whose direction at pixel s is
    ``theta[s]`` (radians, y down: positive turns clockwise), at its distance along the line,
    turned to the path there, then thinned and shadowed as ``style`` asks; and the fiducial
    points of the word's box (fiducials.py): the path, which is the word's middle line, moved
    along its normal as far up and down as the glyphs' ink reaches."""
    if not glyphs:
        return finish(np.zeros((2, 2, 3), dtype=np.uint8), style), np.zeros((NUM_FIDUCIAL, 2))
    points = _path(theta)
    placed, corners = [], []
    for glyph in glyphs:
        matrix = _hang(points, theta, glyph.along, glyph.pivot)
        h, w = glyph.layers.shape[:2]
        box = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64) @ matrix[:, :2].T + matrix[:, 2]
        placed.append(matrix)
        corners.append(box)
    every = np.concatenate(corners)
    margin = shadow_pad(style) + 1
    origin = np.floor(every.min(axis=0)) - margin
    size = (np.ceil(every.max(axis=0)) - origin + margin).astype(int)
    canvas = np.zeros((size[1], size[0], 3), dtype=np.uint8)
    for glyph, matrix, box in zip(glyphs, placed, corners):
        x0, y0 = (np.floor(box.min(axis=0)) - origin).astype(int)
        x1, y1 = (np.ceil(box.max(axis=0)) - origin).astype(int)
        local = matrix.copy()
        local[:, 2] -= origin + np.array([x0, y0])
        patch = cv2.warpAffine(glyph.layers, M=local, dsize=(int(x1 - x0), int(y1 - y0)), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=0)
        np.maximum(canvas[y0:y1, x0:x1], patch, out=canvas[y0:y1, x0:x1])
    return finish(canvas, style), _line_box(points, theta, glyphs) - origin


def _hang(points, theta, at, pivot):
    """The affine matrix (2 x 3) that puts the point ``pivot`` of a glyph's layers (pixel
    indices) on the path ``points`` at ``at`` pixels along it, turned to its direction there."""
    s = np.arange(len(theta), dtype=np.float64)
    at = np.clip(at, 0.0, s[-1])
    angle = np.interp(at, s, theta)
    centre = np.array([np.interp(at, s, points[:, 0]), np.interp(at, s, points[:, 1])])
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return np.hstack([rotation, (centre - rotation @ np.asarray(pivot))[:, None]])


def _line_box(points, theta, glyphs):
    """The fiducials of the word whose ``glyphs`` hang on the path, on the path's own canvas:
    at each of the edges' positions along it (from the first glyph's ink to the last one's),
    the middle line's point moved up and down its normal as far as the highest and the lowest
    glyph reach, where ``_hang`` puts them. Where the path bends more tightly than
    that distance (a short word on a steep wave), the inner edge's points bunch or fold back."""
    above = max(g.ink[1] for g in glyphs)
    below = max(g.ink[3] for g in glyphs)
    top, bottom = [], []
    for at in positions(glyphs[0].along + glyphs[0].ink[0], glyphs[-1].along + glyphs[-1].ink[2]):
        # a pivot is a point of FreeType's continuous coordinates that _hang takes for a pixel
        # index: the glyphs' middle line lands half a pixel up and left (in their axes) of the path
        matrix = _hang(points, theta, at, (0.5, 0.5))
        top.append(matrix @ [0.0, -above, 1.0])
        bottom.append(matrix @ [0.0, below, 1.0])
    return np.array(top + bottom)


def _path(theta):
    """The points (N x 2) of the path with direction ``theta[i]`` at each whole pixel along it,
    starting at (0, 0)."""
    middle = (theta[1:] + theta[:-1]) / 2.0  # the direction over each pixel step
    steps = np.stack([np.cos(middle), np.sin(middle)], axis=1)
    return np.vstack([np.zeros((1, 2)), np.cumsum(steps, axis=0)])
