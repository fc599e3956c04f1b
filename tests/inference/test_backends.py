"""ppocr/inference/backends.py: the three runtimes of the pipeline behind one ``run(batch)``, on the
shipped model (its exported folder holds both inference.json and inference.onnx): the same batch
gives the same probabilities on each, and the choice of runtime is checked."""
import shutil

import numpy as np
import pytest

from ppocr.config import merge_config
from ppocr.errors import UserError
from ppocr.inference.backends import BACKENDS, DygraphBackend, OnnxRuntimeBackend, PaddleBackend, choose_backend
from ppocr.training.recognizer import Recognizer
from tests.e2e import REPO

SHIPPED = REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth"
FOLDER = str(SHIPPED / "inference")


@pytest.fixture(scope="module")
def batch():
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, size=(3, 3, 32, 100)).astype(np.float32)


@pytest.fixture(scope="module")
def dygraph_probs(batch):
    config = merge_config(str(REPO / "configs" / "rec" / "demo_mv3_tps_bilstm_ctc.yml"),
                          [f"Global.pretrained_model={SHIPPED / 'best_accuracy'}"])
    return DygraphBackend(Recognizer.from_config(config).model).run(batch)


def test_each_runtime_gives_the_models_probabilities(batch, dygraph_probs):
    assert dygraph_probs.shape == (3, 25, 37) and np.allclose(dygraph_probs.sum(-1), 1.0, atol=1e-4)
    runtimes = (PaddleBackend(FOLDER, enable_mkldnn=False, cpu_threads=1), OnnxRuntimeBackend(FOLDER, cpu_threads=1))
    for backend in runtimes:
        probs = backend.run(batch)
        assert probs.shape == dygraph_probs.shape and probs.dtype == np.float32
        # the exported graph folds batch norms: the same numbers up to float32 rounding
        assert np.abs(probs - dygraph_probs).max() < 1e-3, backend.name
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
