"""Where the word lies: curved baselines, rotation, shear, projective distortion, and the crop.

All of it works on the layer stack of ``render.py`` (ink, outline, shadow), so the three stay
aligned. Rotation, shear and perspective make one homography and one warp; a curved baseline is
a remap (a sine wave, an arc of a circle as on round signs and stamps, or the side of a cylinder:
a bottle, a column, a can; the kind of text the TPS and GA-SPIN rectifiers exist for). The crop
is a detector's box around the word (``MAIN``: the neighbours' ink does not move it): mostly
tight, sometimes loose, now and then cutting a little into the glyphs.
"""
import cv2
import numpy as np

from ppocr.synth.render import MAIN


def distort(layers, rng, s, applied=None):
    """The layers bent, rotated, sheared and put in perspective with settings ``s``; the names
    of the effects drawn are appended to ``applied``."""
    applied = [] if applied is None else applied
    if rng.random() < s.p_arc:
        layers = arc(layers, np.radians(rng.uniform(*s.arc_degrees)), downward=bool(rng.random() < 0.5))
        applied.append("arc")
    elif rng.random() < s.p_cylinder:
        layers = cylinder(layers, np.radians(rng.uniform(*s.cylinder_degrees)), rng.uniform(-1, 1) * s.cylinder_tilt)
        applied.append("cylinder")
    elif rng.random() < s.p_sine:
        layers = sine(layers, rng)
        applied.append("sine")
    angle = 0.0
    if rng.random() < s.p_rotate_large:
        angle = rng.uniform(-s.rotate_large_deg, s.rotate_large_deg)
    elif rng.random() < s.p_rotate:
        angle = rng.uniform(-s.rotate_deg, s.rotate_deg)
    shear = rng.uniform(-s.shear, s.shear) if rng.random() < s.p_shear else 0.0
    corners = None
    if rng.random() < s.p_perspective:
        strength = rng.uniform(*s.perspective)
        corners = rng.uniform(-1, 1, size=(4, 2)) * np.float32([strength * 0.4, strength])
    if angle == 0.0 and shear == 0.0 and corners is None:
        return layers
    applied.append("perspective" if corners is not None else "rotate/shear")
    return warp(layers, angle, shear, corners)


