"""ppocr/inference/backends.py: the three runtimes of the pipeline behind one ``run(batch)``, on the
shipped model (its exported folder holds both inference.json and inference.onnx): the same batch
gives the same probabilities on each, and the choice of runtime is checked."""
import shutil

import numpy as np
import pytest

from ppocr.config import merge_config
from ppocr.data.preprocess import Preprocessor, image_transforms, read_bytes
from ppocr.errors import UserError
from ppocr.export.model_folder import read_model_info
from ppocr.inference.backends import BACKENDS, DygraphBackend, OnnxRuntimeBackend, PaddleBackend, choose_backend
from ppocr.inference.engine import EngineOptions
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
def dygraph_probs(batch):
    return DygraphBackend(TrainedModel.from_config(CONFIG).model).run(batch)


def test_each_runtime_gives_the_models_probabilities(batch, dygraph_probs):
    assert batch.dtype == np.float32 and batch.shape[0] >= 10
    assert dygraph_probs.shape == (len(batch), 25, 37) and np.allclose(dygraph_probs.sum(-1), 1.0, atol=1e-4)
    info = read_model_info(FOLDER)
    runtimes = (PaddleBackend(info, EngineOptions(enable_mkldnn=False, cpu_threads=1)),
                OnnxRuntimeBackend(info, EngineOptions(cpu_threads=1)))
    for backend in runtimes:
        probs = backend.run(batch)
        assert probs.shape == dygraph_probs.shape and probs.dtype == np.float32
        # the exported graph folds batch norms: the same numbers up to float32 rounding, which moves
        # the logits by a few 1e-3 (the log-probabilities below bound that at every position); a
        # probability moves most where a frame hesitates between two characters (1.3e-3 at p = 0.67
        # for the shipped weights), and a wrong export moves them by tenths
        confident = dygraph_probs > 1e-6
        assert np.abs(np.log(probs[confident]) - np.log(dygraph_probs[confident])).max() < 1e-2, backend.name
        assert np.abs(probs - dygraph_probs).max() < 2e-3, backend.name
        assert (probs.argmax(-1) == dygraph_probs.argmax(-1)).mean() > 0.99


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
