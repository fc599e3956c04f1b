"""Where the word lies: a cylinder, rotation, shear, perspective, and the crop.

All of it works on the layer stack of ``render.py`` (ink, outline, shadow), so the three stay
aligned. Rotation, shear and perspective make one homography and one warp: either the corners
moved a little, or a strong view, the word's plane turned 30-60 degrees away from the camera
and projected through a pinhole, as SVT-Perspective (Phan et al., "Recognizing Text with
Perspective Distortion in Natural Scenes", ICCV 2013) shows shop fronts photographed from the
pavement. The side of a cylinder (a bottle, a column, a can) is a remap; words bent along an
arc or a wave are set glyph by glyph (curve.py). The crop is a detector's box around the word
(``MAIN``: the neighbours' ink does not move it): mostly tight, sometimes loose, now and then
cutting a little into the glyphs; for a curved word, sometimes its rotated box (``level``).

Each step also moves the word's fiducial points (fiducials.py), with the matrix or mapping it
moves the layers with, and returns ``(layers, fiducials)``; without points (None) it returns
``(layers, None)``.
"""
import cv2
import numpy as np

from ppocr.synth.fiducials import homography, shifted
from ppocr.synth.render import MAIN


def distort(layers, rng, s, applied=None, curved=False, view=False, fiducials=None):
    """The layers (and ``fiducials``) bent, rotated, sheared and put in perspective with settings
    ``s``; the names of the effects drawn are appended to ``applied``. A ``curved`` word
    (curve.py) is not wrapped round a cylinder as well; a ``view`` is a strong out-of-plane one
    (``view_*``) instead of the corners' small moves."""
    applied = [] if applied is None else applied
    if not curved and rng.random() < s.p_cylinder:
        layers, fiducials = cylinder(layers, np.radians(rng.uniform(*s.cylinder_degrees)),
                                     rng.uniform(-1, 1) * s.cylinder_tilt, fiducials)
        applied.append("cylinder")
    angle = 0.0
    if rng.random() < s.p_rotate_large:
        angle = rng.uniform(-s.rotate_large_deg, s.rotate_large_deg)
    elif rng.random() < s.p_rotate:
        angle = rng.uniform(-s.rotate_deg, s.rotate_deg)
    shear = rng.uniform(-s.shear, s.shear) if rng.random() < s.p_shear else 0.0
    corners, camera = None, None
    if view:
        camera = draw_view(rng, s)
    elif rng.random() < s.p_perspective:
        strength = rng.uniform(*s.perspective)
        corners = rng.uniform(-1, 1, size=(4, 2)) * np.float32([strength * 0.4, strength])
    if angle == 0.0 and shear == 0.0 and corners is None and camera is None:
        return layers, fiducials
    applied.append("view" if camera is not None else "perspective" if corners is not None else "rotate/shear")
    return warp(layers, angle, shear, corners, camera, fiducials)


def draw_view(rng, s):
    """``(tilt, axis, distance)`` of a strong view of settings ``s``: the word's plane turned
    by ``tilt`` (30-60 degrees, either way) about an axis in it at ``axis`` radians from the
    horizontal: near the vertical for horizontal foreshortening (one end nearer), near the
    horizontal for vertical foreshortening (the top or the bottom nearer), a diagonal for both;
    seen from ``distance`` times the word's larger side."""
    kinds = [k for k, _ in s.view_axes]
    weights = np.array([w for _, w in s.view_axes], dtype=np.float64)
    kind = kinds[rng.choice(len(kinds), p=weights / weights.sum())]
    tilt = np.radians(rng.uniform(*s.view_degrees)) * rng.choice([-1.0, 1.0])
    if kind == "both":
        axis = np.radians(rng.uniform(*s.view_both_axis)) * rng.choice([-1.0, 1.0])
    else:
        axis = np.radians((90.0 if kind == "horizontal" else 0.0) + rng.uniform(-1, 1) * s.view_axis_jitter)
    return float(tilt), float(axis), float(rng.uniform(*s.view_distance))


def project(points, tilt, axis, distance):
    """``points`` (N x 2, pixels, centred on the plane) of a plane turned by ``tilt`` radians
    about the line through its centre at ``axis`` radians from its x axis, seen by a pinhole
    camera ``distance`` times the plane's larger side away; its centre keeps its scale."""
    x, y = points[:, 0].astype(np.float64), points[:, 1].astype(np.float64)
    far = distance * max(np.ptp(x), np.ptp(y))
    c, s = np.cos(axis), np.sin(axis)
    along = x * c + y * s  # Rodrigues' rotation of (x, y, 0) about (c, s, 0)
    turned_x = x * np.cos(tilt) + c * along * (1.0 - np.cos(tilt))
    turned_y = y * np.cos(tilt) + s * along * (1.0 - np.cos(tilt))
    depth = (c * y - s * x) * np.sin(tilt)
    scale = far / (far + depth)
    return np.stack([turned_x * scale, turned_y * scale], axis=1).astype(np.float32)


