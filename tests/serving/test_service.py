"""The service's pixel limit, read by the inference pipeline from the image's header before anything
is decoded: an image past Pillow's decompression-bomb threshold (where ``Image.open`` raises rather
than reads the header, which made it an HTTP 500) is the documented 413 ``too_many_pixels``, PNG and
JPEG alike, alone or in a batch, with its exact size; the limit can be set above Pillow's threshold.
No model is loaded: a pipeline with a stand-in preprocessing (the routes are tests/cli/test_serve.py's)."""
import io

import cv2
import numpy as np
import pytest
from PIL import Image

from ppocr.inference.pipeline import Pipeline
from ppocr.serving.service import Service, ServiceError, ServiceSettings
from tests.helpers.image_headers import jpeg_declaring, png_declaring

LIMIT = 4_000_000
DECLARING = {"png": png_declaring, "jpeg": jpeg_declaring}


class DecodesAnything:
    """Stands in for the preprocessing: the pipeline calls it only on images its checks let through."""

    def __init__(self):
        self.prepared = 0

    def __call__(self, raw):
        self.prepared += 1
        return np.zeros([3, 32, 100], dtype=np.float32)


def service_without_model(limit=LIMIT):
    service = Service(ServiceSettings(rec_model_dir="unused", max_image_pixels=limit))
    service.batcher.model = Pipeline(DecodesAnything(), backend=None, postprocess=None, max_image_pixels=limit)
    return service


def decoded(raw, limit, what):
    """``Service.decode`` of one image named ``what``, under ``limit``; closes the service's pool."""
    service = service_without_model(limit)
    try:
        return service.decode([(what, raw)])
    finally:
        service.pool.shutdown()


@pytest.mark.parametrize("kind", sorted(DECLARING))
def test_the_crafted_images_declare_their_size(kind):
    # the fixtures' header is what Pillow reads: a wrong one would make the tests below vacuous
    with Image.open(io.BytesIO(DECLARING[kind](1234, 567))) as image:
        assert image.size == (1234, 567)


@pytest.mark.parametrize("kind", sorted(DECLARING))
def test_an_image_past_pillows_bomb_threshold_is_413_too_many_pixels(kind):
    raw = DECLARING[kind](20000, 20000)  # 400 megapixels: Image.open raises DecompressionBombError
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(raw))
    with pytest.raises(ServiceError) as refused:
        decoded(raw, LIMIT, "bomb")
    assert (refused.value.status, refused.value.error) == (413, "too_many_pixels")
    assert f"bomb has 400000000 pixels, more than the service's {LIMIT}" in refused.value.detail


@pytest.mark.parametrize("kind", sorted(DECLARING))
def test_the_limit_is_the_services_own_even_above_pillows_threshold(kind):
    raw = DECLARING[kind](20000, 20000)
    assert len(decoded(raw, 400_000_000, "at the limit")) == 1  # let through: its size is known, and not over
    with pytest.raises(ServiceError, match="just over has 400000000 pixels, more than the service's 399999999"):
        decoded(raw, 399_999_999, "just over")


def test_bytes_of_no_known_format_are_400_before_any_decoding():
    service = service_without_model()
    try:
        with pytest.raises(ServiceError) as refused:
            service.decode([("notes.txt", b"plain text, no image")])
        assert (refused.value.status, refused.value.error) == (400, "undecodable_image")
        assert refused.value.detail.startswith("notes.txt is not a PNG, JPEG")
        assert service.batcher.model.preprocess.prepared == 0
    finally:
        service.pool.shutdown()


@pytest.mark.parametrize("kind", sorted(DECLARING))
def test_a_bomb_in_a_batch_refuses_the_request_and_names_it_before_any_decoding(kind):
    service = service_without_model()
    try:
        good = cv2.imencode(".png", np.full([32, 100, 3], 255, dtype=np.uint8))[1].tobytes()
        with pytest.raises(ServiceError) as refused:
            service.decode([("good.png", good), (f"bomb.{kind}", DECLARING[kind](20000, 20000)), ("good.png", good)])
        assert refused.value.error == "too_many_pixels" and f"image 1 (bomb.{kind})" in refused.value.detail
        assert service.batcher.model.preprocess.prepared == 1  # the bomb itself never reached the decoder
        assert len(service.decode([("good.png", good)])) == 1
    finally:
        service.pool.shutdown()
