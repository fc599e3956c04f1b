"""ppocr/data/imaug/batch_resize.py: PaddleOCR predict_rec's resize of a whole batch. The images
are taken in order of aspect ratio; a batch is as wide as H times its widest ratio (at least W);
each image keeps its ratio, is mapped to [-1, 1] and right-padded with zeros; the pipeline gives
each result back in its input's slot."""
import math

import cv2
import numpy as np
import pytest

from ppocr.data.imaug.batch_resize import BatchRecResizeImg
from ppocr.data.preprocess import Preprocessor
from ppocr.errors import UserError
from ppocr.inference.pipeline import Pipeline


def noise(h, w, seed):
    return np.random.default_rng(seed).integers(0, 256, size=(h, w, 3), dtype=np.uint8)


def test_a_batch_is_as_wide_as_its_widest_word_and_each_word_keeps_its_ratio():
    op = BatchRecResizeImg(image_shape=[3, 32, 100])
    narrow, wide = noise(40, 60, 0), noise(20, 150, 1)
    batch = op.collate([narrow, wide])
    assert batch.shape == (2, 3, 32, 240) and batch.dtype == np.float32  # 32 * 150 / 20
    for k, img in enumerate((narrow, wide)):
        width = math.ceil(32 * img.shape[1] / img.shape[0])
        resized = cv2.resize(img, dsize=(width, 32), interpolation=cv2.INTER_LINEAR)
        np.testing.assert_allclose(batch[k, :, :, :width], resized.transpose(2, 0, 1) / 127.5 - 1.0, atol=1e-6)
        assert np.all(batch[k, :, :, width:] == 0)
    # narrow words alone: the model's own width, 100
    assert op.collate([narrow]).shape == (1, 3, 32, 100)


def test_the_order_is_by_aspect_ratio():
    images = [noise(32, 200, 0), noise(32, 50, 1), noise(32, 100, 2)]
    assert BatchRecResizeImg.order(images) == [1, 2, 0]


def test_a_grey_model_reads_grey_and_a_bad_shape_or_image_is_one_line():
    op = BatchRecResizeImg(image_shape=[1, 32, 100])
    img = noise(16, 40, 3)
    kept = op({"image": img})["image"]
    assert kept.shape == (16, 40, 1)
    expected = cv2.resize(cv2.cvtColor(img, code=cv2.COLOR_BGR2GRAY), dsize=(80, 32)) / 127.5 - 1.0
    np.testing.assert_allclose(op.collate([kept])[0, 0, :, :80], expected, atol=1e-6)
    with pytest.raises(UserError, match="must have 1 or 3 channels"):
        BatchRecResizeImg(image_shape=[2, 32, 100])
    with pytest.raises(UserError, match=r"expects a \(H, W, 3\) image: put it after DecodeImage"):
        BatchRecResizeImg(image_shape=[3, 32, 100])({"image": np.zeros([3, 32, 32], np.uint8)})


class WidthBackend:
    """Returns, per image of a batch, its unpadded width as the 'probability' row, and records the batches."""

    def __init__(self):
        self.shapes = []

    def run(self, batch):
        self.shapes.append(batch.shape)
        return np.array([[(row != 0).any(axis=(0, 1)).sum()] for row in batch], dtype=np.float32)


def test_the_pipeline_batches_by_ratio_and_answers_in_input_order():
    preprocess = Preprocessor([{"DecodeImage": {"img_mode": "BGR"}}, {"BatchRecResizeImg": {"image_shape": [3, 32, 100]}},
                               {"KeepKeys": {"keep_keys": ["image"]}}])
    sizes = [(32, 320), (32, 40), (16, 100), (32, 64), (8, 16)]  # widths at height 32: 320, 40, 200, 64, 64
    images = [cv2.imencode(".png", noise(h, w, seed) | 1)[1].tobytes() for seed, (h, w) in enumerate(sizes)]
    backend = WidthBackend()
    pipeline = Pipeline(preprocess, backend, lambda rows: [(str(int(r[0])), 1.0) for r in rows], batch_size=2)
    assert [text for text, _ in pipeline(images)] == ["320", "40", "200", "64", "64"]
    # by ratio: (40, 64 | 64, 200 | 320); each batch padded to its widest
    assert backend.shapes == [(2, 3, 32, 100), (2, 3, 32, 200), (1, 3, 32, 320)]
