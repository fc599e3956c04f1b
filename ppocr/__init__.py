"""ppocr: train, evaluate, export and serve STAR-Net and SPIN scene-text recognisers on PaddlePaddle.

The public names are imported on first use, so ``import ppocr`` alone loads neither Paddle nor
any model code.
"""
import importlib

from ppocr.utils.paddle_noise import hold_back_warnings

_PUBLIC = {
    "build_model": "ppocr.trained_model.from_config",
    "load_config": "ppocr.config",
    "merge_config": "ppocr.config",
    "Skipped": "ppocr.inference.pipeline",
    "TextRecognizer": "ppocr.inference.predictor",
}
__all__ = sorted(_PUBLIC)
__version__ = "0.1.0"
hold_back_warnings()  # two of Paddle's warnings that say nothing to a user (ppocr/utils/paddle_noise.py)


def __getattr__(name):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'ppocr' has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name]), name)


def __dir__():
    return sorted(list(globals()) + __all__)
