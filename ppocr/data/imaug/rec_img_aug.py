"""Resizing + normalising word images to the model's input, and training augmentation."""
import math

import cv2
import numpy as np

from ppocr.errors import UserError
from ppocr.registry import DATA_OPS

# The reference's interpolation codes (SPINRecResizeImg.interpolation).
INTERPOLATIONS = {0: cv2.INTER_NEAREST, 1: cv2.INTER_LINEAR, 2: cv2.INTER_CUBIC, 3: cv2.INTER_AREA}


def _as_shape(image_shape, size, name):
    ok = isinstance(image_shape, (list, tuple)) and len(image_shape) == size
    if not ok or any(isinstance(v, bool) or not isinstance(v, int) or v <= 0 for v in image_shape):
        example = "[3, 32, 100]" if size == 3 else "[100, 32]"
        raise UserError(f"{name}.image_shape must be a list of {size} positive integers like {example}, "
                        f"got {image_shape!r}")
    return tuple(image_shape)


def _as_pixels(chw):
    return np.clip(np.rint(chw), 0, 255).astype(np.uint8).transpose((1, 2, 0))


@DATA_OPS.register()
class RecResizeImg:
    """STAR-Net's input: height ``H``, aspect ratio kept, width ``ceil(H * w / h)`` capped at ``W``,
    right-padded with zeros to (C, H, W); pixels mapped to [-1, 1].

    ``padding=False`` stretches to W instead. The reference's ``infer_mode``/``eval_mode``/
    ``character_dict_path`` are dropped (``ppocr.registry.REFERENCE_ONLY_OPTIONS``): with these
    configs the reference always took the fixed-width padded path, and a batch needs one width.
    """

    def __init__(self, image_shape, padding=True):
        self.output_shape = _as_shape(image_shape, 3, "RecResizeImg")
        if self.output_shape[0] not in (1, 3):
            raise UserError(f"RecResizeImg.image_shape must have 1 or 3 channels, got {image_shape!r}")
        self.padding = bool(padding)

    def __call__(self, data):
        channels, height, width = self.output_shape
        img = data["image"]
        if channels == 1 and img.ndim == 3:
            img = cv2.cvtColor(img, code=cv2.COLOR_BGR2GRAY)
        h, w = img.shape[:2]
        resized_w = min(width, int(math.ceil(height * w / float(h)))) if self.padding else width
        resized = cv2.resize(img, dsize=(resized_w, height), interpolation=cv2.INTER_LINEAR)
        resized = resized.astype(np.float32) / 255.0
        resized = resized[np.newaxis] if resized.ndim == 2 else resized.transpose((2, 0, 1))
        out = np.zeros(self.output_shape, dtype=np.float32)
        out[:, :, :resized_w] = (resized - 0.5) / 0.5
        data["image"] = out
        data["valid_ratio"] = np.float32(min(1.0, resized_w / float(width)))
        return data

    def placeholder(self):
        return {"image": np.zeros(self.output_shape, dtype=np.float32), "valid_ratio": np.float32(1.0)}

    def to_uint8(self, image):
        """This op's output back to pixels, (C, H, W) in [-1, 1] -> (H, W, C) uint8, for display."""
        return _as_pixels(np.asarray(image, dtype=np.float32) * 127.5 + 127.5)


@DATA_OPS.register()
class SPINRecResizeImg:
    """SPIN's input: grey, stretched to ``image_shape`` = [W, H] (OpenCV order, as the reference),
    then ``(pixel - mean) / std`` -> (1, H, W).

    ``interpolation`` 0 nearest, 1 linear, 2 cubic, 3 area; the reference passed it where
    cv2.resize expects ``dst`` and so always resized linearly; here it is honoured.
    """

    def __init__(self, image_shape, interpolation=2, mean=(127.5,), std=(127.5,)):
        width, height = _as_shape(image_shape, 2, "SPINRecResizeImg")
        self.output_shape = (1, height, width)
        if interpolation not in INTERPOLATIONS:
            raise UserError(f"SPINRecResizeImg.interpolation must be one of {sorted(INTERPOLATIONS)}, "
                            f"got {interpolation!r}")
        self.interpolation = INTERPOLATIONS[interpolation]
        self.mean = self._grey_value(mean, "mean")
        self.std = self._grey_value(std, "std")
        if self.std == 0:
            raise UserError("SPINRecResizeImg.std must not be 0")

    @staticmethod
    def _grey_value(values, name):
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        if values.size == 0 or np.any(values != values[0]):
            raise UserError(f"SPINRecResizeImg.{name} is for one grey channel: give one value, got {values.tolist()}")
        return float(values[0])

    def __call__(self, data):
        img = data["image"]
        if img.ndim == 3:
            img = cv2.cvtColor(img, code=cv2.COLOR_BGR2GRAY)
        _, height, width = self.output_shape
        img = cv2.resize(img, dsize=(width, height), interpolation=self.interpolation)
        # float32 throughout and times 1 / std, as the reference computes it: the same bits, which its
        # released SPIN weights (a near-tie away from another reading on some words) are sensitive to
        data["image"] = ((img.astype(np.float32) - np.float32(self.mean)) * (np.float32(1) / np.float32(self.std)))[np.newaxis]
        return data

    def placeholder(self):
        return {"image": np.zeros(self.output_shape, dtype=np.float32)}

    def to_uint8(self, image):
        """This op's output back to pixels, (1, H, W) -> (H, W, 1) uint8, for display."""
        return _as_pixels(np.asarray(image, dtype=np.float32) * self.std + self.mean)


