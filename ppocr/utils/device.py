"""Device selection: GPU when asked for and available, otherwise the CPU with one warning; an XPU,
NPU, MLU or GCU through Paddle's device API (``missing_build`` says which Paddle one needs)."""
import logging
import os

import paddle

logger = logging.getLogger("ppocr")

# kind -> (what it is, the Paddle package that runs it); XPU is built into Paddle, the others are
# Paddle's custom devices (PaddleCustomDevice plug-ins)
ACCELERATORS = {
    "xpu": ("a Kunlun XPU", "paddlepaddle-xpu"),
    "npu": ("an Ascend NPU", "paddle-custom-npu"),
    "mlu": ("a Cambricon MLU", "paddle-custom-mlu"),
    "gcu": ("an Enflame GCU", "paddle-custom-gcu"),
}


def compiled_with(kind):
    """True if this Paddle can run on devices of ``kind`` (gpu, xpu, npu, mlu, gcu)."""
    if kind == "gpu":
        return paddle.device.is_compiled_with_cuda()
    if kind == "xpu":
        return paddle.device.is_compiled_with_xpu()
    return paddle.device.is_compiled_with_custom_device(kind)


def missing_build(device):
    """None if this Paddle runs ``device``'s kind, else what is wrong and how to fix it (a GPU is not
    asked here: a CPU build falls back to the CPU, ``select_device``)."""
    kind = str(device).lower().partition(":")[0]
    if kind not in ACCELERATORS or compiled_with(kind):
        return None
    what, package = ACCELERATORS[kind]
    return (f"Global.use_{kind} (or Global.device={device}) asks for {what}, but this PaddlePaddle "
            f"{paddle.__version__} is not built for it: install {package} on a machine with the device, "
            f"or set Global.use_{kind}=False to run on the CPU (use_gpu=True for a GPU)")


def select_device(device):
    """Set paddle's device to ``device`` (``cpu``, ``gpu``, ``gpu:1``, ``xpu``, ``npu:2``...:
    ``GlobalSettings.device_name``, checked when the config was) and return its name.

    Under ``paddle.distributed.launch`` each process takes the card the launcher gave it (a GPU's
    from ``ParallelEnv``, another kind's from ``FLAGS_selected_<kind>s``, as the reference).

    Example::

        select_device("cpu")   # 'cpu'
        missing_build("xpu")   # on a CPU build: '... install paddlepaddle-xpu ...'
    """
    device = str(device).lower()
    kind = device.partition(":")[0]
    if kind == "gpu" and not compiled_with("gpu"):
        logger.warning(
            "a GPU was asked for (Global.use_gpu / Global.device) but this PaddlePaddle is a CPU "
            "build: running on the CPU. Install paddlepaddle-gpu to use a GPU."
        )
        device = kind = "cpu"
    problem = missing_build(device)
    if problem:
        raise RuntimeError(problem)
    if kind == "gpu" and ":" not in device:
        device = f"gpu:{paddle.distributed.ParallelEnv().dev_id}"
    elif kind in ACCELERATORS and ":" not in device:
        device = f"{kind}:{os.environ.get(f'FLAGS_selected_{kind}s', '0').split(',')[0]}"
    paddle.set_device(device)
    return device
