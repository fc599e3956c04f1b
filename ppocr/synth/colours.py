"""Colours of text and background: a sign-maker's palette, or any pair with enough contrast.

SynthText (Gupta et al., CVPR 2016) learnt its text/background colour pairs from cropped real
words; this project may not use such crops (they are the field's evaluation sets), so the
palette below is written by hand from what signs, shop fronts, labels and posters are painted
in. Contrast is the WCAG contrast ratio of relative luminances (1 to 21; 3 is the least the
web's accessibility rules allow for large text): outside the palette a pair is random at a
ratio of at least ``min_contrast_ratio``, and a few samples are faded to a lower ratio that a
person still reads.
All colours are BGR floats (OpenCV's order).
"""
import cv2
import numpy as np

# (text, background) in RGB, as one names them
PALETTE_RGB = (
    ((20, 20, 20), (245, 245, 240)),  # black on white
    ((250, 250, 250), (25, 25, 25)),  # white on black
    ((255, 255, 255), (200, 30, 35)),  # white on red
    ((255, 255, 255), (20, 60, 150)),  # white on blue
    ((255, 255, 255), (0, 110, 60)),  # white on green (road signs)
    ((255, 210, 0), (25, 25, 25)),  # yellow on black
    ((20, 20, 20), (255, 200, 0)),  # black on yellow
    ((200, 20, 30), (250, 250, 245)),  # red on white
    ((20, 50, 140), (245, 245, 240)),  # blue on white
    ((255, 255, 255), (110, 70, 40)),  # white on brown (tourist signs)
    ((220, 180, 90), (100, 15, 25)),  # gold on dark red
    ((20, 20, 20), (240, 130, 20)),  # black on orange
    ((255, 255, 255), (100, 40, 120)),  # white on purple
    ((30, 40, 80), (240, 230, 200)),  # navy on cream
    ((30, 80, 40), (230, 220, 190)),  # dark green on beige
    ((255, 255, 255), (0, 120, 130)),  # white on teal
    ((60, 60, 60), (200, 200, 200)),  # dark grey on light grey
    ((255, 255, 255), (120, 120, 125)),  # white on grey (concrete, metal)
    ((200, 20, 30), (255, 220, 0)),  # red on yellow
    ((20, 20, 20), (150, 200, 230)),  # black on light blue
    ((255, 255, 255), (220, 30, 120)),  # white on magenta
    ((240, 240, 230), (60, 45, 35)),  # cream on dark wood
    ((230, 60, 40), (20, 20, 20)),  # red on black (neon, LED signs)
    ((90, 60, 30), (235, 215, 170)),  # brown on tan (cardboard)
)
PALETTE = tuple((np.float32(t[::-1]), np.float32(b[::-1])) for t, b in PALETTE_RGB)
LUMA_BGR = np.float32([0.114, 0.587, 0.299])  # 8-bit luma (Rec. 601), for quick comparisons
LUMINANCE_BGR = np.float32([0.0722, 0.7152, 0.2126])  # relative luminance of linear sRGB (WCAG)


def luma(bgr):
    return float(np.dot(np.asarray(bgr, dtype=np.float32), LUMA_BGR))


def luminance(bgr):
    """Relative luminance (0..1) of sRGB colours (..., 3) in BGR order, as WCAG defines it."""
    c = np.asarray(bgr, dtype=np.float32) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return linear @ LUMINANCE_BGR


def contrast_ratio(a, b):
    """WCAG contrast ratio of two relative luminances: 1 (none) to 21 (black on white)."""
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def random_colour(rng):
    """A colour of random hue, saturation and value (HSV draws look less muddy than RGB ones)."""
    hsv = np.uint8([[[rng.integers(180), rng.integers(0, 256), rng.integers(40, 256)]]])
    return cv2.cvtColor(hsv, code=cv2.COLOR_HSV2BGR)[0, 0].astype(np.float32)


def with_luminance(colour, target):
    """``colour`` with every channel shifted alike (then clipped) to relative luminance
    ``target``; the luminance grows with the shift, so a bisection finds it."""
    colour = np.asarray(colour, dtype=np.float32)
    low, high = -255.0, 255.0
    for _ in range(14):
        mid = (low + high) / 2
        if float(luminance(np.clip(colour + mid, 0, 255))) < target:
            low = mid
        else:
            high = mid
    return np.clip(colour + (low + high) / 2, 0, 255).astype(np.float32)


def background_colour(rng, s):
    """The background's main colour and, for a palette pair, the text colour that goes with it."""
    if rng.random() < s.p_palette:
        text, back = PALETTE[rng.integers(len(PALETTE))]
        if rng.random() < 0.2:
            text, back = back, text
        jitter = lambda c: np.clip(c + rng.uniform(-18, 18, size=3), 0, 255).astype(np.float32)  # noqa: E731
        return jitter(back), jitter(text)
    return random_colour(rng), None


def text_colour(rng, s, ground, paired=None):
    """An ink colour for a background of mean relative luminance ``ground``: the palette's own
    when its contrast ratio is at least ``min_contrast_ratio``, else a random hue at a ratio
    drawn log-uniformly up to ``max_contrast_ratio`` (or, rarely, from ``low_contrast_ratio``)."""
    if rng.random() < s.p_low_contrast:
        ratio = rng.uniform(*s.low_contrast_ratio)
    elif paired is not None and contrast_ratio(float(luminance(paired)), ground) >= s.min_contrast_ratio:
        return paired
    else:
        ratio = float(np.exp(rng.uniform(np.log(s.min_contrast_ratio), np.log(s.max_contrast_ratio))))
    darker, lighter = (ground + 0.05) / ratio - 0.05, (ground + 0.05) * ratio - 0.05
    options = [t for t in (darker, lighter) if 0.0 <= t <= 1.0]
    if not options:  # no room on either side at that ratio: the farther extreme
        options = [0.0 if ground > 0.18 else 1.0]
    target = options[rng.integers(len(options))]
    return with_luminance(paired if paired is not None else random_colour(rng), target)


def with_luma(colour, target):
    """``colour`` moved to 8-bit luma ``target`` (channels shifted alike, clipped, repeated)."""
    colour = np.asarray(colour, dtype=np.float32)
    for _ in range(4):
        colour = np.clip(colour + (target - luma(colour)), 0, 255)
    return colour.astype(np.float32)


def contrasting(rng, colour, gap=90.0):
    """A colour (often near black or white) at least ``gap`` of luma away from ``colour``: an
    outline's colour."""
    target = luma(colour) + (gap if luma(colour) < 128 else -gap)
    if rng.random() < 0.6:
        return np.full(3, 250.0 if target > luma(colour) else 10.0, dtype=np.float32)
    return with_luma(random_colour(rng), float(np.clip(target, 0, 255)))
