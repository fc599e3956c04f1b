"""A trained recogniser from a config: the one place that resolves the weights
(``Global.checkpoints``, else ``Global.pretrained_model``), builds the charset and the model,
loads the weights, and takes the config's Eval preprocessing and its post-processing.

``tools/eval.py``, ``tools/infer_rec.py``, ``tools/export_model.py`` and ``tools/vis_rectify.py``
all start here. Images are read through the inference pipeline with the model as its backend
(``ppocr.inference.pipeline.dygraph_pipeline``); the deployment side (an exported folder) is
``ppocr.inference.predictor.TextRecognizer``, the same pipeline on other backends.

Example::

    config = merge_config("configs/rec/demo_mv3_tps_bilstm_ctc.yml",
                          ["Global.pretrained_model=pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy"])
    rec = Recognizer.from_config(config)
    rec.model, rec.charset.num_classes        # the model in eval mode, 37
"""
import logging

from ppocr.data.preprocess import Preprocessor, image_transforms
from ppocr.errors import UserError
from ppocr.postprocess import build_postprocess
from ppocr.settings import GlobalSettings
from ppocr.trained_model.checkpoint import load_weights
from ppocr.trained_model.components import build_charset, build_model

logger = logging.getLogger("ppocr")


def weights_of(config):
    """The weights a config names: ``Global.checkpoints`` (resuming) wins over ``pretrained_model``."""
    settings = GlobalSettings.of(config)
    return settings.checkpoints or settings.pretrained_model


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
            skip = GlobalSettings.of(config).skip_mismatched_tensors
            load_weights(model, weights, skip_mismatched=skip)
        else:
            logger.warning("no Global.pretrained_model given: the model has its initial, untrained weights")
        model.eval()
        return cls(config, charset, model, weights)
