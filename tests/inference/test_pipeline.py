"""ppocr/inference/pipeline.py: the one skip-and-batch loop. Results come back in input order, a
skipped image holds a JSON-friendly ``Skipped`` in its slot, the backend sees at most
``batch_size`` images per call and never an image over the pixel limit; one image in, one result
out. The dygraph model is one of its backends (what infer_rec reads with)."""
import json

import numpy as np
import paddle
import pytest

from ppocr.config import merge_config
from ppocr.data import SkipSample
from ppocr.errors import UserError
from ppocr.inference.pipeline import Pipeline, Skipped, dygraph_pipeline
from ppocr.trained_model.from_config import build_model
from ppocr.trained_model.from_config import TrainedModel
from tests.helpers.e2e import REPO
from tests.inference.test_image_header import png_declaring
from tests.helpers.parity import decisive_weights
from tests.helpers.tiny import CONFIG, word_png


class Fakes:
    """A preprocess that reads the byte length as the image, a backend that records its batches and
    a decoder that names each image by that length, so every result says which input it came from."""

    def __init__(self):
        self.batches, self.decoded = [], 0

    def preprocess(self, raw):
        self.decoded += 1
        if b"broken" in raw:
            raise SkipSample("undecodable image")
        return np.full([1, 2, 2], len(raw), dtype=np.float32)

    def run(self, batch):
        self.batches.append(len(batch))
        return batch

    def postprocess(self, probs):
        return [(f"len{int(p[0, 0, 0])}", np.float32(0.5)) for p in probs]


def fake_pipeline(batch_size=2, **kwargs):
    fakes = Fakes()
    backend = type("Backend", (), {"run": staticmethod(fakes.run)})()
    return fakes, Pipeline(fakes.preprocess, backend, fakes.postprocess, batch_size=batch_size, **kwargs)


def png(extra):
    return png_declaring(10, 10) + b"\0" * extra  # valid header, length tells the images apart


def test_results_in_input_order_with_skips_in_their_slots_and_batches_bounded(tmp_path):
    fakes, pipeline = fake_pipeline(batch_size=2)
    images = [png(1), png(2) + b"broken", tmp_path / "missing.png", png(3), png(4), b"no image", png(5)]
    results = pipeline(images)
    assert [r if isinstance(r, Skipped) else r[0] for r in results] == [
        f"len{len(png(1))}", Skipped("undecodable image"), results[2], f"len{len(png(3))}", f"len{len(png(4))}",
        results[5], f"len{len(png(5))}"]
    assert isinstance(results[2], Skipped) and "No such file" in results[2].reason
    assert isinstance(results[5], Skipped) and results[5].reason.startswith("undecodable image: not a PNG")
    assert fakes.batches == [2, 2]  # the four readable images, two at a time
    assert pipeline.times["images"] == 7


def test_one_image_gives_one_result_and_a_tuple_a_list():
    _, pipeline = fake_pipeline()
    assert pipeline(png(1)) == (f"len{len(png(1))}", 0.5)
    assert isinstance(pipeline(b"no image"), Skipped)
    assert pipeline((png(1), png(2))) == [pipeline(png(1)), pipeline(png(2))]


def test_results_are_json_friendly_plain_tuples_and_dicts():
    _, pipeline = fake_pipeline()
    results = pipeline([png(1), b"no image"])
    assert type(results[0]) is tuple and type(results[0][0]) is str and type(results[0][1]) is float
    assert isinstance(results[1], dict) and results[1] == {"skipped": results[1].reason}
    assert json.loads(json.dumps(results)) == [[f"len{len(png(1))}", 0.5], {"skipped": results[1].reason}]
    assert repr(results[1]) == f"Skipped({results[1].reason!r})"


def test_an_image_over_the_pixel_limit_is_skipped_before_decoding():
    fakes, pipeline = fake_pipeline(max_image_pixels=99)
    results = pipeline([png(1), png_declaring(20000, 20000)])
    assert isinstance(results[0], Skipped) and "10 x 10 = 100, more than max_image_pixels=99" in results[0].reason
    assert isinstance(results[1], Skipped) and "too many pixels: 20000 x 20000" in results[1].reason
    assert fakes.decoded == 0 and fakes.batches == []


def test_max_image_pixels_none_switches_the_limit_off():
    fakes, pipeline = fake_pipeline(max_image_pixels=None)
    big = png_declaring(20000, 20000)
    assert pipeline([png(1), big]) == [(f"len{len(png(1))}", 0.5), (f"len{len(big)}", 0.5)]
    assert fakes.decoded == 2


@pytest.mark.parametrize("option, value", [("batch_size", 0), ("max_image_pixels", -1), ("batch_size", "6"),
                                           ("max_image_pixels", True)])
def test_batch_size_and_pixel_limit_must_be_positive_integers(option, value):
    with pytest.raises(UserError, match=f"{option}={value!r}: expected a positive integer"):
        fake_pipeline(**{option: value})


@pytest.fixture(scope="module")
def recognizer(tmp_path_factory):
    path = tmp_path_factory.mktemp("pipeline") / "w"
    model = decisive_weights(build_model(merge_config(str(REPO / CONFIG))))
    paddle.save(model.state_dict(), f"{path}.pdparams")
    return TrainedModel.from_config(merge_config(str(REPO / CONFIG), [f"Global.pretrained_model={path}"]))


def test_the_dygraph_model_is_a_backend_reading_a_batch_as_each_image_alone(recognizer):
    pipeline = dygraph_pipeline(recognizer, batch_size=6)
    images = [word_png("abc"), b"not an image", word_png("hello")]
    results = pipeline(images)
    assert isinstance(results[1], Skipped) and "undecodable image" in results[1].reason
    alone = [pipeline(images[0]), pipeline(images[2])]
    assert [text for text, _ in (results[0], results[2])] == [text for text, _ in alone]
    assert [score for _, score in (results[0], results[2])] == pytest.approx([score for _, score in alone], rel=1e-5)
    probs = pipeline.backend.run(np.stack([recognizer.preprocess(images[0])]))
    assert isinstance(probs, np.ndarray) and probs.shape[0] == 1 and probs.shape[2] == recognizer.charset.num_classes
