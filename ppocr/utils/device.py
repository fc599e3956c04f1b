"""Device selection: GPU when asked for and available, otherwise the CPU with one warning."""
import logging

import paddle

logger = logging.getLogger("ppocr")


def select_device(device):
    """Set paddle's device to ``device`` (``cpu``, ``gpu``, ``gpu:1``: ``GlobalSettings.device_name``,
    checked when the config was) and return its name.

    Under ``paddle.distributed.launch`` each process takes the GPU the launcher gave it.
    """
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

