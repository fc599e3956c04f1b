"""Model building: importing the stage packages registers every stage with its registry."""
from ppocr.modeling import backbones, heads, necks, transforms  # noqa: F401  (registration)
from ppocr.modeling.base_model import BaseModel


def build_model(config, charset=None):
    """The model of a whole config dict, its head sized by the config's charset.

    Example::

        from ppocr import build_model, load_config
        model = build_model(load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml"))
    """
    from ppocr.charset import build_charset
    from ppocr.errors import UserError

    if "Architecture" not in config:
        raise UserError("the config has no Architecture section")
    if charset is None:
        charset = build_charset(config)
    try:
        return BaseModel(
            config["Architecture"], num_classes=charset.num_classes, max_text_length=charset.max_text_length
        )
    except KeyError as e:
        raise UserError(str(e.args[0]) if e.args else str(e)) from None
    except TypeError as e:
        raise UserError(f"bad Architecture option: {e}") from None
