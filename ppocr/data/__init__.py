"""Data ops, datasets and the DataLoader of a config's Train or Eval section.

The data ops (``ppocr.data.imaug``) and ``SkipSample`` need no Paddle: the inference side decodes
and resizes images with them where Paddle is not installed (an onnxruntime deployment). The
datasets and the loader (``ppocr.data.loader``) need ``paddle.io``; their names below load it on
first use, and importing ``ppocr.data.loader`` registers the datasets.

Example::

    from ppocr.config import load_config
    from ppocr.data import build_dataloader
    from ppocr.trained_model.from_config import build_charset

    config = load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml")
    loader = build_dataloader(config, "Train", build_charset(config), seed=0)
    loader.batch_sampler.set_epoch(1)
    for batch in loader:   # {'image', 'label', 'length', 'text', 'valid', 'skipped'}
        ...
"""
import importlib

from ppocr.data.imaug import build_ops, transform
from ppocr.data.skip import SkipSample

_LOADER_NAMES = ("EvalBatchSampler", "TrainBatchSampler", "build_dataloader", "build_dataset", "build_set_loaders",
                 "collate", "end_loader_workers", "list_eval_sets")
__all__ = sorted(["SkipSample", "build_ops", "transform", *_LOADER_NAMES])


def __getattr__(name):
    if name not in _LOADER_NAMES:
        raise AttributeError(f"module 'ppocr.data' has no attribute {name!r}")
    return getattr(importlib.import_module("ppocr.data.loader"), name)
