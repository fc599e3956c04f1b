"""The runtimes of the inference pipeline, behind one interface: ``run(batch) -> probs``.

A backend takes ``[N, C, H, W]`` float32 images (already preprocessed) and returns the graph's
``[N, T, classes]`` probabilities as a numpy array; it knows nothing of images or text.

- ``paddle``: ``paddle.inference`` on an exported folder's ``inference.json`` (or ``.pdmodel``) +
  ``inference.pdiparams``.
- ``onnxruntime``: an ``onnxruntime.InferenceSession`` on the folder's ``inference.onnx``
  (``tools/export_model.py --onnx`` writes it). Paddle is not imported.
- ``DygraphBackend``: a config's model with its trained weights in memory (``tools/infer_rec.py``).

``choose_backend`` picks onnxruntime when the folder holds ``inference.onnx`` and onnxruntime is
installed, Paddle inference otherwise. Adding a runtime for exported folders is one class and one
line in ``BACKENDS``; the folder's file names are ``model_folder.py``'s.

Example::

    folder = "pretrained/rec_mv3_tps_bilstm_ctc_synth/inference"
    backend = BACKENDS[choose_backend(folder)](read_model_info(folder), EngineOptions(cpu_threads=2))
    backend.run(np.zeros([2, 3, 32, 100], dtype="float32")).shape   # (2, 25, 37)
"""
import importlib.machinery
import logging
import os
import sys

import numpy as np

from ppocr.errors import UserError
from ppocr.export.model_folder import has_onnx, onnx_path, paddle_files
from ppocr.utils.cpu import available_cores

logger = logging.getLogger("ppocr")
ONNX_INSTALL = "pip install '.[onnx]' (or pip install onnxruntime)"
PADDLE_INSTALL = "pip install paddlepaddle (doc/python_api.md: the install without it)"


class PaddleBackend:
    """``paddle.inference`` predictor on the folder ``info`` describes (a ``ModelInfo``), set up as
    ``engine`` (an ``EngineOptions``) says: ``engine.paddle_config``."""

    name = "paddle"

    def __init__(self, info, engine):
        import paddle.inference as paddle_infer

        from ppocr.inference.engine import paddle_config

        self.config = paddle_config(info, engine)
        self.predictor = paddle_infer.create_predictor(self.config)
        self.input = self.predictor.get_input_handle(self.predictor.get_input_names()[0])
        self.output = self.predictor.get_output_handle(self.predictor.get_output_names()[0])

    def run(self, batch):
        self.input.copy_from_cpu(np.ascontiguousarray(batch, dtype=np.float32))
        self.predictor.run()
        return self.output.copy_to_cpu()


class OnnxRuntimeBackend:
    """onnxruntime on ``inference.onnx``: ``engine.onnx_providers`` when given, else the CPU
    provider (CUDA's first when ``engine.use_gpu`` and present)."""

    name = "onnxruntime"

    def __init__(self, info, engine):
        import onnxruntime as ort

        path = info.onnx
        if not os.path.isfile(path):
            raise UserError(f"{path!r} is missing: export with tools/export_model.py ... --onnx, "
                            "or use the paddle backend")
        if engine.enable_mkldnn:
            logger.warning("enable_mkldnn is a Paddle inference option; onnxruntime ignores it")
        options = ort.SessionOptions()
        options.intra_op_num_threads = int(engine.cpu_threads or available_cores())
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # paddle2onnx leaves unused initialisers; ORT warns about each
        providers = ["CPUExecutionProvider"]
        if engine.onnx_providers:
            providers = list(engine.onnx_providers)
        elif engine.use_gpu:
            if "CUDAExecutionProvider" in ort.get_available_providers():
                providers.insert(0, ("CUDAExecutionProvider", {"device_id": engine.gpu("gpu_id")}))
            else:
                logger.warning("use_gpu: this onnxruntime has no CUDA provider; predicting on the CPU")
        self.session = ort.InferenceSession(path, sess_options=options, providers=providers)
        self.input_name = self.session.get_inputs()[0].name
        self.output_name = self.session.get_outputs()[0].name

    def run(self, batch):
        feed = {self.input_name: np.ascontiguousarray(batch, dtype=np.float32)}
        return self.session.run([self.output_name], feed)[0]