def warp(layers, angle, shear, corners=None):
    """One homography: shear (x += shear * y), rotation by ``angle`` degrees, then each corner
    moved by ``corners`` (4 x 2, fractions of the width and of the height)."""
    h, w = layers.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    centred = src - np.float32([w / 2, h / 2])
    centred[:, 0] += shear * centred[:, 1]
    theta = np.radians(angle)
    rotation = np.float32([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])
    dst = centred @ rotation.T
    if corners is not None:
        dst += np.float32(corners) * np.float32([w, h])
    dst -= dst.min(axis=0)
    size = np.ceil(dst.max(axis=0)).astype(int) + 1
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    return cv2.warpPerspective(layers, M=matrix, dsize=(int(size[0]), int(size[1])), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def sine(layers, rng):
    """The baseline along part of a sine wave (each column shifted up or down)."""
    h, w = layers.shape[:2]
    phase, cycles = rng.uniform(0, 2 * np.pi), rng.uniform(0.3, 1.0)
    # at most a slope of 0.3: a steeper wave tears a short word apart
    amplitude = min(rng.uniform(0.08, 0.25) * h, 0.3 * w / (2 * np.pi * cycles))
    pad = int(np.ceil(amplitude)) + 1
    layers = cv2.copyMakeBorder(layers, top=pad, bottom=pad, left=0, right=0, borderType=cv2.BORDER_CONSTANT,
                                value=0)
    xs = np.arange(w, dtype=np.float32)
    shift = (amplitude * np.sin(phase + 2 * np.pi * cycles * xs / w)).astype(np.float32)
    map_x = np.broadcast_to(xs, (layers.shape[0], w)).astype(np.float32)
    map_y = np.arange(layers.shape[0], dtype=np.float32)[:, None] + shift[None, :]
    return cv2.remap(layers, map1=map_x, map2=map_y, interpolation=cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def arc(layers, bend, downward=False):
    """The text set on an arc of ``bend`` radians, letters upright on the circle's outside
    (an arch), or, ``downward``, on its inside (a smile, as the lower text of a round sign)."""
    if downward:
        return np.ascontiguousarray(arc(np.ascontiguousarray(layers[::-1]), bend)[::-1])
    h, w = layers.shape[:2]
    bend = min(bend, w / (1.5 * h))  # a short word on a tight circle would turn inside out
    radius = w / bend  # at the text's middle line
    # the outline of the bent strip gives the size of the output
    t = np.linspace(0.0, 1.0, 64)
    edge_x = np.concatenate([t * w, t * w, np.zeros(2), np.full(2, w)])
    edge_y = np.concatenate([np.zeros(64), np.full(64, h), [0, h], [0, h]])
    theta = (edge_x - w / 2) / radius
    r = radius + (h / 2 - edge_y)
    px, py = r * np.sin(theta), -r * np.cos(theta)
    left, top = px.min(), py.min()
    out_w, out_h = int(np.ceil(px.max() - left)) + 1, int(np.ceil(py.max() - top)) + 1
    gx, gy = np.meshgrid(np.arange(out_w, dtype=np.float32) + left, np.arange(out_h, dtype=np.float32) + top)
    map_x = (np.arctan2(gx, -gy) * radius + w / 2).astype(np.float32)
    map_y = (h / 2 - (np.hypot(gx, gy) - radius)).astype(np.float32)
    return cv2.remap(layers, map1=map_x, map2=map_y, interpolation=cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def cylinder(layers, half_angle, tilt):
    """The text wrapped round a vertical cylinder over ``2 * half_angle`` radians of it, seen
    from its side: letters narrow towards the edges, and, seen from ``tilt`` (a fraction of
    the text height; positive: from above) off the text's middle, the baseline bends into an
    arc of an ellipse."""
    h, w = layers.shape[:2]
    half_angle = float(np.clip(half_angle, 0.05, 1.45))
    out_w = max(2, int(round(w * np.sin(half_angle) / half_angle)))
    depth = tilt * h  # how far the middle of the word sits below (or above) its ends
    pad = int(np.ceil(abs(depth))) + 1
    u = (np.arange(out_w, dtype=np.float64) + 0.5) / out_w * 2.0 - 1.0  # -1 .. 1 across the view
    theta = np.arcsin(np.clip(u * np.sin(half_angle), -1.0, 1.0))
    source_x = (theta / (2.0 * half_angle) + 0.5) * w - 0.5
    sag = depth * (np.cos(theta) - np.cos(half_angle)) / max(1.0 - np.cos(half_angle), 1e-6)
    top = pad + min(0.0, -depth)
    map_x = np.broadcast_to(source_x, (h + 2 * pad, out_w)).astype(np.float32)
    map_y = (np.arange(h + 2 * pad, dtype=np.float64)[:, None] - top - sag[None, :]).astype(np.float32)
    return cv2.remap(layers, map1=map_x, map2=map_y, interpolation=cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def crop(layers, rng, s):
    """The detector's box: the word's bounding box (its ``MAIN`` layer where there is one) with
    margins drawn from settings ``s``, in units of its height; outside the layers is empty."""
    ink = layers[..., MAIN] if layers.shape[2] > MAIN else layers.max(axis=2)
    ys, xs = np.nonzero(ink > 24)
    if len(ys) == 0:
        return layers
    top, bottom, left, right = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    height = bottom - top
    low, high = s.loose_margin if rng.random() < s.p_loose else s.tight_margin
    margins = rng.uniform(low, high, size=4) * height
    margins[2:] += rng.uniform(0.0, 0.15, size=2) * height  # words are boxed a little wider than tall
    if rng.random() < s.p_cut:
        margins[rng.integers(2)] = -rng.uniform(*s.cut) * height  # top or bottom cut into the glyphs
    box = np.array([top - margins[0], bottom + margins[1], left - margins[2], right + margins[3]])
    y0, y1, x0, x1 = np.round(box).astype(int)
    y1, x1 = max(y1, y0 + 2), max(x1, x0 + 2)
    pad = max(0, -y0, -x0, y1 - layers.shape[0], x1 - layers.shape[1])
    if pad:
        layers = cv2.copyMakeBorder(layers, top=pad, bottom=pad, left=pad, right=pad,
                                    borderType=cv2.BORDER_CONSTANT, value=0)
    return layers[y0 + pad:y1 + pad, x0 + pad:x1 + pad]
