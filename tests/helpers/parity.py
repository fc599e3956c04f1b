"""Comparing two ways of running one model (dygraph against an exported graph, one batch size
against another) string for string, fairly.

- ``decisive_weights``: the compatibility fixtures' weights (``fixtures/compat/fill_params.py``)
  alone give near-uniform class probabilities; a seeded Gaussian classifier (the head's last
  Linear) on top of them makes readings decisive and different from image to image.
- ``decided``: even so, a few steps of a few images stay near-ties, where float rounding of two
  correct backends may pick either class. The rectifiers' ``grid_sample`` on sharp word images
  turns a 1e-7 change of the sampling grid into about 1e-4 in the rectified image, and an attention
  decoder carries that to later steps (doc/differences.md). Strings are compared on the images
  whose every step has a top-two margin of at least ``MIN_MARGIN`` in the dygraph model: there a
  different string is a real fault (the oneDNN ``pow`` fault changed probabilities by 0.9).
"""
import importlib.util
from pathlib import Path

import numpy as np
import paddle

FILL_PARAMS = Path(__file__).resolve().parents[1] / "fixtures" / "compat" / "fill_params.py"
MIN_MARGIN = 0.02


def fill_params_module():
    spec = importlib.util.spec_from_file_location("compat_fill_params", FILL_PARAMS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def decisive_weights(model, seed=0, std=30.0):
    """Set ``model``'s weights in place: the compatibility fill, then a N(0, std) classifier."""
    fill_params_module().fill_layer(model)
    classifier = [layer for layer in model.head.sublayers() if isinstance(layer, paddle.nn.Linear)][-1]
    rng = np.random.default_rng(seed)
    classifier.weight.set_value(rng.normal(0.0, std, classifier.weight.shape).astype("float32"))
    return model


def decided(model, config, paths, min_margin=MIN_MARGIN):
    """The image paths of ``paths`` whose reading ``model`` (dygraph, eval) decides at every step."""
    from ppocr.data.preprocess import Preprocessor, image_transforms, read_bytes

    preprocess = Preprocessor(image_transforms(config))
    model.eval()
    with paddle.no_grad():
        probs = model(paddle.to_tensor(np.stack([preprocess(read_bytes(p)) for p in paths]))).numpy()
    top2 = np.sort(probs, axis=2)[:, :, -2:]
    margins = (top2[:, :, 1] - top2[:, :, 0]).min(axis=1)
    return {str(p) for p, m in zip(paths, margins) if m >= min_margin}


def save_decisive_weights(folder, config):
    """``decisive_weights`` of ``config``'s model saved as ``folder/w.pdparams``; returns the prefix."""
    from ppocr.trained_model.from_config import build_model

    prefix = str(Path(folder) / "w")
    paddle.save(decisive_weights(build_model(config)).state_dict(), prefix + ".pdparams")
    return prefix
