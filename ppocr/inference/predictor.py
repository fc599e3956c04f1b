"""Deployment-side recognition on an exported model folder (or one of PaddleOCR's): the Python API
(``from ppocr import TextRecognizer``) that ``tools/infer/predict_rec.py`` and ``tools/serve.py``
are built on. With the onnxruntime backend nothing here imports Paddle."""
import dataclasses
import functools
import signal
import sys
import threading

from ppocr.charset import charset_from_dict
from ppocr.data.preprocess import Preprocessor
from ppocr.errors import UserError
from ppocr.export.model_folder import EXPORT_COMMAND, read_model_info
from ppocr.export.reference_folder import ReferenceFlags, check_flags
from ppocr.inference.backends import BACKENDS, PaddleBackend, choose_backend, gpu_choice
from ppocr.inference.engine import EngineOptions
from ppocr.inference.image_input import MAX_IMAGE_PIXELS
from ppocr.inference.pipeline import Pipeline, pixel_limit, positive_int
from ppocr.postprocess import build_decoder


@functools.cache
def disable_paddle_signal_handler():
    """Once per process: Paddle's fatal-signal handler deadlocks on a corrupt heap (it calls malloc);
    without it a native crash, in Paddle or onnxruntime, ends the process at once
    (ppocr/cli/crash_guard.py). ``TextRecognizer`` calls it for the paddle backend, and for
    onnxruntime when Paddle is loaded anyway. Paddle's switch also resets SIGTERM to the default
    action, which would kill a server that handles SIGTERM (uvicorn) without its graceful stop:
    called from the main thread, the Python handlers in place are put back; ``tools/serve.py``
    calls it before uvicorn starts."""
    import paddle

    kept = {}
    if threading.current_thread() is threading.main_thread():
        kept = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    paddle.disable_signal_handler()
    for signum, handler in kept.items():
        if callable(handler):
            signal.signal(signum, handler)


def _decoder(info):
    """The charset and the decoder ``inference.yml`` describes; a one-line UserError naming the file."""
    try:
        charset = charset_from_dict(info.charset)
        return charset, build_decoder(info.postprocess, charset)
    except (UserError, TypeError, ValueError) as e:
        raise UserError(f"{info.path!r}: its PostProcess section does not build ({e}): "
                        f"re-export the model with {EXPORT_COMMAND}") from None


def _preprocessor(info):
    try:
        return Preprocessor(info.transform_ops)
    except UserError as e:
        raise UserError(f"{info.path!r}: PreProcess.transform_ops: {e}") from None