@DATA_OPS.register()
class RecAug:
    """Training augmentation of a uint8 BGR word image, each part with its own probability:
    perspective tilt (``tia_prob``), a few rows cropped off the top or bottom (``crop_prob``),
    Gaussian blur, brightness/contrast jitter, hue/saturation shift, Gaussian noise, and
    inverted colours (``reverse_prob``); the reference's defaults (0.4 each).

    Random draws come from ``data['rng']`` (the dataset seeds one per sample and epoch, so the
    result does not depend on the number of workers), else from a generator seeded by ``seed``.
    """

    needs_rng = True

    def __init__(self, tia_prob=0.4, crop_prob=0.4, reverse_prob=0.4, noise_prob=0.4,
                 jitter_prob=0.4, blur_prob=0.4, hsv_aug_prob=0.4, seed=0):
        self.probs = {"tia": tia_prob, "crop": crop_prob, "blur": blur_prob, "jitter": jitter_prob,
                      "hsv": hsv_aug_prob, "noise": noise_prob, "reverse": reverse_prob}
        self.seed = seed
        self._rng = None

    def __call__(self, data):
        rng = data.get("rng")
        if rng is None:
            if self._rng is None:
                self._rng = np.random.default_rng(self.seed)
            rng = self._rng
        img = data["image"]
        if img.ndim != 3 or img.shape[2] != 3:
            raise UserError("RecAug expects a (H, W, 3) image: put it after DecodeImage with channel_first: False")
        for part in ("tia", "crop", "blur", "jitter", "hsv", "noise", "reverse"):
            if rng.random() < self.probs[part]:
                img = getattr(self, "_" + part)(img, rng)
        data["image"] = np.ascontiguousarray(img)
        return data

    @staticmethod
    def _tia(img, rng):
        h, w = img.shape[:2]
        if h < 20 or w < 20:
            return img
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        jitter = rng.uniform(-1, 1, size=(4, 2)) * np.float32([0.08 * w, 0.15 * h])
        matrix = cv2.getPerspectiveTransform(src, (src + jitter).astype(np.float32))
        return cv2.warpPerspective(img, M=matrix, dsize=(w, h), flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_REPLICATE)

    @staticmethod
    def _crop(img, rng):
        h = img.shape[0]
        if h < 20:
            return img
        rows = int(min(rng.integers(1, 9), h - 1))
        return img[rows:] if rng.random() < 0.5 else img[: h - rows]

    @staticmethod
    def _blur(img, rng):
        return cv2.GaussianBlur(img, ksize=(5, 5), sigmaX=1.0)

    @staticmethod
    def _jitter(img, rng):
        alpha, beta = rng.uniform(0.7, 1.3), rng.uniform(-30, 30)
        return cv2.convertScaleAbs(img, alpha=alpha, beta=beta)

    @staticmethod
    def _hsv(img, rng):
        hsv = cv2.cvtColor(img, code=cv2.COLOR_BGR2HSV).astype(np.int16)
        hsv[..., 0] = (hsv[..., 0] + int(rng.integers(-10, 11))) % 180  # OpenCV hue is 0..179
        hsv[..., 1] = np.clip(hsv[..., 1] * rng.uniform(0.7, 1.3), 0, 255)
        return cv2.cvtColor(hsv.astype(np.uint8), code=cv2.COLOR_HSV2BGR)

    @staticmethod
    def _noise(img, rng):
        noise = rng.normal(0.0, rng.uniform(2.0, 10.0), size=img.shape)
        return np.clip(img.astype(np.float32) + noise, 0, 255).astype(np.uint8)

    @staticmethod
    def _reverse(img, rng):
        return 255 - img
