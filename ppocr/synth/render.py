"""Glyphs of a word as layers: the ink, its outline and its shadow, each an alpha mask.

The three masks travel together through the geometry (one warp for all), and are coloured only
at the end, so an outline or a shadow is bent, tilted and cropped exactly as the text it belongs
to. Weight is varied by FreeType's stroker (bolder) or an erosion (thinner), letter spacing by
placing each character at the font's advance (kerning kept) plus a constant; the border
and shadow follow MJSynth's rendering (Jaderberg et al., 2014).
"""
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from ppocr.synth.fiducials import ink_box, straight_line

FILL, OUTLINE, SHADOW = 0, 1, 2
MAIN = 3  # with neighbouring text (clutter.py): the word's own ink, which the crop is drawn around


@dataclass
class Glyph:
    """One character's layers, the point of them on the word's middle line at the centre of
    its advance (x, y: where it is hung on a curve), how far along the line that is, and how far
    its ink reaches around that point (the word's box, whose edges the fiducials mark:
    fiducials.py; ``left`` is negative: before the pivot)."""

    layers: np.ndarray
    pivot: tuple
    along: float
    ink: tuple  # (left, above, right, below): how far its ink reaches from the pivot, in pixels


@dataclass
class GlyphStyle:
    """How one sample's glyphs are drawn, in pixels at ``size``."""

    size: int
    bold: int = 0  # stroker width added to the ink
    thin: bool = False
    spacing: float = 0.0  # added to each advance
    outline: int = 0  # border width around the ink (0: none)
    shadow: tuple = None  # (dx, dy, blur sigma, hard extrusion?) or None


