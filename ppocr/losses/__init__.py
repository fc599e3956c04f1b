"""Losses; each registers itself with ppocr.registry.LOSSES on import."""
from ppocr.losses import ctc_loss, spin_att_loss  # noqa: F401
from ppocr.registry import LOSSES


def build_loss(config, charset):
    """The loss of a whole config, from its ``Loss`` section; special token ids from ``charset``.

    Example::

        config = load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml")
        loss_fn = build_loss(config, build_charset(config))
    """
    return LOSSES.build(config["Loss"], context={"charset": charset})
