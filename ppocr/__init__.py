"""ppocr: train, evaluate, export and serve STAR-Net and SPIN scene-text recognisers on PaddlePaddle."""
from ppocr.config import load_config, merge_config
from ppocr.modeling import build_model

__all__ = ["build_model", "load_config", "merge_config"]
__version__ = "0.1.0"
