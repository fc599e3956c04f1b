"""Decoding an encoded image and choosing the keys a sample hands to the batch."""
import cv2
import numpy as np

from ppocr.data.skip import SkipSample
from ppocr.errors import UserError
from ppocr.registry import DATA_OPS

IMG_MODES = ("BGR", "RGB", "GRAY")


@DATA_OPS.register()
class DecodeImage:
    """Encoded bytes in ``data['image']`` -> a uint8 array (H, W, 3).

    ``img_mode``: BGR (OpenCV's order, what the released models were trained on), RGB, or
    GRAY (grey levels repeated in three channels, so later ops see the same layout).
    """

    def __init__(self, img_mode="BGR", channel_first=False):
        if img_mode not in IMG_MODES:
            raise UserError(f"DecodeImage.img_mode must be one of {IMG_MODES}, got {img_mode!r}")
        self.img_mode = img_mode
        self.channel_first = bool(channel_first)

    def __call__(self, data):
        raw = data.get("image")
        if not isinstance(raw, (bytes, bytearray, memoryview)) or len(raw) == 0:
            raise SkipSample("undecodable image")
        buf = np.frombuffer(raw, dtype=np.uint8)
        flags = cv2.IMREAD_GRAYSCALE if self.img_mode == "GRAY" else cv2.IMREAD_COLOR
        img = cv2.imdecode(buf, flags=flags)
        if img is None or img.size == 0:
            raise SkipSample("undecodable image")
        if self.img_mode == "GRAY":
            img = cv2.cvtColor(img, code=cv2.COLOR_GRAY2BGR)
        elif self.img_mode == "RGB":
            img = np.ascontiguousarray(img[:, :, ::-1])
        if self.channel_first:
            img = img.transpose((2, 0, 1))
        data["image"] = img
        return data


@DATA_OPS.register()
class KeepKeys:
    """Keep only ``keep_keys``, in that order (the batch's fields follow this order)."""

    def __init__(self, keep_keys):
        if not keep_keys or isinstance(keep_keys, str):
            raise UserError(f"KeepKeys.keep_keys must be a list of keys, got {keep_keys!r}")
        self.keep_keys = list(keep_keys)

    def __call__(self, data):
        missing = [k for k in self.keep_keys if k not in data]
        if missing:
            raise UserError(
                f"KeepKeys: keys {missing} are not produced by the ops before it "
                f"(available: {sorted(k for k in data if k not in ('rng', 'ext_sample'))})"
            )
        return {k: data[k] for k in self.keep_keys}
