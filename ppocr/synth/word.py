"""One synthetic word image, from its text to the degraded crop, and what made it.

The order is MJSynth's (Jaderberg et al., 2014): font rendering, border and shadow, colouring,
projective distortion, natural-image blending, noise; with SynthText's lessons (Gupta et al.,
CVPR 2016) on colour contrast and on what text is written on. Every choice is drawn from the
sample's own generator, with the probabilities of ``SynthSettings``.

Example::

    renderer = WordRenderer(find_fonts(), load_words())
    text, image, meta = renderer.render(np.random.default_rng([0, 0]), make_bank(0, 0))
    meta   # {'font': 'DejaVuSerif-Bold.ttf', 'family': 'DejaVu Serif', 'case': 'title', 'kind': 'word',
           #  'effects': ['perspective', 'blur'], 'fiducials': [[-0.94, -0.51], ... 20 pairs]}

``meta["fiducials"]`` are the 20 points of the box of the word's ink in the image (fiducials.py), in
``[-1, 1]``: what a TPS rectifier's control points should find.
"""
import cv2
import numpy as np

from ppocr.errors import UserError
from ppocr.synth import colours
from ppocr.synth.background import make_background
from ppocr.synth.clutter import add_neighbours, draw_edges
from ppocr.synth.effects import Degrader
from ppocr.synth.fiducials import normalised, resized
from ppocr.synth.fonts import group_by_family
from ppocr.synth.curve import draw_curve, set_along
from ppocr.synth.geometry import crop, distort, level
from ppocr.synth.render import FILL, MAIN, OUTLINE, SHADOW, GlyphRenderer, draw_style
from ppocr.synth.synth_settings import DEFAULT_SETTINGS
from ppocr.synth.text import TextSampler


