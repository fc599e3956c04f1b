"""A config's model, sized by the run's charset (``ppocr.charset.build_charset``, whose layout the
head declares); importing this module registers every data op, model stage and decoder, so the
charset's checks see them all.

Example::

    config = load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml")
    charset = build_charset(config)        # CTCCharset, 37 classes
    model = build_model(config, charset)
"""
import ppocr.data  # noqa: F401  (registers the label encoders)
import ppocr.postprocess  # noqa: F401  (registers the decoders)
from ppocr import modeling
from ppocr.charset import build_charset


def build_model(config, charset=None):
    """The model of ``config``, its head sized by ``charset`` (built from the config if not given).

    Example::

        from ppocr import build_model, load_config
        model = build_model(load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml"))
    """
    return modeling.build_model(config, charset if charset is not None else build_charset(config))
