"""What a detector's box catches besides the word: the neighbouring words of the same sign or
line, and the edges of the board the word is painted on.

In the incidental sets (ICDAR 2015, SVT-Perspective) a word crop is rarely alone: the line above
shows its descenders, the next word its first letter, the sign its frame. The neighbours are
drawn in the word's own face and style before the geometry, so they bend and tilt with it; the
word's own ink travels in the ``MAIN`` layer, around which the crop is drawn, so only what
falls inside the box of the word is seen.

Example::

    layers, fiducials = add_neighbours(layers, rng, settings, draw=lambda text: glyphs.render(text, face, style),
                                       words=text_sampler, fiducials=fiducials)
"""
import cv2
import numpy as np

from ppocr.synth.fiducials import ink_box, shifted
from ppocr.synth.render import FILL, MAIN

SIDES = ("above", "below", "left", "right")


def add_neighbours(layers, rng, s, draw, words, applied=None, fiducials=None):
    """``(layers, fiducials)``: ``layers`` (ink, outline, shadow) with a ``MAIN`` layer and,
    around the word, one or two neighbours: a line of text above or below (a gap of
    ``neighbour_line_gap`` of the text height) or a word on the left or right (a gap of
    ``neighbour_word_gap``); the word's ``fiducials`` (fiducials.py) moved where the grown canvas
    puts it. ``draw(text)`` renders text as the word is rendered; ``words.sample(rng)`` gives the
    neighbours' text."""
    box = _ink_box(layers)
    if box is None:
        return _with_main(layers), fiducials
    top, bottom, left, right = box
    text_h = bottom - top
    canvas, origin = _with_main(layers), (0, 0)
    for side in rng.choice(SIDES, size=1 + int(rng.random() < 0.3), replace=False):
        other = draw(words.sample(rng)[0])
        other_box = _ink_box(other)
        if other_box is None:
            continue
        o_top, o_bottom, o_left, o_right = other_box
        if side in ("above", "below"):
            gap = rng.uniform(*s.neighbour_line_gap) * text_h
            y = top - gap - o_bottom if side == "above" else bottom + gap - o_top
            x = left - o_left + rng.uniform(-0.6, 0.6) * (right - left)
        else:
            gap = rng.uniform(*s.neighbour_word_gap) * text_h
            x = left - gap - o_right if side == "left" else right + gap - o_left
            y = top - o_top + rng.uniform(-0.08, 0.08) * text_h
        canvas, origin = _place(canvas, origin, other, int(round(y)), int(round(x)))
        if applied is not None:
            applied.append(f"neighbour {side}")
    return canvas, shifted(fiducials, origin[1], origin[0])


def _ink_box(layers):
    """(top, bottom, left, right) of the ink, bottom and right exclusive; None without ink."""
    box = ink_box(layers[..., FILL])
    if box is None:
        return None
    left, top, right, bottom = (int(v) for v in box)
    return top, bottom, left, right


def _with_main(layers):
    if layers.shape[2] > MAIN:
        return layers
    return np.concatenate([layers, layers[..., FILL:FILL + 1]], axis=2)


def _place(canvas, origin, other, y, x):
    """``other`` (3 layers) merged into ``canvas`` with its top-left corner at ``(y, x)`` in the
    word's coordinates; the canvas grows as needed. Returns the canvas and the word's new origin."""
    y0, x0 = origin
    top, left = min(0, y + y0), min(0, x + x0)  # where the canvas must grow
    oy, ox = y + y0 - top, x + x0 - left
    height = max(canvas.shape[0] - top, oy + other.shape[0])
    width = max(canvas.shape[1] - left, ox + other.shape[1])
    grown = np.zeros((height, width, canvas.shape[2]), dtype=canvas.dtype)
    grown[-top:-top + canvas.shape[0], -left:-left + canvas.shape[1]] = canvas
    region = grown[oy:oy + other.shape[0], ox:ox + other.shape[1], :other.shape[2]]
    np.maximum(region, other, out=region)
    return grown, (y0 - top, x0 - left)


def draw_edges(image, colour, rng, applied=None):
    """One or two straight edges of a board or frame across the crop, near a side, in
    ``colour``, anti-aliased; returns the float32 image drawn on."""
    image = np.ascontiguousarray(image, dtype=np.float32)
    h, w = image.shape[:2]
    for _ in range(1 + int(rng.random() < 0.3)):
        side = SIDES[rng.integers(4)]
        thick = max(1, int(round(rng.uniform(0.03, 0.12) * h)))
        offset = rng.uniform(0.0, 0.12)
        slope = rng.uniform(-0.04, 0.04)
        if side in ("above", "below"):
            y = offset * h if side == "above" else (1 - offset) * h
            p1, p2 = (-w, y - slope * w), (2 * w, y + 2 * slope * w)
        else:
            x = offset * w * 0.5 if side == "left" else w - 1 - offset * w * 0.5
            p1, p2 = (x - slope * h, -h), (x + 2 * slope * h, 2 * h)
        shift = 4  # sub-pixel end points
        cv2.line(image, pt1=tuple(int(round(v * 2 ** shift)) for v in p1),
                 pt2=tuple(int(round(v * 2 ** shift)) for v in p2), color=tuple(float(c) for c in colour),
                 thickness=thick, lineType=cv2.LINE_AA, shift=shift)
        if applied is not None:
            applied.append(f"edge {side}")
    return image
