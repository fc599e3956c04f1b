"""A config's components, built in the one right order: the charset first (its layout chosen by
the PostProcess section, checked against every label encoder), then the parts that ask it.

Example::

    config = load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml")
    charset = build_charset(config)        # CTCCharset, 37 classes
    model = build_model(config, charset)
"""
import ppocr.data  # noqa: F401  (registers the label encoders)
from ppocr import modeling
from ppocr.errors import UserError
from ppocr.postprocess import POSTPROCESS
from ppocr.registry import CHARSETS, DATA_OPS


def build_charset(config):
    """The run's charset: layout from PostProcess, characters from Global (``character_dict_path``,
    ``max_text_length``, ``use_space_char``), ``lower`` from PostProcess.

    A label encoder in Train or Eval that makes another layout than the PostProcess decodes is a
    one-line error naming both.
    """
    glob = config.get("Global") or {}
    post = config.get("PostProcess") or {}
    if "name" not in post:
        raise UserError("the config has no PostProcess.name (e.g. CTCLabelDecode or SPINLabelDecode)")
    scheme = POSTPROCESS.get(post["name"]).charset_scheme
    _check_label_encoders(config, post["name"], scheme)
    return CHARSETS.get(scheme)(
        character_dict_path=glob.get("character_dict_path") or None,
        use_space_char=bool(post.get("use_space_char", glob.get("use_space_char", False))),
        max_text_length=glob.get("max_text_length", 25),
        lower=post.get("lower"),
    )


def _check_label_encoders(config, decoder, scheme):
    for mode in ("Train", "Eval"):
        transforms = ((config.get(mode) or {}).get("dataset") or {}).get("transforms") or []
        for item in transforms:
            name = next(iter(item)) if isinstance(item, dict) and len(item) == 1 else None
            encoder_scheme = getattr(DATA_OPS.get(name), "scheme", None) if name in DATA_OPS else None
            if encoder_scheme is not None and encoder_scheme != scheme:
                raise UserError(f"{mode}.dataset.transforms: {name} makes {encoder_scheme} labels but PostProcess "
                                f"{decoder} decodes {scheme} output: use the encoder and decoder of one algorithm "
                                "(CTCLabelEncode with CTCLabelDecode, SPINLabelEncode with SPINLabelDecode)")


def build_model(config, charset=None):
    """The model of ``config``, its head sized by ``charset`` (built from the config if not given).

    Example::

        from ppocr import build_model, load_config
        model = build_model(load_config("configs/rec/rec_mv3_tps_bilstm_ctc.yml"))
    """
    return modeling.build_model(config, charset if charset is not None else build_charset(config))
