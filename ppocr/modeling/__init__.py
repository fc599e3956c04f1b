"""Model building: importing the stage packages registers every stage with its registry."""
from ppocr.errors import UserError
from ppocr.modeling import backbones, heads, necks, transforms  # noqa: F401  (registration)
from ppocr.modeling.base_model import BaseModel


def build_model(config, charset):
    """The model of a whole config dict, its head sized by the run's ``charset``.

    Example::

        from ppocr.charset import build_charset
        config = load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml")
        model = build_model(config, build_charset(config))
    """
    if "Architecture" not in config:
        raise UserError("the config has no Architecture section")
    try:
        return BaseModel(config["Architecture"], charset)
    except KeyError as e:
        raise UserError(str(e.args[0]) if e.args else str(e)) from None
