"""ppocr/inference/backends.py: the three runtimes of the pipeline behind one ``run(batch)``, on the
shipped model (its exported folder holds both inference.json and inference.onnx): the same batch
gives the same probabilities on each, and the choice of runtime is checked."""
import shutil

import numpy as np
import paddle
import pytest

from ppocr.config import merge_config
from ppocr.data.preprocess import Preprocessor, image_transforms, read_bytes
from ppocr.errors import UserError
from ppocr.export.model_folder import read_model_info
from ppocr.inference.backends import BACKENDS, DygraphBackend, OnnxRuntimeBackend, PaddleBackend, choose_backend
from ppocr.inference.engine import EngineOptions
from ppocr.modeling.fold import fold_batch_norms
from ppocr.trained_model.from_config import TrainedModel
from tests.helpers.e2e import REPO

SHIPPED = REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth"
FOLDER = str(SHIPPED / "inference")


CONFIG = merge_config(str(REPO / "configs" / "rec" / "demo_mv3_tps_bilstm_ctc.yml"),
                      [f"Global.pretrained_model={SHIPPED / 'best_accuracy'}"])


@pytest.fixture(scope="module")
def batch():
    """The bundled word images, preprocessed: what the runtimes are run on. (Uniform noise is no
    image: on it the model's probabilities are ill-conditioned, and float32 rounding of the folded
    graph moves them by about 1e-3, four times as much as on words.)"""
    preprocess = Preprocessor(image_transforms(CONFIG))
    return np.stack([preprocess(read_bytes(p)) for p in sorted((REPO / "doc" / "imgs_words_en").glob("*.png"))])


@pytest.fixture(scope="module")
def model():
    return TrainedModel.from_config(CONFIG).model


@pytest.fixture(scope="module")
def dygraph_probs(model, batch):
    return DygraphBackend(model).run(batch)


def _log_gap(probs, reference):
    """The largest difference of log-probabilities where the reference is above 1e-6."""
    confident = reference > 1e-6
    return float(np.abs(np.log(probs[confident]) - np.log(reference[confident])).max())


def test_each_runtime_gives_the_models_probabilities(model, batch, dygraph_probs):
    assert batch.dtype == np.float32 and batch.shape[0] >= 10
    assert dygraph_probs.shape == (len(batch), 25, 37) and np.allclose(dygraph_probs.sum(-1), 1.0, atol=1e-4)
    # the exported graph is the model with its batch norms folded (ppocr/modeling/fold.py): the
    # Paddle runtime must compute that folded model's numbers exactly, whatever the weights
    folded_probs = DygraphBackend(fold_batch_norms(model, paddle.to_tensor(batch))).run(batch)
    info = read_model_info(FOLDER)
    paddle_probs = PaddleBackend(info, EngineOptions(enable_mkldnn=False, cpu_threads=1)).run(batch)
    assert paddle_probs.shape == dygraph_probs.shape and paddle_probs.dtype == np.float32
    assert _log_gap(paddle_probs, folded_probs) < 1e-3 and np.abs(paddle_probs - folded_probs).max() < 1e-4
    # folding itself only rounds the weights in float32; the rectifier's grid_sample and the
    # BiLSTM turn that rounding into a difference that depends on the weights (doc/differences.md,
    # "Numerical sensitivity of the rectifiers"): measured here, it bounds what another runtime's
    # kernels (onnxruntime's own convolutions and grid_sample) may add. A wrong export moves the
    # probabilities by tenths. Another runtime's kernels round otherwise than a folding does: at the
    # model's most ill-conditioned output (a step where the blank and a letter share the
    # probability) onnxruntime has been seen at six times the folding's absolute difference (1.1e-3
    # against 1.8e-4, the sixth training pass's weights) with its log-probabilities within bounds.
    rounding_gap = max(_log_gap(folded_probs, dygraph_probs), 2e-3)
    rounding_abs = max(float(np.abs(folded_probs - dygraph_probs).max()), 2e-4)
    assert rounding_gap < 0.05 and rounding_abs < 5e-3, "the folded model computes otherwise than the model"
    onnx_probs = OnnxRuntimeBackend(info, EngineOptions(cpu_threads=1)).run(batch)
    for name, probs in (("paddle", paddle_probs), ("onnxruntime", onnx_probs)):
        assert probs.shape == dygraph_probs.shape and probs.dtype == np.float32
        assert _log_gap(probs, dygraph_probs) < 5 * rounding_gap, name
        assert np.abs(probs - dygraph_probs).max() < 10 * rounding_abs, name
        assert (probs.argmax(-1) == dygraph_probs.argmax(-1)).mean() > 0.99, name


def test_the_exported_folders_runtimes_are_registered_by_name():
    assert BACKENDS == {"paddle": PaddleBackend, "onnxruntime": OnnxRuntimeBackend}


def test_onnxruntime_is_chosen_when_the_folder_has_its_graph(tmp_path):
    assert choose_backend(FOLDER) == "onnxruntime"
    assert choose_backend(FOLDER, "paddle") == "paddle"
    paddle_only = tmp_path / "paddle_only"
    shutil.copytree(FOLDER, paddle_only, ignore=shutil.ignore_patterns("inference.onnx"))
    assert choose_backend(str(paddle_only)) == "paddle"
    with pytest.raises(UserError, match="needs .*inference.onnx.*--onnx"):
        choose_backend(str(paddle_only), "onnxruntime")
    with pytest.raises(UserError, match="'tensorrt' is not a backend: expected one of paddle, onnxruntime"):
        choose_backend(FOLDER, "tensorrt")
