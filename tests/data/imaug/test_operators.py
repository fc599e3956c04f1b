import cv2
import numpy as np
import pytest

from ppocr.data import SkipSample
from ppocr.data.imaug.operators import DecodeImage, KeepKeys
from ppocr.errors import UserError


def test_decode_image_bgr_rgb_and_channel_first():
    img = np.zeros((10, 20, 3), dtype=np.uint8)
    img[..., 0] = 200  # blue in OpenCV's BGR order
    raw = cv2.imencode(".png", img)[1].tobytes()
    bgr = DecodeImage("BGR")({"image": raw})["image"]
    assert bgr.shape == (10, 20, 3) and bgr[0, 0, 0] == 200
    assert DecodeImage("RGB")({"image": raw})["image"][0, 0, 2] == 200
    assert DecodeImage("BGR", channel_first=True)({"image": raw})["image"].shape == (3, 10, 20)


@pytest.mark.parametrize("raw", [b"not an image", b"", None])
def test_decode_image_unusable_is_skipped(raw):
    with pytest.raises(SkipSample) as e:
        DecodeImage()({"image": raw})
    assert e.value.reason == "undecodable image" and isinstance(e.value, ValueError)


def test_keep_keys_order_and_missing_key():
    out = KeepKeys(["length", "image"])({"image": 1, "label": 2, "length": 3})
    assert list(out) == ["length", "image"]
    with pytest.raises(UserError, match="valid_ratio"):
        KeepKeys(["valid_ratio"])({"image": 1})
