"""What a camera and a codec do to a word crop: uneven light and cast shadows, blur (Gaussian,
defocus and motion), low resolution up-sampled, sensor noise, JPEG artefacts.

Albumentations does most of them (a Gaussian blur and the change of resolution are one OpenCV
call each); each transform is built once and, for each sample, takes its randomness from that
sample's own generator (``set_random_state``), so the output depends only on ``(seed, index)``.
Whether a sample gets an effect is drawn here, with the probabilities of ``SynthSettings``.
"""
import os
import random

import cv2
import numpy as np

# albumentations asks PyPI for a newer version when imported; the generator runs offline
os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")
import albumentations as A  # noqa: E402


class Degrader:
    """``degrade(img, rng)``: a uint8 BGR image with the effects of settings ``s`` drawn. None of
    them moves the picture (centred kernels, the low resolution resized back to the same size,
    pixel centres aligned both ways), so the word's fiducial points (fiducials.py) stay where
    they are; an effect that crops, pads, resizes or shifts must move them too."""

    def __init__(self, s):
        self.s = s
        self.lighting = A.OneOf([A.PlasmaShadow(shadow_intensity_range=(0.15, 0.45), roughness=2.5, p=1.0),
                                 A.Illumination(mode="linear", intensity_range=(0.05, 0.2), p=1.0),
                                 A.Illumination(mode="gaussian", intensity_range=(0.05, 0.2), p=1.0)], p=1.0)
        self.brightness_contrast = A.RandomBrightnessContrast(brightness_limit=0.2, contrast_limit=(-0.25, 0.2),
                                                              p=1.0)
        self.motion_blur = A.MotionBlur(blur_limit=(3, 7), allow_shifted=False, p=1.0)
        self.gauss_noise = A.GaussNoise(std_range=s.noise_std, per_channel=True, p=1.0)
        self.iso_noise = A.ISONoise(color_shift=(0.01, 0.04), intensity=(0.1, 0.4), p=1.0)
        self.jpeg = A.ImageCompression(compression_type="jpeg", quality_range=s.jpeg_quality, p=1.0)

    def _apply(self, transform, img, rng):
        py_random = random.Random(int(rng.integers(2 ** 63)))
        transform.set_random_state(rng, py_random)
        if isinstance(transform, A.BaseCompose):
            for t in transform.transforms:
                t.set_random_state(rng, py_random)
        return transform(image=img)["image"]

    def degrade(self, img, rng, applied=None):
        """``img`` degraded; the names of the effects drawn are appended to ``applied``."""
        s = self.s
        applied = [] if applied is None else applied
        if rng.random() < s.p_lighting:
            img = self._apply(self.lighting, img, rng)
            applied.append("lighting")
        if rng.random() < s.p_cast_shadow:
            img = cast_shadow(img, rng, rng.uniform(*s.cast_shadow_darkness))
            applied.append("cast shadow")
        if rng.random() < s.p_brightness_contrast:
            img = self._apply(self.brightness_contrast, img, rng)
        scale = img.shape[0] / 32  # blur sizes are given for a 32-pixel-high crop
        if rng.random() < s.p_motion_blur:
            img = self._apply(self.motion_blur, img, rng)
            applied.append("motion blur")
        elif rng.random() < s.p_defocus:
            img = defocus(img, rng.uniform(*s.defocus_radius) * scale)
            applied.append("defocus")
        elif rng.random() < s.p_blur:
            img = cv2.GaussianBlur(img, ksize=(0, 0), sigmaX=rng.uniform(*s.blur_sigma) * scale)
            applied.append("blur")
        if rng.random() < s.p_low_resolution:
            img = low_resolution(img, rng.uniform(*s.low_resolution_scale), s.low_resolution_min_px)
            applied.append("low resolution")
        if rng.random() < s.p_iso_noise:
            img = self._apply(self.iso_noise, img, rng)
            applied.append("noise")
        elif rng.random() < s.p_noise:
            img = self._apply(self.gauss_noise, img, rng)
            applied.append("noise")
        if rng.random() < s.p_jpeg:
            img = self._apply(self.jpeg, img, rng)
            applied.append("jpeg")
        return img


def defocus(img, radius):
    """A lens out of focus: ``img`` convolved with an anti-aliased disc of ``radius`` pixels."""
    r = max(float(radius), 0.5)
    size = 2 * int(np.ceil(r)) + 1
    yy, xx = np.mgrid[:size, :size] - size // 2
    kernel = np.clip(r + 0.5 - np.hypot(yy, xx), 0.0, 1.0).astype(np.float32)
    kernel /= kernel.sum()
    return cv2.filter2D(img, ddepth=-1, kernel=kernel, borderType=cv2.BORDER_REFLECT)


def cast_shadow(img, rng, light):
    """The shadow of something between the light and the word: a straight-edged region over
    part of the crop, at ``light`` of the brightness, with a slightly soft edge."""
    h, w = img.shape[:2]
    mask = np.zeros((h, w), dtype=np.float32)
    # a band crossing the crop at an angle, or a corner cut off
    centre = np.float32([rng.uniform(0, w), rng.uniform(0, h)])
    angle = rng.uniform(0, np.pi)
    along = np.float32([np.cos(angle), np.sin(angle)]) * (w + h)
    across = np.float32([-np.sin(angle), np.cos(angle)]) * rng.uniform(0.15, 1.0) * max(w, h)
    quad = np.stack([centre - along, centre + along, centre + along + across, centre - along + across])
    cv2.fillConvexPoly(mask, points=np.round(quad * 16).astype(np.int32), color=1.0, lineType=cv2.LINE_AA, shift=4)
    mask = cv2.GaussianBlur(mask, ksize=(0, 0), sigmaX=max(0.5, rng.uniform(0.01, 0.05) * h))
    shade = 1.0 - (1.0 - light) * mask[..., None]
    return np.clip(img.astype(np.float32) * shade, 0, 255).astype(img.dtype)


def low_resolution(img, scale, min_height):
    """Down to ``scale`` of the height (never under ``min_height`` pixels), then up again: a word
    far from the camera, enlarged."""
    h, w = img.shape[:2]
    scale = max(scale, min_height / h)
    if scale >= 1.0:
        return img
    small = cv2.resize(img, dsize=(max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, dsize=(w, h), interpolation=cv2.INTER_LINEAR)


def encode_jpeg(img, quality):
    ok, buf = cv2.imencode(".jpg", img, params=[cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError("cv2 could not encode a synthetic sample as JPEG")
    return buf.tobytes()
