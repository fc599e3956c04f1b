import cv2
import numpy as np
import pytest
from data_helpers import word_png

from ppocr.data import SkipSample, build_ops
from ppocr.data.imaug.label_ops import CTCLabelEncode, SPINLabelEncode
from ppocr.data.imaug.operators import DecodeImage, KeepKeys
from ppocr.data.imaug.rec_img_aug import RecAug, RecResizeImg, SPINRecResizeImg
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


def test_ctc_label_padding(ctc_charset):
    out = CTCLabelEncode(ctc_charset)({"label": "Abc"})
    assert out["label"].shape == (25,) and out["label"].dtype == np.int64
    assert out["label"][:3].tolist() == [ctc_charset.index[c] for c in "abc"]
    assert not out["label"][3:].any() and int(out["length"]) == 3


@pytest.mark.parametrize("text, reason", [("", "empty label"), ("a" * 26, "label longer than max_text_length"),
                                          ("a-b", "character outside the charset")])
def test_ctc_label_unusable(ctc_charset, text, reason):
    with pytest.raises(SkipSample) as e:
        CTCLabelEncode(ctc_charset)({"label": text})
    assert e.value.reason == reason


def test_spin_label_of_max_length(spin_charset):
    text = "abcdefghijklmnopqrstuvwxy"
    assert len(text) == spin_charset.max_text_length
    out = SPINLabelEncode(spin_charset)({"label": text})
    ids = [spin_charset.index[c] for c in text]
    assert out["label"].tolist() == [spin_charset.sos] + ids + [spin_charset.eos]
    assert int(out["length"]) == 25


def test_spin_label_padding(spin_charset):
    out = SPINLabelEncode(spin_charset)({"label": "ab"})
    assert out["label"].shape == (27,)
    assert out["label"][:4].tolist() == [0, spin_charset.index["a"], spin_charset.index["b"], 1]
    assert not out["label"][4:].any() and int(out["length"]) == 2


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


def test_keep_keys_order_and_missing_key():
    out = KeepKeys(["length", "image"])({"image": 1, "label": 2, "length": 3})
    assert list(out) == ["length", "image"]
    with pytest.raises(UserError, match="valid_ratio"):
        KeepKeys(["valid_ratio"])({"image": 1})


def test_build_ops_injects_charset_only_where_declared(ctc_charset):
    ops = build_ops([{"DecodeImage": None}, {"CTCLabelEncode": None}, {"RecResizeImg": {"image_shape": [3, 32, 100]}},
                     {"KeepKeys": {"keep_keys": ["image"]}}], ctc_charset)
    assert ops[1].charset is ctc_charset and not hasattr(ops[2], "charset")
    with pytest.raises(UserError, match="needs the run.s charset"):
        build_ops([{"CTCLabelEncode": None}], charset=None)


def test_build_ops_unknown_name_lists_registered_ops():
    with pytest.raises(UserError, match="RecResizeImg") as e:
        build_ops([{"NoSuchOp": None}])
    assert "NoSuchOp" in str(e.value)
    with pytest.raises(UserError, match=r"data op KeepKeys has no option 'keys' \(did you mean keep_keys\?\)"):
        build_ops([{"KeepKeys": {"keys": ["image"]}}])
