"""``Global.use_sync_bn``: batch norms whose statistics are those of the whole global batch, across
the GPUs of a run (Paddle's ``SyncBatchNorm``), as the reference converts them before training.

Paddle's synchronised batch norm runs on CUDA only; elsewhere (a CPU, an XPU) the batch norms
stay per-process, and one notice line says so. The state-dict names do not change, so checkpoints
load either way.

Example::

    model = sync_batch_norm(model, use_sync_bn=True, device="gpu:0", world=4)
"""
import logging

import paddle

logger = logging.getLogger("ppocr")


def sync_batch_norm(model, use_sync_bn, device, world):
    """``model`` with its batch norms converted to ``SyncBatchNorm`` when ``use_sync_bn`` asks for it
    and the run is on GPUs; otherwise ``model`` itself (with a notice if it was asked for)."""
    if not use_sync_bn:
        return model
    if not str(device).startswith("gpu"):
        logger.warning("Global.use_sync_bn: Paddle synchronises batch norms across GPUs only; on %s each process "
                       "keeps its own batch statistics", device)
        return model
    if world == 1:
        logger.info("Global.use_sync_bn: one process, so nothing to synchronise: the batch norms stay as they are")
        return model
    logger.info("batch norms synchronised across the %d processes (SyncBatchNorm)", world)
    return paddle.nn.SyncBatchNorm.convert_sync_batchnorm(model)
