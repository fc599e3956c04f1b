"""Device selection: GPU when asked for and available, otherwise the CPU with one warning."""
import logging

import paddle

logger = logging.getLogger("ppocr")


def select_device(global_cfg):
    """Set paddle's device from ``Global.use_gpu`` / ``Global.device`` and return its name.

    ``Global.device`` (``cpu``, ``gpu``, ``gpu:1``) wins over ``use_gpu``. Under
    ``paddle.distributed.launch`` each process takes the GPU the launcher gave it. Both values are
    checked when the config is (``ppocr.config_check``).
    """
    device = global_cfg.get("device")
    use_gpu = global_cfg.get("use_gpu", False)
    if device is None:
        device = "gpu" if use_gpu else "cpu"
    device = str(device).lower()
    if device.startswith("gpu") and not paddle.device.is_compiled_with_cuda():
        logger.warning(
            "a GPU was asked for (Global.use_gpu / Global.device) but this PaddlePaddle is a CPU "
            "build: running on the CPU. Install paddlepaddle-gpu to use a GPU."
        )
        device = "cpu"
    if device.startswith("gpu") and ":" not in device:
        device = f"gpu:{paddle.distributed.ParallelEnv().dev_id}"
    paddle.set_device(device)
    return device

