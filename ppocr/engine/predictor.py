"""Deployment-side recognition with ``paddle.inference`` on an exported model folder."""
import logging
import os
import time

import numpy as np
import paddle
import paddle.inference as paddle_infer
import yaml

from ppocr.charset import charset_from_dict
from ppocr.engine.inference import Preprocessor
from ppocr.errors import UserError
from ppocr.postprocess import POSTPROCESS
from ppocr.utils.threads import available_cores

logger = logging.getLogger("ppocr")


def read_inference_yml(model_dir):
    path = os.path.join(model_dir, "inference.yml")
    if not os.path.isfile(path):
        raise UserError(f"{path!r} is missing: export the model with tools/export_model.py into {model_dir!r}")
    with open(path, "rb") as f:
        return yaml.safe_load(f.read().decode("utf-8"))


def model_files(model_dir):
    params = os.path.join(model_dir, "inference.pdiparams")
    for name in ("inference.json", "inference.pdmodel"):
        graph = os.path.join(model_dir, name)
        if os.path.isfile(graph):
            break
    else:
        raise UserError(f"{model_dir!r} has no inference.json or inference.pdmodel: is it an exported model folder?")
    if not os.path.isfile(params):
        raise UserError(f"{params!r} is missing: re-export the model with tools/export_model.py")
    return graph, params


class TextRecognizer:
    """Batches of images -> [(text, score)] with an exported model.

    Example::

        rec = TextRecognizer("inference/rec_starnet")
        rec([open("doc/imgs_words_en/word_10.png", "rb").read()])   # [('defaults', 0.99...)]
    """

    def __init__(self, model_dir, use_gpu=False, enable_mkldnn=None, cpu_threads=None, batch_size=6):
        if not os.path.isdir(model_dir):
            raise UserError(f"model folder {model_dir!r} does not exist: pass the --rec_model_dir used at export")
        self.info = read_inference_yml(model_dir)
        graph, params = model_files(model_dir)
        self.batch_size = max(1, int(batch_size))
        self.preprocess = Preprocessor(self.info["PreProcess"]["transform_ops"])
        post = dict(self.info["PostProcess"])
        self.charset = charset_from_dict(post.pop("charset"))
        self.postprocess = POSTPROCESS.build(post, charset=self.charset)
        # Paddle's fatal-signal handler deadlocks on a corrupt heap (it calls malloc); without it a
        # native crash ends the process at once (ppocr/engine/crash_guard.py)
        paddle.disable_signal_handler()
        config = paddle_infer.Config(graph, params)
        if use_gpu and paddle.is_compiled_with_cuda():
            config.enable_use_gpu(500, 0)
        else:
            if use_gpu:
                logger.warning("--use_gpu: this PaddlePaddle is a CPU build; predicting on the CPU")
            config.disable_gpu()
            config.set_cpu_math_library_num_threads(int(cpu_threads or available_cores()))
            if enable_mkldnn is False:
                config.disable_mkldnn()
            elif enable_mkldnn:
                config.enable_mkldnn()
        config.switch_ir_optim(True)
        config.disable_glog_info()
        self.predictor = paddle_infer.create_predictor(config)
        self.input = self.predictor.get_input_handle(self.predictor.get_input_names()[0])
        self.output = self.predictor.get_output_handle(self.predictor.get_output_names()[0])
        self.times = {"preprocess": 0.0, "inference": 0.0, "postprocess": 0.0, "images": 0}

    def run_batch(self, images):
        """``images``: preprocessed arrays of one shape -> [(text, score)]."""
        start = time.perf_counter()
        self.input.copy_from_cpu(np.ascontiguousarray(np.stack(images)))
        self.predictor.run()
        probs = self.output.copy_to_cpu()
        middle = time.perf_counter()
        results = self.postprocess(probs)
        self.times["inference"] += middle - start
        self.times["postprocess"] += time.perf_counter() - middle
        return results

    def __call__(self, image_bytes_list):
        """Encoded images -> [(text, score)], ``rec_batch_num`` at a time."""
        from ppocr.data import SkipSample

        results = [None] * len(image_bytes_list)
        ready = []
        for i, raw in enumerate(image_bytes_list):
            start = time.perf_counter()
            try:
                ready.append((i, self.preprocess(raw)))
            except SkipSample as e:
                results[i] = e
            self.times["preprocess"] += time.perf_counter() - start
        for k in range(0, len(ready), self.batch_size):
            chunk = ready[k : k + self.batch_size]
            for (i, _), out in zip(chunk, self.run_batch([img for _, img in chunk])):
                results[i] = out
        self.times["images"] += len(image_bytes_list)
        return results
