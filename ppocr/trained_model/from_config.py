"""A config's trained model: the one place that builds a config's charset and model, resolves its
weights (``Global.checkpoints``, else ``Global.pretrained_model``), loads them, and takes the
config's Eval preprocessing and its post-processing. Importing this module registers every data op,
model stage and decoder, so the charset's checks see them all.

Training builds its model here (``build_model``); ``tools/eval.py``, ``tools/infer_rec.py``,
``tools/export_model.py``, ``tools/vis_rectify.py`` and the service's page load trained weights here
(``TrainedModel.from_config``). Images are read through the inference pipeline with the model as its
backend (``ppocr.inference.pipeline.dygraph_pipeline``); the deployment side (an exported folder) is
``ppocr.inference.predictor.TextRecognizer``, the same pipeline on other backends.

Example::

    config = merge_config("configs/rec/demo_mv3_tps_bilstm_ctc.yml",
                          ["Global.pretrained_model=pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy"])
    charset = build_charset(config)           # CTCCharset, 37 classes
    model = build_model(config, charset)      # initial weights
    trained = TrainedModel.from_config(config)
    trained.model, trained.charset.num_classes    # the trained model in eval mode, 37
"""
import logging

import ppocr.data  # noqa: F401  (registers the label encoders)
import ppocr.modeling  # noqa: F401  (registers the model stages)
from ppocr.charset import build_charset
from ppocr.data.preprocess import Preprocessor, image_transforms
from ppocr.errors import UserError
from ppocr.global_settings import GlobalSettings
from ppocr.modeling.base_model import BaseModel
from ppocr.postprocess import build_postprocess
from ppocr.trained_model.checkpoint import load_weights

__all__ = ["TrainedModel", "build_charset", "build_model"]  # build_charset: with everything registered
logger = logging.getLogger("ppocr")


def build_model(config, charset=None):
    """The model of a whole config dict, its head sized by ``charset`` (the config's own when not
    given), with its initial weights.

    Example::

        from ppocr import build_model, load_config
        model = build_model(load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml"))
    """
    arch = config.get("Architecture")
    if not isinstance(arch, dict):
        raise UserError("the config has no Architecture section")
    for stage in ("Backbone", "Head"):
        if not isinstance(arch.get(stage), dict):
            raise UserError(f"the config has no Architecture.{stage} section: a recogniser has a backbone and a head "
                            "(their name and options; the seed configs in configs/rec/ show them)")
    charset = charset if charset is not None else build_charset(config)
    return BaseModel(arch, charset)


class TrainedModel:
    """The dygraph model of a config with its charset, preprocessing and post-processing."""

    def __init__(self, config, charset, model, weights=None):
        self.config, self.charset, self.model, self.weights = config, charset, model, weights
        self.preprocess = Preprocessor(image_transforms(config))
        self.postprocess = build_postprocess(config, charset)

    @classmethod
    def from_config(cls, config, require_weights=True, why="", settings=None):
        """Build and load the weights ``Global.checkpoints`` (resuming) or else
        ``Global.pretrained_model`` names; without weights it is a one-line error, unless
        ``require_weights`` is False (export of an untrained model: a warning). ``settings``: the
        config's ``GlobalSettings`` when the caller has them."""
        settings = settings or GlobalSettings.of(config)
        weights = settings.weights
        if not weights and require_weights:
            raise UserError("no weights given: set -o Global.pretrained_model=PATH/best_accuracy" + why)
        charset = build_charset(config, settings)
        model = build_model(config, charset)
        if weights:
            load_weights(model, weights, skip_mismatched=settings.skip_mismatched_tensors)
        else:
            logger.warning("no Global.pretrained_model given: the model has its initial, untrained weights")
        model.eval()
        return cls(config, charset, model, weights)
