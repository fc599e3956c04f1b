"""Export a trained model as a Paddle inference model plus ``inference.yml`` (and, with
``Global.export_onnx``, ``inference.onnx``): the folder format of ``model_folder.py``.

``inference.yml`` holds everything prediction needs (algorithm, charset, input shape,
preprocessing, post-processing), so ``tools/infer/predict_rec.py`` never re-implements a
model's preprocessing and cannot disagree with ``tools/infer_rec.py``.
"""
import logging
import os

import numpy as np
import paddle

from ppocr.errors import UserError
from ppocr.export.model_folder import paddle_prefix, write_model_info
from ppocr.export.onnx_export import export_onnx, import_paddle2onnx, remove_stale_onnx
from ppocr.global_settings import GlobalSettings
from ppocr.modeling.fold import fold_batch_norms
from ppocr.trained_model.from_config import TrainedModel
from ppocr.utils.paddle_noise import NATIVE_NOISE, native_stderr_without

logger = logging.getLogger("ppocr")


def export(config, save_dir=None, onnx=False, settings=None):
    """Write ``save_dir/inference.{json|pdmodel,pdiparams,yml}``, and ``inference.onnx`` when
    ``onnx`` or ``Global.export_onnx`` is True; returns ``save_dir``. ``settings``: the config's
    ``GlobalSettings`` when the caller has them.

    Example::

        cfg = merge_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml",
                           ["Global.pretrained_model=output/rec/mv3/best_accuracy", "Global.export_onnx=True"])
        export(cfg, "inference/rec_starnet")
    """
    g = settings or GlobalSettings.of(config)
    save_dir = save_dir or g.save_inference_dir
    if not save_dir:
        raise UserError("no output folder: set -o Global.save_inference_dir=./inference/NAME")
    with_onnx = onnx or g.export_onnx
    if with_onnx:
        import_paddle2onnx()  # a missing package is said before the export, not after
    trained = TrainedModel.from_config(config, require_weights=False, settings=g)
    model, charset = trained.model, trained.charset
    transforms = trained.preprocess.transforms
    shape = trained.preprocess.output_shape
    if shape is None:
        raise UserError("the Eval transforms have no resize op giving a fixed image shape")
    # batch norms folded into their convolutions: a smaller graph that needs no fusion pass at load
    example = paddle.to_tensor(np.random.default_rng(0).uniform(-1, 1, (2, *shape)).astype("float32"))
    model = fold_batch_norms(model, example)
    spec = [paddle.static.InputSpec(shape=[None, *shape], dtype="float32", name="x")]
    os.makedirs(save_dir, exist_ok=True)
    with native_stderr_without(NATIVE_NOISE):  # Paddle's PIR line of the trace (ppocr/utils/paddle_noise.py)
        static = paddle.jit.to_static(model, input_spec=spec, full_graph=True)
        paddle.jit.save(static, paddle_prefix(save_dir))
    write_model_info(save_dir, algorithm=config["Architecture"].get("algorithm"), image_shape=shape,
                     transform_ops=transforms, postprocess=config["PostProcess"], charset=charset.to_dict())
    logger.info("inference model saved in %s", save_dir)
    if with_onnx:
        export_onnx(save_dir)
    else:
        remove_stale_onnx(save_dir)
    return save_dir
