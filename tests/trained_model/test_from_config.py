"""ppocr/trained_model/from_config.py: the one place that turns a config into a trained recogniser (its
images are read by the inference pipeline: tests/inference/test_pipeline.py, test_infer_cli.py)."""
import paddle
import pytest

from ppocr.config import merge_config
from ppocr.errors import UserError
from ppocr.trained_model.from_config import Recognizer, weights_of
from tests.e2e import REPO
from tests.parity import save_decisive_weights
from tests.tiny import CONFIG


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    return save_decisive_weights(tmp_path_factory.mktemp("recognizer"), merge_config(str(REPO / CONFIG)))


def test_checkpoints_win_over_pretrained_weights_and_none_is_an_error():
    assert weights_of({"Global": {"checkpoints": "a/latest", "pretrained_model": "b/best"}}) == "a/latest"
    assert weights_of({"Global": {"pretrained_model": "b/best"}}) == "b/best" and weights_of({}) is None
    with pytest.raises(UserError, match="no weights given: set -o Global.pretrained_model"):
        Recognizer.from_config(merge_config(str(REPO / CONFIG)))


def test_the_weights_are_loaded_and_the_model_is_in_eval_mode(weights):
    rec = Recognizer.from_config(merge_config(str(REPO / CONFIG), [f"Global.pretrained_model={weights}"]))
    assert not rec.model.training and rec.charset.num_classes == 37 and rec.weights == weights
    loaded = paddle.load(f"{weights}.pdparams")
    for name, value in rec.model.state_dict().items():
        assert (value.numpy() == loaded[name].numpy()).all(), name
    assert rec.preprocess.output_shape == [3, 32, 100]
