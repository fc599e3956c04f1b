"""``inference.onnx`` beside an exported Paddle inference model, converted with paddle2onnx.

The exported graphs are float32 with the rectifiers' geometry as constants (matmuls and
``grid_sample`` only), which is what lets paddle2onnx convert TPS and GA-SPIN as they are. The
batch axis stays dynamic (the Paddle graph's input is ``[None, C, H, W]``), so onnxruntime runs
the file at any batch size with its default CPU provider.
"""
import logging
import os

from ppocr.errors import UserError
from ppocr.export.model_folder import onnx_path, paddle_files
from ppocr.utils.io import atomic_write_bytes

logger = logging.getLogger("ppocr")
OPSET = 17  # onnxruntime >= 1.14 runs it; grid_sample needs opset >= 16
PADDLE2ONNX_INSTALL = "pip install '.[onnx]' (or pip install paddle2onnx onnxruntime)"


def import_paddle2onnx():
    """paddle2onnx, or a one-line UserError saying how to install it."""
    try:
        import paddle2onnx
    except ImportError:
        raise UserError(f"ONNX export needs the paddle2onnx package, which is not installed: {PADDLE2ONNX_INSTALL}") from None
    return paddle2onnx


def batch_axis_is_dynamic(onnx_bytes):
    """True when the graph's first input has a symbolic (or unknown) leading dimension."""
    import onnx

    dim = onnx.load_model_from_string(onnx_bytes).graph.input[0].type.tensor_type.shape.dim[0]
    return not dim.HasField("dim_value")


def export_onnx(model_dir, opset_version=OPSET):
    """Convert ``model_dir/inference.{json|pdmodel,pdiparams}`` to ``model_dir/inference.onnx``;
    returns its path. The Paddle files stay as they are.

    Example::

        export_onnx("inference/rec_starnet")   # 'inference/rec_starnet/inference.onnx'
        TextRecognizer("inference/rec_starnet", backend="onnxruntime")
    """
    paddle2onnx = import_paddle2onnx()
    graph, params = paddle_files(model_dir)
    out = onnx_path(model_dir)
    try:
        # save_file=None returns the model: paddle2onnx's own writer would run an optimiser that
        # installs packages at run time (POLYGRAPHY_AUTOINSTALL_DEPS)
        onnx_bytes = paddle2onnx.export(graph, params, save_file=None, opset_version=opset_version,
                                        auto_upgrade_opset=False, enable_onnx_checker=True)
    except Exception as e:  # paddle2onnx logs the cause and leaves its result unset
        raise UserError(f"paddle2onnx could not convert {graph!r} ({type(e).__name__}: {e}): see its log above; "
                        "the Paddle inference model in the folder is complete and usable without ONNX") from None
    if not onnx_bytes:
        raise UserError(f"paddle2onnx returned an empty model for {graph!r}: see its log above")
    if not batch_axis_is_dynamic(onnx_bytes):
        raise UserError(f"the ONNX graph of {graph!r} has a fixed batch size: re-export the Paddle model "
                        "with tools/export_model.py (its input is [None, C, H, W])")
    atomic_write_bytes(out, onnx_bytes)
    logger.info("ONNX model saved in %s (opset %d)", out, opset_version)
    return out


def remove_stale_onnx(model_dir):
    """A re-export without ONNX must not leave the previous ``inference.onnx`` behind: it would be
    the model ``TextRecognizer`` chooses by default."""
    path = onnx_path(model_dir)
    if os.path.isfile(path):
        os.remove(path)
        logger.info("removed %s of an earlier export (pass --onnx to write a new one)", path)
