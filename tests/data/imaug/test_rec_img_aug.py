import cv2
import numpy as np
import pytest

from ppocr.data.imaug.rec_img_aug import RecAug, RecResizeImg, SPINRecResizeImg
from ppocr.errors import UserError
from tests.helpers.datasets import word_png


def test_rec_resize_keeps_aspect_and_pads():
    img = np.full((16, 40, 3), 255, dtype=np.uint8)
    img[:, :20] = 0
    op = RecResizeImg(image_shape=[3, 32, 100])
    out = op({"image": img})
    assert op.output_shape == (3, 32, 100) and out["image"].shape == (3, 32, 100)
    assert out["image"].dtype == np.float32
    # width ceil(32 * 40 / 16) = 80; the rest is zero padding
    assert np.all(out["image"][:, :, 80:] == 0)
    assert np.allclose(out["image"][:, :, :38], -1.0) and np.allclose(out["image"][:, :, 42:80], 1.0)
    assert out["valid_ratio"] == pytest.approx(0.8)


def test_rec_resize_wide_image_and_no_padding():
    img = np.full((10, 500, 3), 255, dtype=np.uint8)
    assert np.allclose(RecResizeImg([3, 32, 100])({"image": img})["image"], 1.0)
    narrow = np.full((32, 10, 3), 0, dtype=np.uint8)
    assert np.allclose(RecResizeImg([3, 32, 100], padding=False)({"image": narrow})["image"], -1.0)


def test_spin_resize_grey_normalised_and_interpolation_honoured():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, size=(21, 47, 3), dtype=np.uint8)
    outs = {}
    for code, flag in ((0, cv2.INTER_NEAREST), (2, cv2.INTER_CUBIC)):
        op = SPINRecResizeImg(image_shape=[100, 32], interpolation=code, mean=[127.5], std=[127.5])
        outs[code] = op({"image": img.copy()})["image"]
        grey = cv2.cvtColor(img, code=cv2.COLOR_BGR2GRAY)
        expected = (cv2.resize(grey, dsize=(100, 32), interpolation=flag).astype(np.float32) - 127.5) / 127.5
        assert op.output_shape == (1, 32, 100) and outs[code].shape == (1, 32, 100)
        np.testing.assert_allclose(outs[code][0], expected, atol=1e-6)
    assert not np.allclose(outs[0], outs[2])


def test_spin_resize_rejects_unknown_interpolation():
    with pytest.raises(UserError):
        SPINRecResizeImg(image_shape=[100, 32], interpolation=7)


def test_rec_aug_is_deterministic_per_rng_and_changes_images():
    img = cv2.imdecode(np.frombuffer(word_png("word", 80, 32), np.uint8), cv2.IMREAD_COLOR)
    op = RecAug(tia_prob=1, crop_prob=1, reverse_prob=1, noise_prob=1, jitter_prob=1, blur_prob=1, hsv_aug_prob=1)
    a = op({"image": img.copy(), "rng": np.random.default_rng(5)})["image"]
    b = op({"image": img.copy(), "rng": np.random.default_rng(5)})["image"]
    c = op({"image": img.copy(), "rng": np.random.default_rng(6)})["image"]
    assert a.dtype == np.uint8 and a.ndim == 3 and a.shape[2] == 3
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert a.shape != img.shape or not np.array_equal(a, img)