def warp(layers, angle, shear, corners=None, camera=None, fiducials=None):
    """The layers and ``fiducials`` moved by the homography of ``warp_matrix``, the layers'
    canvas grown to hold all of them."""
    matrix, size = warp_matrix(layers.shape, angle, shear, corners, camera)
    layers = cv2.warpPerspective(layers, M=matrix, dsize=size, flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return layers, homography(fiducials, matrix)


def warp_matrix(shape, angle, shear, corners=None, camera=None):
    """``(matrix, (width, height))``: one homography for layers of ``shape`` and the size of its
    output: shear (x += shear * y), the plane seen by ``camera`` (``(tilt, axis, distance)``, see
    ``project``), rotation by ``angle`` degrees, then each corner moved by ``corners`` (4 x 2,
    fractions of the width and of the height)."""
    h, w = shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    centred = src - np.float32([w / 2, h / 2])
    centred[:, 0] += shear * centred[:, 1]
    if camera is not None:
        centred = project(centred, *camera)
    theta = np.radians(angle)
    rotation = np.float32([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])
    dst = centred @ rotation.T
    if corners is not None:
        dst += np.float32(corners) * np.float32([w, h])
    dst -= dst.min(axis=0)
    size = np.ceil(dst.max(axis=0)).astype(int) + 1
    return cv2.getPerspectiveTransform(src, dst.astype(np.float32)), (int(size[0]), int(size[1]))


def level(layers, fiducials=None):
    """The layers (and ``fiducials``) turned so that the smallest rectangle round the word's ink
    (``MAIN`` where there is one) lies level, its side nearest the horizontal along the x axis:
    the rotated box a detector such as DB gives, cut out straight for the recogniser."""
    ys, xs = np.nonzero(_ink(layers) > 24)
    if len(ys) < 3:
        return layers, fiducials
    box = cv2.boxPoints(cv2.minAreaRect(np.stack([xs, ys], axis=1).astype(np.float32)))
    sides = np.roll(box, -1, axis=0) - box
    angles = (np.degrees(np.arctan2(sides[:, 1], sides[:, 0])) + 90.0) % 180.0 - 90.0
    angle = float(angles[np.argmin(np.abs(angles))])
    return warp(layers, angle, 0.0, fiducials=fiducials) if abs(angle) > 0.5 else (layers, fiducials)


def _ink(layers):
    return layers[..., MAIN] if layers.shape[2] > MAIN else layers.max(axis=2)


def cylinder(layers, half_angle, tilt, fiducials=None):
    """The text (and ``fiducials``) wrapped round a vertical cylinder over ``2 * half_angle``
    radians of it, seen from its side: letters narrow towards the edges, and, seen from ``tilt``
    (a fraction of the text height; positive: from above) off the text's middle, the baseline
    bends into an arc of an ellipse."""
    view = _Cylinder(layers.shape, half_angle, tilt)
    map_x, map_y = view.sources()
    layers = cv2.remap(layers, map1=map_x, map2=map_y, interpolation=cv2.INTER_LINEAR,
                       borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return layers, None if fiducials is None else view.forward(fiducials)


class _Cylinder:
    """The side view of a cylinder of ``cylinder`` both ways: where each output pixel comes from
    (the remap of the layers) and where each input point goes (its inverse, for the points)."""

    def __init__(self, shape, half_angle, tilt):
        h, self.w = shape[:2]
        self.half_angle = float(np.clip(half_angle, 0.05, 1.45))
        self.out_w = max(2, int(round(self.w * np.sin(self.half_angle) / self.half_angle)))
        self.depth = tilt * h  # how far the middle of the word sits below (or above) its ends
        pad = int(np.ceil(abs(self.depth))) + 1
        self.out_h = h + 2 * pad
        self.top = pad + min(0.0, -self.depth)

    def sag(self, theta):
        """How far the point at ``theta`` radians round the cylinder is seen below its ends."""
        return self.depth * (np.cos(theta) - np.cos(self.half_angle)) / max(1.0 - np.cos(self.half_angle), 1e-6)

    def sources(self):
        """``cv2.remap``'s maps: the input x and y (pixel indices) of each output pixel."""
        u = (np.arange(self.out_w, dtype=np.float64) + 0.5) / self.out_w * 2.0 - 1.0  # -1 .. 1 across the view
        theta = np.arcsin(np.clip(u * np.sin(self.half_angle), -1.0, 1.0))
        source_x = (theta / (2.0 * self.half_angle) + 0.5) * self.w - 0.5
        map_x = np.broadcast_to(source_x, (self.out_h, self.out_w)).astype(np.float32)
        map_y = (np.arange(self.out_h, dtype=np.float64)[:, None] - self.top - self.sag(theta)[None, :])
        return map_x, map_y.astype(np.float32)

    def forward(self, points):
        """Where ``points`` (N x 2, pixel indices of the input) are seen: ``sources`` solved for
        the output pixel."""
        theta = ((points[:, 0] + 0.5) / self.w - 0.5) * 2.0 * self.half_angle
        x = (np.sin(theta) / np.sin(self.half_angle) + 1.0) / 2.0 * self.out_w - 0.5
        return np.stack([x, points[:, 1] + self.top + self.sag(theta)], axis=1)


def crop(layers, rng, s, fiducials=None):
    """The detector's box: the word's bounding box (its ``MAIN`` layer where there is one) with
    margins drawn from settings ``s``, in units of its height; outside the layers is empty. The
    ``fiducials`` move with the box's corner."""
    ys, xs = np.nonzero(_ink(layers) > 24)
    if len(ys) == 0:
        return layers, fiducials
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
    return layers[y0 + pad:y1 + pad, x0 + pad:x1 + pad], shifted(fiducials, -x0, -y0)
