"""Deployment-side recognition on an exported model folder: the Python API (``from ppocr import
TextRecognizer``) that ``tools/infer/predict_rec.py`` and ``tools/serve.py`` are built on."""
import functools
import logging
import os
import signal
import threading
import time

import numpy as np
import yaml

from ppocr.charset import charset_from_dict
from ppocr.engine.backends import BACKENDS, choose_backend
from ppocr.engine.inference import Preprocessor, image_bytes
from ppocr.errors import UserError
from ppocr.postprocess import POSTPROCESS

logger = logging.getLogger("ppocr")


def read_inference_yml(model_dir):
    path = os.path.join(model_dir, "inference.yml")
    if not os.path.isfile(path):
        raise UserError(f"{path!r} is missing: export the model with tools/export_model.py into {model_dir!r}")
    with open(path, "rb") as f:
        return yaml.safe_load(f.read().decode("utf-8"))


@functools.cache
def disable_paddle_signal_handler():
    """Once per process: Paddle's fatal-signal handler deadlocks on a corrupt heap (it calls malloc);
    without it a native crash, in Paddle or onnxruntime, ends the process at once
    (ppocr/engine/crash_guard.py). The preprocessing ops import Paddle, so it is done whatever the
    backend. Paddle's switch also resets SIGTERM to the default action, which would kill a server
    that handles SIGTERM (uvicorn) without its graceful stop: called from the main thread, the
    Python handlers in place are put back; ``tools/serve.py`` calls it before uvicorn starts."""
    import paddle

    kept = {}
    if threading.current_thread() is threading.main_thread():
        kept = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    paddle.disable_signal_handler()
    for signum, handler in kept.items():
        if callable(handler):
            signal.signal(signum, handler)


class TextRecognizer:
    """Word images -> ``[(text, score), ...]`` in input order, with an exported model folder.

    ``backend``: ``"onnxruntime"`` (needs ``inference.onnx``: ``tools/export_model.py ... --onnx``),
    ``"paddle"`` (Paddle inference), or None: onnxruntime when the folder holds ``inference.onnx``
    and onnxruntime is installed, else paddle. An input is a path, encoded bytes, or a uint8 BGR
    array (what ``cv2.imread`` gives). One that cannot be read (a missing file, bytes that are no
    image) gets a ``ppocr.data.SkipSample`` in its slot, whose ``reason`` says why; the others are
    still read. An input of another type raises ``UserError``. Images are run ``batch_size`` at a
    time. One instance must not be called from two threads at once (``tools/serve.py`` gives it a
    single inference thread).

    Example (from the repository's root)::

        import cv2
        from ppocr import TextRecognizer

        rec = TextRecognizer("pretrained/rec_mv3_tps_bilstm_ctc_synth/inference", batch_size=6)
        image = cv2.imread("doc/imgs_words_en/word_10.png")          # a BGR uint8 array
        raw = open("doc/imgs_words_en/word_336.png", "rb").read()    # encoded bytes
        results = rec(["doc/imgs_words_en/word_1.png", image, raw])
        for text, score in results:
            print(text, round(score, 3))
    """

    def __init__(self, model_dir, backend=None, batch_size=6, use_gpu=False, enable_mkldnn=None, cpu_threads=None):
        model_dir = os.fspath(model_dir)
        if not os.path.isdir(model_dir):
            raise UserError(f"model folder {model_dir!r} does not exist: pass the folder tools/export_model.py wrote "
                            "(Global.save_inference_dir)")
        if int(batch_size) < 1:
            raise UserError(f"batch_size={batch_size}: expected a positive integer")
        self.model_dir = model_dir
        self.info = read_inference_yml(model_dir)
        self.batch_size = int(batch_size)
        self.preprocess = Preprocessor(self.info["PreProcess"]["transform_ops"])
        post = dict(self.info["PostProcess"])
        self.charset = charset_from_dict(post.pop("charset"))
        self.postprocess = POSTPROCESS.build(post, charset=self.charset)
        disable_paddle_signal_handler()
        self.backend_name = choose_backend(model_dir, backend)
        self.backend = BACKENDS[self.backend_name](model_dir, use_gpu=use_gpu, enable_mkldnn=enable_mkldnn,
                                                   cpu_threads=cpu_threads)
        self.times = {"preprocess": 0.0, "inference": 0.0, "postprocess": 0.0, "images": 0}

    def prepare(self, item):
        """One input -> the model's input array (C, H, W); raises ``SkipSample`` if unreadable.
        Safe to call from several threads (``tools/serve.py`` decodes in parallel)."""
        return self.preprocess(image_bytes(item))

    def recognize(self, images):
        """Arrays from ``prepare`` -> ``[(text, score)]``, ``batch_size`` at a time."""
        results = []
        for k in range(0, len(images), self.batch_size):
            start = time.perf_counter()
            probs = self.backend.run(np.stack(images[k : k + self.batch_size]))
            middle = time.perf_counter()
            results += self.postprocess(probs)
            self.times["inference"] += middle - start
            self.times["postprocess"] += time.perf_counter() - middle
        return results

    def __call__(self, images):
        """Paths, encoded bytes or BGR arrays -> ``[(text, score) or SkipSample]`` in input order."""
        from ppocr.data import SkipSample

        results = [None] * len(images)
        ready = []
        for i, item in enumerate(images):
            start = time.perf_counter()
            try:
                ready.append((i, self.prepare(item)))
            except SkipSample as e:
                results[i] = e
            self.times["preprocess"] += time.perf_counter() - start
        for (i, _), result in zip(ready, self.recognize([image for _, image in ready])):
            results[i] = result
        self.times["images"] += len(images)
        return results
