"""RecConAug (ppocr/data/imaug/rec_con_aug.py) on its own, other samples handed in by a stand-in of
the dataset's ``ext_sample``: the joined image and text are the docstring's rule, computed here."""
import cv2
import numpy as np
import pytest

from ppocr.data.imaug.rec_con_aug import RecConAug
from ppocr.errors import UserError


def _image(height, width, seed):
    return np.random.default_rng(seed).integers(0, 256, size=(height, width, 3), dtype=np.uint8)


def _sample(label, image, others, seed=0):
    """A sample as the dataset hands it to the op; ``others`` are what ``ext_sample`` returns in turn."""
    queue = list(others)
    calls = []

    def ext_sample():
        calls.append(1)
        return queue.pop(0) if queue else None

    return {"label": label, "image": image, "rng": np.random.default_rng(seed), "ext_sample": ext_sample}, calls


def _at_height(img, height):
    width = int(round(img.shape[1] / img.shape[0] * height))
    return cv2.resize(img, dsize=(width, height), interpolation=cv2.INTER_LINEAR)


def test_others_are_joined_side_by_side_at_the_configured_height():
    first, second, third = _image(20, 50, 1), _image(40, 60, 2), _image(10, 30, 3)
    op = RecConAug(prob=1.0, image_shape=[32, 320, 3], max_text_length=25, ext_data_num=2)
    data, calls = _sample("ab", first, [{"label": "cde", "image": second}, {"label": "f", "image": third}])
    out = op(data)
    # ratios 2.5 + 1.5 + 3.0 = 7.0 <= 320 / 32; widths round(r * 32) = 80, 48, 96
    expected = np.concatenate([_at_height(np.concatenate([_at_height(first, 32), _at_height(second, 32)], axis=1), 32),
                               _at_height(third, 32)], axis=1)
    assert out["label"] == "abcdef" and len(calls) == 2
    assert out["image"].shape == (32, 80 + 48 + 96, 3)
    np.testing.assert_array_equal(out["image"], expected)


def test_it_stops_at_the_first_other_whose_text_would_be_too_long():
    op = RecConAug(prob=1.0, image_shape=[32, 320, 3], max_text_length=6, ext_data_num=3)
    img = _image(32, 32, 0)
    data, calls = _sample("abc", img, [{"label": "defg", "image": img}, {"label": "d", "image": img}])
    out = op(data)
    assert out["label"] == "abc" and out["image"] is img and len(calls) == 1  # 3 + 4 > 6: stop, try no more
    data, _ = _sample("abc", img, [{"label": "def", "image": img}, {"label": "g", "image": img}])
    assert op(data)["label"] == "abcdef"  # 3 + 3 <= 6 joins, then 6 + 1 > 6 stops


def test_it_stops_at_the_first_other_that_would_be_too_wide():
    op = RecConAug(prob=1.0, image_shape=[32, 128, 3], max_text_length=25, ext_data_num=2)  # W / H = 4
    narrow, wide = _image(32, 64, 0), _image(32, 80, 1)  # ratios 2 and 2.5
    data, _ = _sample("ab", narrow, [{"label": "cd", "image": wide}])
    assert op(data)["label"] == "ab"  # 2 + 2.5 > 4
    data, _ = _sample("ab", narrow, [{"label": "cd", "image": narrow}, {"label": "ef", "image": narrow}])
    out = op(data)
    assert out["label"] == "abcd" and out["image"].shape == (32, 128, 3)  # 2 + 2 = 4 fits; 4 + 2 does not


def test_it_joins_with_probability_prob_and_draws_nothing_otherwise():
    op = RecConAug(prob=0.3, image_shape=[32, 320, 3], ext_data_num=1)
    img = _image(32, 32, 0)
    joined = 0
    for seed in range(400):
        data, calls = _sample("ab", img, [{"label": "cd", "image": img}], seed=seed)
        out = op(data)
        joined += out["label"] == "abcd"
        assert len(calls) == (out["label"] == "abcd"), "an extra sample was read for a sample left alone"
    assert 0.24 < joined / 400 < 0.36
    data, calls = _sample("ab", img, [{"label": "cd", "image": img}])
    assert RecConAug(prob=0.0)(data)["label"] == "ab" and calls == []


def test_no_usable_other_sample_leaves_the_sample_as_it_is():
    img = _image(32, 32, 0)
    data, calls = _sample("ab", img, [])
    out = RecConAug(prob=1.0, ext_data_num=2)(data)
    assert out["label"] == "ab" and out["image"] is img and len(calls) == 1


def test_misplaced_or_misconfigured_it_says_how_to_fix_it():
    img = _image(32, 32, 0)
    with pytest.raises(UserError, match="works only in a dataset's transforms"):
        RecConAug(prob=1.0)({"label": "ab", "image": img, "rng": np.random.default_rng(0)})
    data, _ = _sample(np.array([1, 2]), img, [])
    with pytest.raises(UserError, match="put it before the label encoder"):
        RecConAug(prob=1.0)(data)
    data, _ = _sample("ab", b"\x89PNG", [])
    with pytest.raises(UserError, match=r"expects an \(H, W, C\) image from DecodeImage"):
        RecConAug(prob=1.0)(data)
    with pytest.raises(UserError, match=r"image_shape is \[height, width, channels\]"):
        RecConAug(image_shape=[3, 32])
    with pytest.raises(UserError, match=r"prob must be a probability in \[0, 1\]"):
        RecConAug(prob=1.5)
