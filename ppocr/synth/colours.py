"""Colours of text and background: a sign-maker's palette, or any pair with enough contrast.

SynthText (Gupta et al., CVPR 2016) learnt its text/background colour pairs from cropped real
words; this project may not use such crops (they are the field's evaluation sets), so the
palette below is written by hand from what signs, shop fronts, labels and posters are painted
in. Outside the palette a pair is random with a luma difference of at least
``min_contrast``, and a few samples are faded to a low contrast that a person still reads.
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
LUMA_BGR = np.float32([0.114, 0.587, 0.299])


def luma(bgr):
    return float(np.dot(np.asarray(bgr, dtype=np.float32), LUMA_BGR))


def random_colour(rng):
    """A colour of random hue, saturation and value (HSV draws look less muddy than RGB ones)."""
    hsv = np.uint8([[[rng.integers(180), rng.integers(0, 256), rng.integers(40, 256)]]])
    return cv2.cvtColor(hsv, code=cv2.COLOR_HSV2BGR)[0, 0].astype(np.float32)


def with_luma(colour, target):
    """``colour`` moved to luma ``target``: every channel shifted alike, clipped, and again (a
    clipped channel moved less), so only black or white can stop short of it."""
    colour = np.asarray(colour, dtype=np.float32)
    for _ in range(4):
        colour = np.clip(colour + (target - luma(colour)), 0, 255)
    return colour.astype(np.float32)


def background_colour(rng, s):
    """The background's main colour and, for a palette pair, the text colour that goes with it."""
    if rng.random() < s.p_palette:
        text, back = PALETTE[rng.integers(len(PALETTE))]
        if rng.random() < 0.2:
            text, back = back, text
        jitter = lambda c: np.clip(c + rng.uniform(-18, 18, size=3), 0, 255).astype(np.float32)  # noqa: E731
        return jitter(back), jitter(text)
    return random_colour(rng), None


def text_colour(rng, s, background_luma, paired=None):
    """An ink colour for a background of mean luma ``background_luma``: the palette's own when it
    stands out enough, else a random hue at a luma ``min_contrast`` away (or, rarely, less)."""
    if rng.random() < s.p_low_contrast:
        gap = rng.uniform(*s.low_contrast)
    elif paired is not None and abs(luma(paired) - background_luma) >= s.min_contrast:
        return paired
    else:
        gap = rng.uniform(s.min_contrast, max(s.min_contrast, 255.0 * 0.8))
    darker, lighter = background_luma - gap, background_luma + gap
    options = [t for t in (darker, lighter) if 0 <= t <= 255]
    if not options:  # no room on either side at that gap: the farther extreme
        options = [0.0 if background_luma > 127 else 255.0]
    target = options[rng.integers(len(options))]
    base = paired if paired is not None else random_colour(rng)
    return with_luma(base, target)


def contrasting(rng, colour, gap=90.0):
    """A colour (often near black or white) at least ``gap`` of luma away from ``colour``: an
    outline's colour."""
    target = luma(colour) + (gap if luma(colour) < 128 else -gap)
    if rng.random() < 0.6:
        return np.full(3, 250.0 if target > luma(colour) else 10.0, dtype=np.float32)
    return with_luma(random_colour(rng), float(np.clip(target, 0, 255)))
