"""RecConAug: a training word made of several, side by side (the reference's PP-OCRv3 augmentation).

The other words come from the dataset itself: a dataset whose transforms hold an op with an
``ext_data_num`` gives every sample ``data['ext_sample']``, a function that reads one more sample
chosen at random (with the sample's seeded ``rng``) and runs it through the ops before this one
(``ext_op_transform_idx`` of the dataset section, see ``RecDataSet``). Nothing is read ahead or kept:
an extra image is read and decoded only when it is about to be joined.
"""
import cv2
import numpy as np

from ppocr.errors import UserError
from ppocr.registry import DATA_OPS


@DATA_OPS.register()
class RecConAug:
    """With probability ``prob``, join up to ``ext_data_num`` other samples to this one, in turn,
    stopping at the first that does not fit. With ``image_shape`` = [H, W, C] (the reference's
    order) and each image's ratio ``r = width / height``, the sample so far (text ``s``, ratio ``r``)
    and another (text ``s2``, ratio ``r2``) are joined when ``len(s) + len(s2) <= max_text_length``
    and ``r + r2 <= W / H``: each image is resized to height ``H`` and width ``round(r * H)``, the
    two placed side by side (``np.concatenate(axis=1)``), the texts concatenated ``s + s2``.

    Put it after DecodeImage (``channel_first: False``) and before the label encoder. Its draws
    come from ``data['rng']``, so a sample's result depends on the seed, epoch and index only.

    Example::

        transforms:
          - DecodeImage: {img_mode: BGR, channel_first: False}
          - RecConAug: {prob: 0.5, ext_data_num: 2, image_shape: [32, 320, 3], max_text_length: 25}
          - CTCLabelEncode:
          - RecResizeImg: {image_shape: [3, 32, 100]}
    """

    needs_rng = True

    def __init__(self, prob=0.5, image_shape=(32, 320, 3), max_text_length=25, ext_data_num=1):
        shape = list(image_shape) if isinstance(image_shape, (list, tuple)) else []
        if len(shape) != 3 or any(isinstance(v, bool) or not isinstance(v, int) or v <= 0 for v in shape):
            raise UserError(f"RecConAug.image_shape is [height, width, channels], e.g. [32, 320, 3]; "
                            f"got {image_shape!r}")
        height, width, _ = shape
        if isinstance(prob, bool) or not isinstance(prob, (int, float)) or not 0 <= prob <= 1:
            raise UserError(f"RecConAug.prob must be a probability in [0, 1], got {prob!r}")
        for name, value in (("max_text_length", max_text_length), ("ext_data_num", ext_data_num)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise UserError(f"RecConAug.{name} must be an integer >= 0, got {value!r}")
        self.prob = float(prob)
        self.height = height
        self.max_wh_ratio = width / height
        self.max_text_length = max_text_length
        self.ext_data_num = ext_data_num

    def __call__(self, data):
        draw = data.get("ext_sample")
        if draw is None:
            raise UserError("RecConAug joins other samples of the dataset: it works only in a dataset's transforms "
                            "(Train.dataset.transforms), not on single images")
        if not isinstance(data["label"], str):
            raise UserError("RecConAug joins text labels: put it before the label encoder (CTCLabelEncode, ...)")
        _ratio(data["image"])  # a misplaced op fails on every sample, not only on those it joins
        if data["rng"].random() >= self.prob:
            return data
        for _ in range(self.ext_data_num):
            other = draw()
            if other is None:  # the dataset found no usable sample to join
                break
            if len(data["label"]) + len(other["label"]) > self.max_text_length:
                break
            if _ratio(data["image"]) + _ratio(other["image"]) > self.max_wh_ratio:
                break
            data["image"] = np.concatenate([self._to_height(data["image"]), self._to_height(other["image"])], axis=1)
            data["label"] = data["label"] + other["label"]
        return data

    def _to_height(self, img):
        width = max(1, int(round(_ratio(img) * self.height)))
        return cv2.resize(img, dsize=(width, self.height), interpolation=cv2.INTER_LINEAR)


def _ratio(img):
    if not isinstance(img, np.ndarray) or img.ndim not in (2, 3):
        raise UserError(f"RecConAug expects an (H, W, C) image from DecodeImage (channel_first: False), "
                        f"got {getattr(img, 'shape', type(img).__name__)}")
    return img.shape[1] / img.shape[0]