class WordRenderer:
    """Draws ``(text, BGR uint8 image, metadata)`` from a numpy Generator and a scene bank; the
    metadata holds the word's fiducial points (fiducials.py)."""

    def __init__(self, faces, words, case="mixed", max_len=25, settings=DEFAULT_SETTINGS):
        if not faces:
            raise UserError("no font to draw with: give --fonts folders or globs of .ttf/.otf/.ttc files")
        if not 0.0 <= settings.p_curve + settings.p_view <= 1.0:
            raise UserError(f"p_curve + p_view is the share of samples curved or in a strong view, at most 1: got "
                            f"{settings.p_curve} + {settings.p_view}; lower one of them")
        self.settings = settings
        self.text = TextSampler(words, case=case, max_len=max_len, settings=settings)
        # a family at random, then one of its faces: a family of 40 weights weighs what one of 1 does
        self.families = list(group_by_family(faces).values())
        self.glyphs = GlyphRenderer()
        self.degrader = Degrader(settings)
        kinds = settings.background_weights
        self.background_kinds = [k for k, _ in kinds]
        self.background_p = np.array([w for _, w in kinds]) / sum(w for _, w in kinds)

    def render(self, rng, bank):
        s = self.settings
        text, case, kind = self.text.sample(rng)
        faces = self.families[rng.integers(len(self.families))]
        face = faces[rng.integers(len(faces))]
        style = draw_style(rng, s)
        applied = []
        shape = rng.random()  # one draw: curved, seen in a strong view, or neither
        curved, view = shape < s.p_curve, s.p_curve <= shape < s.p_curve + s.p_view
        if curved:
            glyphs, length = self.glyphs.render_each(text, face, style)
            kind, theta = draw_curve(rng, s, length, style.size)
            layers, fiducials = set_along(glyphs, theta, style)
            applied.append(kind)
        else:
            layers, fiducials = self.glyphs.render_with_fiducials(text, face, style)
        if rng.random() < s.p_neighbours:
            layers, fiducials = add_neighbours(layers, rng, s, lambda other: self.glyphs.render(other, face, style),
                                               self.text, applied, fiducials)
        layers, fiducials = distort(layers, rng, s, applied, curved=curved, view=view, fiducials=fiducials)
        if curved and rng.random() < s.p_tilted_box:
            layers, fiducials = level(layers, fiducials)
            applied.append("tilted box")
        layers, fiducials = crop(layers, rng, s, fiducials)
        layers = layers[..., :MAIN]
        image = self._paint(layers, style, rng, bank, applied)
        height = int(rng.integers(*self._heights(layers[..., FILL])))
        width = max(1, int(round(image.shape[1] * height / image.shape[0])))
        shrinking = height < image.shape[0]
        fiducials = resized(fiducials, image.shape, (height, width))
        image = cv2.resize(image, dsize=(width, height),
                           interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR)
        image = self.degrader.degrade(image, rng, applied)  # its effects keep every pixel where it was
        meta = {"font": face.file, "family": face.family, "case": case, "kind": kind, "effects": applied,
                "fiducials": normalised(fiducials, image.shape)}
        return text, image, meta

    def _heights(self, fill):
        """[low, high) of the output height: ``height_px``, raised where a thin face would
        shrink to strokes thinner than ``min_stroke_px`` (never above the rendered height)."""
        low, high = self.settings.height_px
        ink = fill > 127
        if ink.any():
            distance = cv2.distanceTransform(ink.astype(np.uint8), distanceType=cv2.DIST_L2, maskSize=3)
            stroke = 2.0 * float(np.percentile(distance[ink], 90))  # about the width of the thickest strokes
            need = int(np.ceil(fill.shape[0] * self.settings.min_stroke_px / max(stroke, 1.0)))
            low = max(low, min(need, max(high, fill.shape[0])))
        return low, max(low, high) + 1

    def _paint(self, layers, style, rng, bank, applied):
        s = self.settings
        h, w = layers.shape[:2]
        alpha = layers.astype(np.float32) / 255.0
        base, paired = colours.background_colour(rng, s)
        kind = self.background_kinds[rng.choice(len(self.background_kinds), p=self.background_p)]
        image = make_background(kind, h, w, base, rng, bank)
        if rng.random() >= s.p_busy:
            image = _calm(image, rng)
        else:
            applied.append("busy background")
        ink = colours.text_colour(rng, s, float(colours.luminance(image).mean()), paired)
        image = _clear_of(image, colours.luma(ink))
        if rng.random() < s.p_edges:
            image = draw_edges(image, colours.contrasting(rng, ink) if rng.random() < 0.5 else ink, rng, applied)
        if style.shadow:
            opacity = rng.uniform(0.4, 0.9)
            shade = image.mean(axis=(0, 1)) * rng.uniform(0.0, 0.4)
            image = _over(image, shade, alpha[..., SHADOW] * opacity)
        if style.outline:
            image = _over(image, colours.contrasting(rng, ink), alpha[..., OUTLINE])
        if rng.random() < s.p_textured_text:  # the ink takes the surface's grain
            grain = image.mean(axis=2, keepdims=True) / max(float(image.mean()), 1.0)
            ink = np.clip(ink * (0.75 + 0.25 * grain), 0, 255)
        image = _over(image, ink, alpha[..., FILL])
        return np.clip(image, 0, 255).astype(np.uint8)


def _over(image, colour, alpha):
    alpha = alpha[..., None]
    return image * (1.0 - alpha) + colour * alpha


def _clear_of(image, ink_luma, keep=0.6):
    """The background squeezed towards its mean colour until 97 % of its pixels keep at least
    ``keep`` of the ink's luma distance from that mean: no part of the word vanishes into a
    dark or light patch of the background."""
    luma = image @ colours.LUMA_BGR
    mean = float(luma.mean())
    gap = abs(mean - ink_luma)
    worst = mean - float(np.percentile(luma, 3)) if ink_luma < mean else float(np.percentile(luma, 97)) - mean
    if worst <= (1.0 - keep) * gap:
        return image
    centre = image.mean(axis=(0, 1))
    return centre + (image - centre) * max(0.0, (1.0 - keep) * gap / worst)


def _calm(image, rng):
    """A busy background toned down towards its mean (text on clutter is rare: signs are boards)."""
    spread = float(np.dot(image.std(axis=(0, 1)), colours.LUMA_BGR))
    limit = rng.uniform(18.0, 35.0)
    if spread <= limit:
        return image
    mean = image.mean(axis=(0, 1))
    return mean + (image - mean) * (limit / spread)