def draw_style(rng, s):
    """A GlyphStyle drawn with the probabilities of settings ``s``."""
    size = int(rng.integers(s.font_px[0] // 2, s.font_px[1] // 2 + 1)) * 2  # even sizes: fewer cached fonts
    style = GlyphStyle(size=size)
    if rng.random() < s.p_bold:
        style.bold = max(1, int(round(rng.uniform(*s.bold_em) * size)))
    elif rng.random() < s.p_thin:
        style.thin = True
    if rng.random() < s.p_spacing:
        style.spacing = rng.uniform(*s.spacing_em) * size
    if rng.random() < s.p_outline:
        style.outline = max(1, int(round(rng.uniform(*s.outline_em) * size)))
    if rng.random() < s.p_shadow:
        offset = rng.uniform(*s.shadow_em) * size
        angle = rng.uniform(0, 2 * np.pi)
        hard = bool(rng.random() < 0.35)
        style.shadow = (offset * np.cos(angle), abs(offset * np.sin(angle)), 0.0 if hard else rng.uniform(0.5, 2.5),
                        hard)
    return style


class GlyphRenderer:
    """Draws ``text`` in a face as a uint8 layer stack (H, W, 3): ink, outline, shadow."""

    def __init__(self, max_cached=256):
        self.fonts = {}
        self.max_cached = max_cached

    def font(self, face, size):
        key = (face.path, face.index, size)
        font = self.fonts.get(key)
        if font is None:
            if len(self.fonts) >= self.max_cached:
                self.fonts.clear()
            font = self.fonts[key] = face.load(size)
        return font

    def render(self, text, face, style):
        """The layers of ``text`` drawn on a straight line (``render_with_fiducials`` without the points)."""
        return self.render_with_fiducials(text, face, style)[0]

    def render_with_fiducials(self, text, face, style):
        """``(layers, fiducials)``: ``text`` drawn on a straight line, and the fiducial points of
        its ink's box (fiducials.py)."""
        font = self.font(face, style.size)
        ascent, descent = font.getmetrics()
        pad = style.size // 3 + style.bold + style.outline + shadow_pad(style) + 2
        xs = self._positions(text, font, style.spacing)
        width = int(np.ceil(xs[-1] + 2 * pad)) + 1
        height = int(ascent + descent + 2 * pad)
        baseline = pad + ascent
        x0 = pad - min(0.0, float(xs[0]))
        layers = finish(self._layers(text, font, xs, x0, baseline, (width, height), style), style)
        box = ink_box(layers[..., FILL])
        if box is None:  # nothing drawn: the line box of the advances
            box = (x0 + xs[0], baseline - ascent, x0 + xs[-1], baseline + descent)
        return layers, straight_line(box[0], box[2], box[1], box[3])

    def render_each(self, text, face, style):
        """Each character of ``text`` drawn on its own, neither thinned nor shadowed (``finish``
        does both once the glyphs are in place): ``(glyphs, length)``, a ``Glyph`` per visible
        character and the length of the line they were set on, in pixels."""
        font = self.font(face, style.size)
        ascent, descent = font.getmetrics()
        xs = self._positions(text, font, style.spacing, each=True)
        _, top, _, bottom = font.getbbox(text, anchor="ls")
        middle = -(top + bottom) / 2.0  # the word's middle line, above the baseline
        pad = style.size // 3 + style.bold + style.outline + 2
        height = int(ascent + descent + 2 * pad)
        glyphs = []
        for ch, x in zip(text, xs):
            if ch.isspace():
                continue
            advance = font.getlength(ch)
            size = (int(np.ceil(advance + 2 * pad)) + 1, height)
            layers = self._layers(ch, font, np.array([0.0, advance]), pad, pad + ascent, size, style)
            pivot = (pad + advance / 2.0, pad + ascent - middle)
            box = ink_box(layers[..., FILL]) or (pad, pad, pad + advance, pad + ascent + descent)
            glyphs.append(Glyph(layers, pivot, float(x) + advance / 2.0,
                                ink=(box[0] - pivot[0], pivot[1] - box[1], box[2] - pivot[0], box[3] - pivot[1])))
        return glyphs, float(xs[-1])

    def _layers(self, text, font, xs, x0, baseline, size, style):
        layers = np.zeros((size[1], size[0], 3), dtype=np.uint8)
        layers[..., FILL] = self._draw(text, font, xs, x0, baseline, size, style.bold)
        if style.outline:
            layers[..., OUTLINE] = self._draw(text, font, xs, x0, baseline, size, style.bold + style.outline)
        return layers

    @staticmethod
    def _positions(text, font, spacing, each=False):
        """x of each character and, last, the end of the word: the font's advances (with its
        kerning) plus ``spacing`` after each character (only the start and the end when there
        is no spacing and not ``each``: the word is then drawn in one call)."""
        if spacing == 0 and not each:
            return np.array([0.0, font.getlength(text)])
        xs = [font.getlength(text[:i]) + i * spacing for i in range(len(text))]
        xs.append(font.getlength(text) + (len(text) - 1) * spacing)
        return np.array(xs)

    @staticmethod
    def _draw(text, font, xs, x0, baseline, size, stroke):
        canvas = Image.new("L", size, 0)
        draw = ImageDraw.Draw(canvas)
        if len(xs) == 2:
            draw.text((x0, baseline), text, fill=255, font=font, anchor="ls", stroke_width=stroke, stroke_fill=255)
        else:
            for ch, x in zip(text, xs):
                draw.text((x0 + x, baseline), ch, fill=255, font=font, anchor="ls", stroke_width=stroke,
                          stroke_fill=255)
        return np.asarray(canvas)


def finish(layers, style):
    """``layers`` with the strokes thinned and the shadow cast, as ``style`` asks; the layers
    must leave ``shadow_pad(style)`` pixels of room around the ink."""
    if style.thin:
        layers[..., FILL] = _thinner(layers[..., FILL])
    if style.shadow:
        layers[..., SHADOW] = _cast_shadow(np.maximum(layers[..., FILL], layers[..., OUTLINE]), style.shadow)
    return layers


def _thinner(mask):
    """One pixel off each stroke, only where strokes are thick enough to keep their shape."""
    ink = mask > 127
    if not ink.any():
        return mask
    distance = cv2.distanceTransform(ink.astype(np.uint8), distanceType=cv2.DIST_L2, maskSize=3)
    if np.percentile(distance[ink], 90) < 2.5:
        return mask
    return cv2.erode(mask, kernel=np.ones((2, 2), dtype=np.uint8), iterations=1)


def shadow_pad(style):
    """The room a shadow needs around the ink, in pixels."""
    if not style.shadow:
        return 0
    return int(np.ceil(max(abs(style.shadow[0]), style.shadow[1]) + 3 * style.shadow[2]))


def _cast_shadow(mask, shadow):
    dx, dy, sigma, hard = shadow
    if hard:  # an extrusion: the mask repeated along the offset, like 3-D lettering
        steps = max(1, int(round(np.hypot(dx, dy))))
        out = np.zeros_like(mask)
        for k in range(1, steps + 1):
            out = np.maximum(out, _shift(mask, dx * k / steps, dy * k / steps))
        return out
    out = _shift(mask, dx, dy)
    return cv2.GaussianBlur(out, ksize=(0, 0), sigmaX=sigma) if sigma > 0 else out


def _shift(mask, dx, dy):
    matrix = np.float32([[1, 0, dx], [0, 1, dy]])
    return cv2.warpAffine(mask, M=matrix, dsize=(mask.shape[1], mask.shape[0]), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=0)