class DygraphBackend:
    """A dygraph model in eval mode (``TrainedModel.from_config``), run without gradients."""

    name = "dygraph"

    def __init__(self, model):
        self.model = model

    def run(self, batch):
        import paddle

        with paddle.no_grad():
            probs = self.model(paddle.to_tensor(np.ascontiguousarray(batch, dtype=np.float32)))
        return probs.numpy()


BACKENDS = {backend.name: backend for backend in (PaddleBackend, OnnxRuntimeBackend)}


def gpu_choice(use_gpu, backend_name):
    """``use_gpu`` as a boolean for the backend ``backend_name``: ``"auto"`` (or None) is True when
    that backend can reach a GPU here (Paddle: built with CUDA and seeing a device; onnxruntime: its
    CUDA provider present), else False, silently; anything else is its truth value."""
    if use_gpu is None or (isinstance(use_gpu, str) and use_gpu.strip().lower() == "auto"):
        if backend_name == OnnxRuntimeBackend.name:
            import onnxruntime as ort

            return "CUDAExecutionProvider" in ort.get_available_providers()
        import paddle

        return bool(paddle.device.is_compiled_with_cuda() and paddle.device.cuda.device_count() > 0)
    return bool(use_gpu)


def installed(package):
    """Whether the top-level ``package`` is imported, or can be: found on ``sys.path`` without
    importing it. Only the path finders are asked: a probe must not set off the import hooks meant
    for the real import (the tools' filter of Paddle's start-up banner is one). ``sys.modules``
    holding None for it means its import is blocked."""
    if package in sys.modules:
        return sys.modules[package] is not None
    return importlib.machinery.PathFinder.find_spec(package) is not None


def onnxruntime_installed():
    return installed("onnxruntime")


def choose_backend(model_dir, backend=None, onnx_file=None):
    """The backend name for ``model_dir``: ``backend`` if given (checked), else onnxruntime when the
    folder holds ``inference.onnx`` and onnxruntime is installed, else paddle. ``onnx_file``: the
    ONNX graph given in place of the folder, which only onnxruntime runs."""
    if onnx_file is not None:
        if backend not in (None, OnnxRuntimeBackend.name):
            raise UserError(f"{onnx_file!r} is an ONNX graph, which runs on onnxruntime: pass backend='onnxruntime' "
                            "(predict_rec: --use_onnx True), or the folder for Paddle inference")
        if not onnxruntime_installed():
            raise UserError(f"{onnx_file!r} runs on onnxruntime, which is not installed: {ONNX_INSTALL}")
        return OnnxRuntimeBackend.name
    with_onnx = has_onnx(model_dir)
    if backend is None:
        backend = "onnxruntime" if with_onnx and onnxruntime_installed() else "paddle"
        if backend == PaddleBackend.name and not installed("paddle"):
            raise UserError(f"{model_dir!r} runs on Paddle inference, and PaddlePaddle is not installed: "
                            f"{PADDLE_INSTALL}; or export the model with --onnx and install onnxruntime")
        return backend
    if backend not in BACKENDS:
        raise UserError(f"backend={backend!r} is not a backend: expected one of {', '.join(BACKENDS)} "
                        "(or None to choose onnxruntime when the folder holds inference.onnx)")
    if backend == OnnxRuntimeBackend.name:
        if not with_onnx:
            raise UserError(f"backend 'onnxruntime' needs {onnx_path(model_dir)!r}: "
                            "export with tools/export_model.py ... --onnx")
        if not onnxruntime_installed():
            raise UserError(f"backend 'onnxruntime' needs the onnxruntime package: {ONNX_INSTALL}")
    elif not installed("paddle"):
        raise UserError(f"backend 'paddle' needs PaddlePaddle, which is not installed: {PADDLE_INSTALL}")
    return backend
