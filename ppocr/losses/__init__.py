"""Losses; each registers itself with ppocr.registry.LOSSES on import."""
from ppocr.losses import ctc_loss, spin_att_loss  # noqa: F401
from ppocr.registry import LOSSES


def build_loss(config):
    """The loss of a whole config, from its ``Loss`` section.

    Example::

        loss_fn = build_loss(load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml"))
    """
    return LOSSES.build(config["Loss"])
