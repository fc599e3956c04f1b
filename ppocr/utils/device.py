"""Device selection: GPU when asked for and available, otherwise the CPU with one warning."""
import logging
import os

import paddle

from ppocr.errors import UserError

logger = logging.getLogger("ppocr")


def select_device(global_cfg):
    """Set paddle's device from ``Global.use_gpu`` / ``Global.device`` and return its name.

    ``Global.device`` (``cpu``, ``gpu``, ``gpu:1``) wins over ``use_gpu``. Under
    ``paddle.distributed.launch`` each process takes the GPU the launcher gave it.
    """
    device = global_cfg.get("device")
    use_gpu = global_cfg.get("use_gpu", False)
    if not isinstance(use_gpu, bool):
        raise UserError(f"Global.use_gpu must be True or False, got {use_gpu!r}")
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
    if not device.startswith(("cpu", "gpu")):
        raise UserError(f"Global.device {device!r} is not supported: use cpu, gpu or gpu:N")
    paddle.set_device(device)
    return device


def default_cpu_threads():
    """Compute threads to use on the CPU: ``OMP_NUM_THREADS`` if set, else every core this process
    may run on (its CPU affinity, which a container or ``taskset`` may have narrowed)."""
    given = os.environ.get("OMP_NUM_THREADS", "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)
