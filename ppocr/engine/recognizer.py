"""A trained recogniser from a config: the one place that resolves the weights
(``Global.checkpoints``, else ``Global.pretrained_model``), builds the charset and the model,
loads the weights and reads images through the config's Eval preprocessing.

``tools/eval.py``, ``tools/infer_rec.py``, ``tools/export_model.py`` and ``tools/vis_rectify.py``
all start here; the deployment side (an exported folder) is ``ppocr.engine.predictor.TextRecognizer``.

Example::

    config = merge_config("configs/rec/demo_mv3_tps_bilstm_ctc.yml",
                          ["Global.pretrained_model=pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy"])
    rec = Recognizer.from_config(config)
    rec.read([open("doc/imgs_words_en/word_10.png", "rb").read()])   # [('defaults', 0.99...)]
"""
import logging
import os

import numpy as np
import paddle

from ppocr.data import SkipSample
from ppocr.engine.checkpoint import load_weights
from ppocr.engine.components import build_charset, build_model
from ppocr.engine.inference import Preprocessor, image_transforms, list_images, read_bytes
from ppocr.errors import UserError
from ppocr.postprocess import build_postprocess
from ppocr.utils.io import atomic_write_bytes

logger = logging.getLogger("ppocr")


def weights_of(config):
    """The weights a config names: ``Global.checkpoints`` (resuming) wins over ``pretrained_model``."""
    g = config.get("Global") or {}
    return g.get("checkpoints") or g.get("pretrained_model") or None


class Recognizer:
    """The dygraph model of a config with its charset, preprocessing and post-processing."""

    def __init__(self, config, charset, model, weights=None):
        self.config, self.charset, self.model, self.weights = config, charset, model, weights
        self.preprocess = Preprocessor(image_transforms(config))
        self.postprocess = build_postprocess(config, charset)

    @classmethod
    def from_config(cls, config, require_weights=True, why=""):
        """Build and load; without weights in the config it is a one-line error, unless
        ``require_weights`` is False (export of an untrained model: a warning)."""
        weights = weights_of(config)
        if not weights and require_weights:
            raise UserError("no weights given: set -o Global.pretrained_model=PATH/best_accuracy" + why)
        charset = build_charset(config)
        model = build_model(config, charset)
        if weights:
            skip = bool((config.get("Global") or {}).get("skip_mismatched_tensors", False))
            load_weights(model, weights, skip_mismatched=skip)
        else:
            logger.warning("no Global.pretrained_model given: the model has its initial, untrained weights")
        model.eval()
        return cls(config, charset, model, weights)

    def read(self, images):
        """Encoded images (bytes) -> [(text, score)] in order; an undecodable one gives ``SkipSample``."""
        out = [None] * len(images)
        ready = []
        for i, raw in enumerate(images):
            try:
                ready.append((i, self.preprocess(raw)))
            except SkipSample as e:
                out[i] = e
        if ready:
            with paddle.no_grad():
                probs = self.model(paddle.to_tensor(np.stack([image for _, image in ready])))
            for (i, _), result in zip(ready, self.postprocess(probs)):
                out[i] = result
        return out


def infer_images(config, batch_size=1):
    """``tools/infer_rec.py``: read ``Global.infer_img`` (an image or a folder), print
    ``infer_img: PATH`` and ``result: TEXT<TAB>SCORE`` per image, write ``PATH<TAB>TEXT<TAB>SCORE``
    lines to ``Global.save_res_path``. Unreadable images are named and skipped; none readable is
    a UserError. Returns the lines."""
    g = config["Global"]
    recognizer = Recognizer.from_config(config)
    paths = list_images(g.get("infer_img"))
    lines = []
    for start in range(0, len(paths), batch_size):
        chunk = paths[start : start + batch_size]
        for path, result in zip(chunk, recognizer.read([read_bytes(p) for p in chunk])):
            print(f"infer_img: {path}")
            if isinstance(result, SkipSample):
                print(f"skipped: {result.reason}")
                continue
            text, score = result
            print(f"result: {text}\t{score}")
            lines.append(f"{path}\t{text}\t{score}\n")
    if not lines:
        raise UserError(f"none of the images of Global.infer_img={g.get('infer_img')!r} could be read "
                        "(each is named above): give image files that OpenCV decodes (png, jpg, bmp, ...)")
    if g.get("save_res_path"):
        atomic_write_bytes(g["save_res_path"], "".join(lines).encode("utf-8"))
        logger.info("results written to %s", os.path.abspath(g["save_res_path"]))
    return lines
