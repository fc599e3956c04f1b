"""ppocr/inference/image_input.py: one path, Path, bytes object or H x W (x C) array is one image, a
list or tuple is many, anything ambiguous is a one-line UserError; an image over the pixel limit
is refused from its header (or its array's shape) before anything is decoded."""
import pathlib

import cv2
import numpy as np
import pytest

from ppocr.errors import UserError
from ppocr.inference import image_input
from ppocr.inference.image_input import (
    MAX_IMAGE_PIXELS,
    UnreadableImage,
    as_image_list,
    encoded_image,
)
from tests.helpers.e2e import REPO
from tests.inference.test_image_header import png_declaring

WORD = REPO / "doc" / "imgs_words_en" / "word_1.png"


@pytest.mark.parametrize("one", [str(WORD), WORD, WORD.read_bytes(), bytearray(WORD.read_bytes()),
                                 memoryview(WORD.read_bytes()), np.zeros([32, 100, 3], np.uint8),
                                 np.zeros([32, 100], np.uint8), np.zeros([32, 100, 1], np.uint8),
                                 np.zeros([32, 100, 4], np.uint8)],
                         ids=["str", "Path", "bytes", "bytearray", "memoryview", "BGR", "grey", "HxWx1", "BGRA"])
def test_one_image_is_one_item_and_a_list_or_tuple_of_it_is_many(one):
    items, single = as_image_list(one)
    assert single and len(items) == 1 and items[0] is one
    for many in ([one, one], (one, one)):
        items, single = as_image_list(many)
        assert not single and len(items) == 2
    assert as_image_list([]) == ([], False)


@pytest.mark.parametrize("images, message", [
    (3, "cannot read images from a int"),
    (iter([str(WORD)]), "cannot read images from a list_iterator"),
    ({"image": str(WORD)}, "cannot read images from a dict"),
    ([str(WORD), [str(WORD)]], "item 1 of the list: a list inside the list is ambiguous"),
    ([3.5], "item 0 of the list: cannot read an image from a float"),
    (np.zeros([2, 32, 100, 3], np.uint8), "got uint8 (2, 32, 100, 3) (a batch of images is a list of arrays)"),
    (np.zeros([32, 100, 3], np.float32), "must be uint8 of shape (H, W, 3)"),
    ([np.zeros([32, 100, 2], np.uint8)], "item 0 of the list: an image array must be uint8"),
    (np.zeros([0, 100], np.uint8), "got uint8 (0, 100)"),
])
def test_anything_ambiguous_is_one_line_user_error(images, message):
    with pytest.raises(UserError) as info:
        as_image_list(images)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_path_bytes_and_an_array_give_bytes_that_decode_to_the_same_pixels():
    pixels = cv2.imread(str(WORD))
    for item in (str(WORD), WORD, WORD.read_bytes(), memoryview(WORD.read_bytes()), pixels):
        raw = encoded_image(item)
        assert isinstance(raw, bytes)
        np.testing.assert_array_equal(cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR), pixels)


def test_a_missing_file_and_no_image_are_unreadable_with_their_reason(tmp_path):
    with pytest.raises(UnreadableImage, match="cannot read .*missing.png': No such file"):
        encoded_image(tmp_path / "missing.png")
    with pytest.raises(UnreadableImage, match="undecodable image: not a PNG, JPEG"):
        encoded_image(b"not an image")


def test_the_pixel_limit_is_checked_before_decoding(monkeypatch):
    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded an image over the pixel limit")

    monkeypatch.setattr(cv2, "imdecode", no_decoding)
    with pytest.raises(UnreadableImage,
                       match=r"too many pixels: 20000 x 20000 = 400000000, more than max_image_pixels=4000000"):
        encoded_image(png_declaring(20000, 20000))
    width, height = 2000, MAX_IMAGE_PIXELS // 2000
    assert encoded_image(png_declaring(width, height))  # exactly at the limit: let through
    with pytest.raises(UnreadableImage, match="too many pixels"):
        encoded_image(png_declaring(width, height + 1))
    with pytest.raises(UnreadableImage, match="more than max_image_pixels=3199"):
        encoded_image(np.zeros([32, 100], np.uint8), max_image_pixels=3199)
    assert encoded_image(np.zeros([32, 100], np.uint8), max_image_pixels=3200)[:2] == b"BM"


def test_the_default_limit_is_the_services():
    from ppocr.serving.service import ServiceSettings

    assert ServiceSettings(rec_model_dir="x").max_image_pixels == image_input.MAX_IMAGE_PIXELS == 4_000_000


def test_a_path_like_object_is_read(tmp_path):
    class Where:
        def __fspath__(self):
            return str(WORD)

    assert encoded_image(Where()) == WORD.read_bytes() == encoded_image(pathlib.PurePath(WORD))
