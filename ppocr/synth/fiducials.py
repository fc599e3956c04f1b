"""The word's fiducial points: where its ink lies in the final image, for teaching a
rectifier where to put its control points.

RARE (Shi et al., "Robust Scene Text Recognition with Automatic Rectification", CVPR 2016) and
STAR-Net (Liu et al., "STAR-Net: A SpaTial Attention Residue Network for Scene Text
Recognition", BMVC 2016) flatten a word with a thin-plate spline whose F fiducial points a
network places on the text's top and bottom edges, learnt from the recognition loss alone. The
generator knows where the edges are, so it hands them over: F = 20 points, 0..9 on the top edge
and 10..19 on the bottom edge of the word's ink, each row evenly spaced along the text line from
the left of the first glyph's ink to the right of the last one's, left to right: the order of
``base_control_points`` in ``ppocr/modeling/transforms/tps_grid.py``. The box is the ink's, as a
detector's tight box is, not the font's line box: a straight word cropped tightly then has its
points at the crop's corners, and the TPS learns to leave it as it is (an upper-case word's line
box would reach far past its ink, and teach the TPS to shrink it). A curved word's edges are its
middle line moved along the normal as far as its highest and lowest glyph reach.

The points are drawn with the glyphs and moved by every geometric step after them with the
very matrix or mapping that moves the layers. They travel in pixel-index coordinates (pixel i's
centre at i), the ones OpenCV's warps, remaps and resizes work in, and are given at the end in
``[-1, 1]`` with ``grid_sample``'s ``align_corners=True`` convention (a crop that cuts into the
glyphs leaves some outside).

Example::

    from ppocr.synth.fiducials import straight_line, normalised
    points = straight_line(start=10.0, end=90.0, top=4.0, bottom=36.0)   # (20, 2), pixel indices
    normalised(points, shape=(40, 100))[0]                                # [-0.8081, -0.8205]
"""
import cv2
import numpy as np

NUM_FIDUCIAL = 20


def positions(start, end):
    """Where along the line the points of one edge lie: ``NUM_FIDUCIAL / 2`` of them, evenly
    from ``start`` to ``end``."""
    return np.linspace(start, end, NUM_FIDUCIAL // 2)


def straight_line(start, end, top, bottom):
    """The fiducials (``NUM_FIDUCIAL`` x 2, pixel indices) of a level box from ``start`` to
    ``end`` across and from ``top`` to ``bottom`` down, all four in continuous coordinates (pixel
    i spans [i, i + 1), as FreeType draws)."""
    xs = positions(start, end)
    edges = [np.stack([xs, np.full_like(xs, y)], axis=1) for y in (top, bottom)]
    return np.concatenate(edges) - 0.5


def ink_box(fill, threshold=24):
    """``(left, top, right, bottom)`` of the ink of a ``fill`` mask (uint8) in continuous
    coordinates (pixel i spans [i, i + 1)); None without ink. The threshold is the crop's."""
    ys, xs = np.nonzero(fill > threshold)
    if len(ys) == 0:
        return None
    return float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)


def shifted(fiducials, dx, dy):
    """``fiducials`` moved by ``(dx, dy)`` pixels (None stays None: a caller without points)."""
    return None if fiducials is None else fiducials + np.array([dx, dy], dtype=np.float64)


def homography(fiducials, matrix):
    """``fiducials`` moved by the 3 x 3 ``matrix`` that ``cv2.warpPerspective`` moved the layers
    with (None stays None)."""
    if fiducials is None:
        return None
    moved = cv2.perspectiveTransform(fiducials.reshape(-1, 1, 2).astype(np.float64), m=np.float64(matrix))
    return moved.reshape(-1, 2)


def resized(fiducials, before, after):
    """``fiducials`` of an image of shape ``before`` after ``cv2.resize`` to shape ``after``: the
    image's edges stay its edges, so a pixel centre x goes to ``(x + 0.5) * w' / w - 0.5``."""
    scale = np.array([after[1] / before[1], after[0] / before[0]], dtype=np.float64)
    return (fiducials + 0.5) * scale - 0.5


def normalised(fiducials, shape):
    """``fiducials`` (pixel indices of an image of ``shape``) as ``grid_sample`` with
    ``align_corners=True`` reads them: -1 and 1 the centres of the first and last pixels; a list
    of ``[x, y]`` Python floats to 4 decimals, for the JSON metadata."""
    h, w = shape[:2]
    # a one-pixel-wide image has a single centre: any x samples it, 0 is as good as another
    scale = np.array([2.0 / max(w - 1, 1), 2.0 / max(h - 1, 1)])
    return [[round(float(x), 4), round(float(y), 4)] for x, y in fiducials * scale - 1.0]
