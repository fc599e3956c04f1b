"""Every probability and range of the synthetic word generator, in one place.

A sample draws, in this order: its text and letter case, a typeface (a family at random, then
one of its faces), the glyph style (size, weight, letter spacing, outline, shadow), the geometry
(a curve or a strong view, a cylinder, rotation, shear, projective distortion, the crop), the
background and the colours, then the degradations of a camera and a codec. Each ``p_*`` is the probability that a sample gets
that effect; each ``(low, high)`` pair is a uniform range. ``DEFAULT_SETTINGS`` is what
``generate`` and ``tools/gen_synth_data.py`` use; tune by building another::

    from dataclasses import replace
    from ppocr.synth import DEFAULT_SETTINGS, generate
    generate(1000, seed=0, lmdb_dir="/tmp/blurry", settings=replace(DEFAULT_SETTINGS, p_blur=0.8))

The table in doc/tools/gen_synth_data.md lists the same numbers.
"""
from dataclasses import dataclass

CASES = ("lower", "title", "upper")


@dataclass(frozen=True)
class SynthSettings:
    # --- text (text.py) ---
    # letter case of case="mixed": lower 45 %, Title 30 %, UPPER 25 %; signs and posters use capitals
    # far more than prose does, and a recogniser never shown one cannot read it
    case_weights: tuple = (0.45, 0.30, 0.25)
    # what a sample's text is: a word of the list, random letters, a number (price, year, time,
    # phone, percentage), or a code mixing letters and digits (A4, B52, X7K2)
    kind_weights: tuple = (("word", 0.74), ("letters", 0.10), ("number", 0.10), ("code", 0.06))
    # punctuation is off by default: the 0-9a-z charset of the STAR-Net configs cannot encode it, so
    # training would skip those samples; with it on (--punctuation), about 9 % of the labels have some
    punctuation: bool = False
    p_punctuation: float = 0.08  # a word gets punctuation: trailing . , ! ? :  quotes, 's, a hyphenated pair
    p_number_symbols: float = 0.4  # a number is a price, time, percentage, phone number, decimal or ordinal
    letters_length: tuple = (1, 10)

    # --- glyphs (render.py), lengths in units of the font size ---
    font_px: tuple = (28, 56)  # rendering size before the final resize
    p_bold: float = 0.15  # strokes thickened
    bold_em: tuple = (0.02, 0.06)
    p_thin: float = 0.05  # strokes thinned (only at sizes where they survive it)
    p_spacing: float = 0.25  # letter spacing other than the font's own
    spacing_em: tuple = (-0.04, 0.35)
    p_outline: float = 0.10  # a border of another colour around each glyph
    outline_em: tuple = (0.04, 0.10)
    p_shadow: float = 0.12  # a drop shadow, soft or hard
    shadow_em: tuple = (0.03, 0.10)

    # --- geometry (geometry.py) ---
    p_rotate: float = 0.5
    rotate_deg: float = 4.0
    p_rotate_large: float = 0.06  # a sign photographed askew
    rotate_large_deg: float = 15.0
    p_shear: float = 0.15  # slanted (a synthetic italic, or the view of a slanted plane)
    shear: float = 0.35
    p_perspective: float = 0.35  # the plane of the text seen at a small angle: its corners moved
    perspective: tuple = (0.08, 0.22)  # corner displacement, fraction of the width and of the height
    # a strong view (geometry.py), as SVT-Perspective shows shop fronts seen from the pavement: the
    # word's plane turned 30-60 degrees about an axis in it, near its vertical (one end nearer,
    # taller), near its horizontal (the top or the bottom nearer, wider) or a diagonal (both),
    # through a pinhole camera
    p_view: float = 0.15
    view_degrees: tuple = (30.0, 60.0)
    view_axis_jitter: float = 12.0  # degrees off the vertical or horizontal axis
    view_axes: tuple = (("horizontal", 0.6), ("vertical", 0.2), ("both", 0.2))
    # the axis of "both", degrees from the horizontal: mostly turned aside, partly up or down (a sign
    # above the street, seen from one side); nearer 45 the word would look turned in its plane
    view_both_axis: tuple = (55.0, 75.0)
    view_distance: tuple = (1.2, 4.0)  # the camera's distance in units of the word's length: near ones converge
    # words set along a curve glyph by glyph (curve.py), as logos, badges, round signs show them;
    # a sample is curved, or seen in a strong view, or neither (p_curve + p_view <= 1)
    p_curve: float = 0.18
    curve_weights: tuple = (("arc", 0.65), ("wave", 0.35))
    arc_radius: tuple = (1.2, 12.0)  # of the circle at the text's middle, in font sizes, log-uniform
    arc_max_degrees: float = 160.0  # a longer word gets a larger circle
    p_arc_down: float = 0.5  # a smile (the bottom of a badge) rather than an arch
    arc_tilt_degrees: float = 25.0  # the arc's chord turned by up to this: a stretch of a circle off its top
    wave_degrees: tuple = (8.0, 30.0)  # a wave's steepest slope
    wave_cycles: tuple = (0.4, 1.3)
    p_tilted_box: float = 0.5  # a curved word cut out along its rotated box (else its upright one)
    p_cylinder: float = 0.06  # text round a bottle, a can, a column
    cylinder_degrees: tuple = (20.0, 75.0)  # half the angle of the cylinder the word covers
    cylinder_tilt: float = 0.35  # bend of the baseline seen from above or below, fraction of the height
    # crop around the ink, in units of the text height: most crops are a detector's tight box
    p_loose: float = 0.30
    tight_margin: tuple = (0.0, 0.10)
    loose_margin: tuple = (0.08, 0.45)
    p_cut: float = 0.06  # the box cuts a little into the glyphs (top or bottom)
    cut: tuple = (0.03, 0.12)
    # --- clutter (clutter.py): what else the box catches ---
    p_neighbours: float = 0.20  # a line of text above or below, or a word on the left or right
    neighbour_line_gap: tuple = (0.03, 0.35)  # between the lines' ink, in units of the text height
    neighbour_word_gap: tuple = (0.15, 0.6)  # between the words' ink, likewise
    p_edges: float = 0.10  # the edge of a board or frame along one side

    # --- background (background.py) ---
    # "photo": the photographs and textures given to --backgrounds (a scene when none is given)
    background_weights: tuple = (("solid", 0.12), ("gradient", 0.10), ("noise", 0.12), ("shapes", 0.10),
                                 ("texture", 0.12), ("scene", 0.16), ("photo", 0.28))
    p_busy: float = 0.30  # the background keeps its clutter (else it is toned down like a board)

    # --- colours (colours.py) ---
    p_palette: float = 0.55  # a pair of a sign-maker's palette (black on white, white on red ...)
    p_low_contrast: float = 0.05  # faded or weathered text, still readable
    min_contrast_ratio: float = 3.0  # WCAG contrast ratio of ink and background mean: 1 none, 21 black on white
    max_contrast_ratio: float = 15.0  # random pairs: a ratio drawn log-uniformly in [min, max]
    low_contrast_ratio: tuple = (2.0, 2.8)
    p_textured_text: float = 0.10  # the ink takes the grain of the surface it is painted on

    # --- degradations (effects.py) ---
    p_blur: float = 0.25
    blur_sigma: tuple = (0.3, 1.2)  # for a 32-pixel-high crop, scaled with the height
    p_motion_blur: float = 0.06
    p_defocus: float = 0.08  # a lens out of focus: a disc, not a Gaussian
    defocus_radius: tuple = (0.8, 2.0)  # pixels, for a 32-pixel-high crop
    p_low_resolution: float = 0.15  # down to a few pixels of text height, then up-sampled
    low_resolution_scale: tuple = (0.3, 0.6)
    low_resolution_min_px: int = 12  # the text stays at least this high while small
    p_noise: float = 0.30
    noise_std: tuple = (0.01, 0.06)  # fraction of the 0..255 range
    p_iso_noise: float = 0.06
    p_lighting: float = 0.12  # uneven light: a plasma shadow over part of the word
    p_cast_shadow: float = 0.08  # the sharp-edged shadow of a pole, a roof or a hand across the word
    cast_shadow_darkness: tuple = (0.35, 0.75)  # the light left in the shadow
    p_brightness_contrast: float = 0.20
    p_jpeg: float = 0.20  # strong compression artefacts before the final encoding
    jpeg_quality: tuple = (15, 55)
    height_px: tuple = (24, 64)  # the stored image's height ...
    min_stroke_px: float = 1.8  # ... but never so small that a stroke is thinner than this
    final_jpeg_quality: tuple = (75, 95)


DEFAULT_SETTINGS = SynthSettings()