class TextRecognizer(Pipeline):
    """Word images -> ``(text, score)`` readings, with an exported model folder, or one of
    PaddleOCR's own inference folders (its Paddle graph and weights, no ``inference.yml`` of this
    toolkit), which the ``rec_*`` arguments describe as predict_rec's flags do there.

    One image (a path or ``pathlib.Path``, encoded bytes, or a uint8 BGR array as ``cv2.imread``
    gives) returns one reading; a list (or tuple) of them returns a list, in input order. An image
    that cannot be read (a missing file, bytes that are no image, more than ``max_image_pixels``
    pixels by its header; ``max_image_pixels=None`` switches that limit off) gets a
    ``ppocr.Skipped`` (a dict ``{"skipped": reason}``) instead, and the others are still read; an
    input of another kind raises ``UserError``.

    ``model_dir`` may also be an ``.onnx`` file (the reference's predict_rec takes one): its folder's
    ``inference.yml`` describes it, or, without one, the ``rec_*`` arguments do as for a PaddleOCR
    folder; it runs on onnxruntime. ``backend``: ``"onnxruntime"`` (needs ``inference.onnx``:
    ``tools/export_model.py ... --onnx``; Paddle is then not imported), ``"paddle"`` (Paddle
    inference), or None: onnxruntime when the folder holds ``inference.onnx`` and onnxruntime is
    installed, else paddle. ``use_gpu``: ``"auto"`` (the default) takes the GPU when the backend
    reaches one (Paddle built with CUDA and seeing a device; onnxruntime with its CUDA provider),
    else the CPU without a word; True asks for the GPU (one warning line where there is none). Images are run
    ``batch_size`` at a time. The keyword-only arguments are predict_rec's flags of the same names
    (doc/tools/predict_rec.md): the engine's (``ppocr.inference.engine.EngineOptions``) and the
    description of a PaddleOCR folder (``rec_algorithm``, ``rec_image_shape``, ...; for an
    exported folder they are checked against its ``inference.yml``). One instance must not be
    called from two threads at once (``tools/serve.py`` gives it a single inference thread).

    Example (from the repository's root)::

        import cv2
        from ppocr import TextRecognizer

        rec = TextRecognizer("pretrained/rec_mv3_tps_bilstm_ctc_synth/inference", batch_size=6)
        first = rec("doc/imgs_words_en/word_1.png")                  # one image: one (text, score)
        image = cv2.imread("doc/imgs_words_en/word_10.png")          # a BGR uint8 array
        raw = open("doc/imgs_words_en/word_336.png", "rb").read()    # encoded bytes
        results = rec([image, raw])                                  # a list: a list of readings
        for text, score in [first, *results]:
            print(text, round(score, 3))
    """

    def __init__(self, model_dir, backend=None, batch_size=6, use_gpu="auto", enable_mkldnn=None, cpu_threads=None,
                 max_image_pixels=MAX_IMAGE_PIXELS, *, gpu_id=None, gpu_mem=None, use_tensorrt=False, precision="fp32",
                 min_subgraph_size=None, max_batch_size=None, ir_optim=True, use_xpu=False, use_npu=False,
                 use_mlu=False, use_gcu=False, onnx_providers=None, rec_algorithm=None, rec_image_shape=None,
                 rec_char_dict_path=None, use_space_char=None, max_text_length=None):
        positive_int(batch_size, "batch_size")  # both before the model loads
        pixel_limit(max_image_pixels)
        engine = EngineOptions(
            use_gpu=False, gpu_id=gpu_id, gpu_mem=gpu_mem, use_tensorrt=bool(use_tensorrt), precision=precision,
            min_subgraph_size=min_subgraph_size, max_batch_size=max_batch_size, use_xpu=bool(use_xpu),
            use_npu=bool(use_npu), use_mlu=bool(use_mlu), use_gcu=bool(use_gcu), enable_mkldnn=enable_mkldnn,
            cpu_threads=cpu_threads, ir_optim=bool(ir_optim), onnx_providers=tuple(onnx_providers or ()) or None)
        flags = ReferenceFlags(rec_algorithm=rec_algorithm, rec_image_shape=rec_image_shape,
                               rec_char_dict_path=rec_char_dict_path, use_space_char=use_space_char,
                               max_text_length=max_text_length)
        self.info = read_model_info(model_dir, flags)
        if not self.info.reference:
            check_flags(flags, self.info)
        self.model_dir = self.info.model_dir
        self.charset, postprocess = _decoder(self.info)
        preprocess = _preprocessor(self.info)
        self.backend_name = choose_backend(self.model_dir, backend, onnx_file=self.info.onnx_file)
        # "auto": the GPU when this backend reaches one, silently; an explicit True warns where there is none
        self.engine = dataclasses.replace(engine, use_gpu=gpu_choice(use_gpu, self.backend_name))
        if self.backend_name == PaddleBackend.name or sys.modules.get("paddle") is not None:
            disable_paddle_signal_handler()
        backend = BACKENDS[self.backend_name](self.info, self.engine)
        super().__init__(preprocess, backend, postprocess, batch_size=batch_size, max_image_pixels=max_image_pixels)

    @property
    def algorithm(self):
        return self.info.algorithm

    @property
    def image_shape(self):
        """The model's input ``[C, H, W]``."""
        return list(self.info.image_shape)
