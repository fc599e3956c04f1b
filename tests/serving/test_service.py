"""The service's pixel limit, read from the image's header before anything is decoded: an image
past Pillow's decompression-bomb threshold (where ``Image.open`` raises rather than reads the
header, which made it an HTTP 500) is the documented 413 ``too_many_pixels``, PNG and JPEG alike,
alone or in a batch, with its exact size; the limit can be set above Pillow's threshold. No model
is loaded (the routes are tests/tools/test_serve.py's)."""
import io

import cv2
import numpy as np
import pytest
from PIL import Image

from ppocr.serving.service import Service, ServiceError, ServiceSettings, check_pixels
from tests.image_headers import jpeg_declaring, png_declaring

LIMIT = 4_000_000
DECLARING = {"png": png_declaring, "jpeg": jpeg_declaring}


class DecodesAnything:
    """Stands in for the model: ``Service.decode`` calls its ``prepare`` only on images it let through."""

    def __init__(self):
        self.prepared = 0

    def prepare(self, raw):
        self.prepared += 1
        return np.zeros([3, 32, 100], dtype=np.float32)


def service_without_model():
    service = Service(ServiceSettings(rec_model_dir="unused", max_image_pixels=LIMIT))
    service.batcher.model = DecodesAnything()
    return service


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
        check_pixels(raw, LIMIT, "bomb")
    assert (refused.value.status, refused.value.error) == (413, "too_many_pixels")
    assert f"bomb has 400000000 pixels, more than the service's {LIMIT}" in refused.value.detail


@pytest.mark.parametrize("kind", sorted(DECLARING))
def test_the_limit_is_the_services_own_even_above_pillows_threshold(kind):
    raw = DECLARING[kind](20000, 20000)
    check_pixels(raw, 400_000_000, "at the limit")  # let through: its size is known, and not over
    with pytest.raises(ServiceError, match="has 400000000 pixels, more than the service's 399999999"):
        check_pixels(raw, 399_999_999, "just over")


@pytest.mark.parametrize("kind", sorted(DECLARING))
def test_a_bomb_in_a_batch_refuses_the_request_and_names_it_before_any_decoding(kind):
    service = service_without_model()
    try:
        good = cv2.imencode(".png", np.full([32, 100, 3], 255, dtype=np.uint8))[1].tobytes()
        with pytest.raises(ServiceError) as refused:
            service.decode([("good.png", good), (f"bomb.{kind}", DECLARING[kind](20000, 20000)), ("good.png", good)])
        assert refused.value.error == "too_many_pixels" and f"image 1 (bomb.{kind})" in refused.value.detail
        assert service.batcher.model.prepared == 1  # the bomb itself never reached the decoder
        assert len(service.decode([("good.png", good)])) == 1
    finally:
        service.pool.shutdown()
