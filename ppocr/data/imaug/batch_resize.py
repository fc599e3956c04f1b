"""Resizing a whole batch of word images at once, as the reference's ``tools/infer/predict_rec.py``
does for its CTC models (STAR-Net among them) when it reads a folder it exported.

The reference sorts the images by aspect ratio, takes them ``rec_batch_num`` at a time, and pads
every image of a batch to one width: ``H`` times the largest width/height ratio of the batch (at
least ``W / H``). A word wider than ``W / H`` is therefore not squeezed into ``W`` columns, and the
same word can read differently beside other words. Its weights and its published folders are used
that way, so its folders are read that way here.
"""
import math

import cv2
import numpy as np

from ppocr.data.imaug.rec_img_aug import _as_shape
from ppocr.errors import UserError
from ppocr.registry import DATA_OPS


@DATA_OPS.register()
class BatchRecResizeImg:
    """The reference predict_rec's resize for a batch (inference only: a training batch has one
    width already). Per image it keeps the decoded (H, W, C) uint8 image; ``order`` gives the
    reference's order of the images (by aspect ratio) and ``collate`` turns one batch of them into
    the model's ``[N, C, H, width]`` input: each resized to height ``H`` keeping its ratio (width
    ``ceil(H * w / h)``, at most the batch's width), mapped to [-1, 1], right-padded with zeros.

    Example::

        op = BatchRecResizeImg(image_shape=[3, 32, 100])
        images = [np.zeros([32, 64, 3], np.uint8), np.zeros([20, 200, 3], np.uint8)]
        op.collate(images).shape       # (2, 3, 32, 320): 32 x the widest ratio, 10
    """

    def __init__(self, image_shape):
        self.output_shape = _as_shape(image_shape, 3, "BatchRecResizeImg")
        if self.output_shape[0] not in (1, 3):
            raise UserError(f"BatchRecResizeImg.image_shape must have 1 or 3 channels, got {image_shape!r}")

    def __call__(self, data):
        img = data["image"]
        if not (isinstance(img, np.ndarray) and img.ndim == 3 and img.shape[2] == 3):
            raise UserError("BatchRecResizeImg expects a (H, W, 3) image: put it after DecodeImage with channel_first: False")
        if self.output_shape[0] == 1:
            img = cv2.cvtColor(img, code=cv2.COLOR_BGR2GRAY)[:, :, np.newaxis]
        data["image"] = img
        return data

    @staticmethod
    def order(images):
        """The positions of ``images`` by width/height ratio, as the reference sorts them (numpy's
        default sort, so ties fall as they fall there)."""
        return [int(i) for i in np.argsort(np.array([img.shape[1] / float(img.shape[0]) for img in images]))]

    def collate(self, images):
        """One batch of this op's images -> float32 ``[N, C, H, width]``."""
        channels, height, width = self.output_shape
        max_wh_ratio = max([width / height] + [img.shape[1] * 1.0 / img.shape[0] for img in images])
        batch_width = int(height * max_wh_ratio)
        batch = np.zeros((len(images), channels, height, batch_width), dtype=np.float32)
        for k, img in enumerate(images):
            h, w = img.shape[:2]
            resized_w = min(batch_width, int(math.ceil(height * (w / float(h)))))
            resized = cv2.resize(img, dsize=(resized_w, height), interpolation=cv2.INTER_LINEAR)
            resized = resized.reshape(height, resized_w, channels).astype(np.float32).transpose((2, 0, 1)) / 255
            batch[k, :, :, :resized_w] = (resized - 0.5) / 0.5
        return batch
