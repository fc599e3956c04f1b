"""PaddleOCR's own inference folders, described from predict_rec's flags as PaddleOCR does it.

PaddleOCR (the reference) publishes its recognisers as ``inference.pdmodel`` (``inference.json``
since Paddle 3) + ``inference.pdiparams``, without this toolkit's ``inference.yml``; its
``tools/infer/predict_rec.py`` knows how to feed and decode them from its flags alone:
``--rec_algorithm``, ``--rec_image_shape``, ``--rec_char_dict_path``, ``--use_space_char``,
``--max_text_length``. ``describe`` turns those flags into the description an ``inference.yml``
holds (input shape, data ops, decoder, charset), applying the reference's defaults to the flags
not given, so such a folder runs through the one pipeline like an exported one:

- SPIN: grey, stretched to 100 x 32 with linear interpolation (the reference asks cv2.resize for
  cubic but passes it where OpenCV expects ``dst``), ``(pixel - 127.5) / 127.5``; attention decoding.
- any other algorithm the reference reads through its default path (STAR-Net, CRNN, its default
  SVTR_LCNet): ``BatchRecResizeImg`` (the batch padded to its widest word) and CTC decoding.

The folder's own ``inference.yml`` when the reference wrote one (no ``format_version``, no
charset) supplies the characters when ``--rec_char_dict_path`` is not given, as there. Nothing
here imports Paddle.

Example::

    flags = ReferenceFlags(rec_image_shape=[3, 32, 100], rec_char_dict_path="ppocr/utils/ic15_dict.txt")
    describe(flags)["transform_ops"][1]   # {'BatchRecResizeImg': {'image_shape': [3, 32, 100]}}
"""
import dataclasses
import logging
import os

from ppocr.charset import read_dict
from ppocr.errors import UserError

logger = logging.getLogger("ppocr")

# tools/infer/utility.py's defaults (PaddleOCR at 79f652f5)
DEFAULTS = {"rec_algorithm": "SVTR_LCNet", "rec_image_shape": [3, 48, 320],
            "rec_char_dict_path": "./ppocr/utils/ppocr_keys_v1.txt", "use_space_char": True, "max_text_length": 25}
# the algorithms its predict_rec feeds or decodes its own way; every other name takes the default path
OWN_PATHS = ("SRN", "RARE", "NRTR", "SAR", "VisionLAN", "ViTSTR", "ABINet", "RobustScanner", "RFL", "SATRN",
             "CPPD", "CPPDPadding", "PREN", "CAN", "LaTeXOCR", "ParseQ", "SVTR")
SPIN_SIZE = [100, 32]  # the reference's SPIN resize is fixed at W x H = 100 x 32, whatever --rec_image_shape says
# Paddle 3.3.1's oneDNN pass that breaks the float64 TPS grid of the reference's exported graphs
# ("The type tensor<3200x2xf64> of outputs[0][1] must be equal to type tensor<32x100x2xf64>")
TPS_ONEDNN_PASS = "operator_reshape_onednn_fuse_pass"


@dataclasses.dataclass(frozen=True)
class ReferenceFlags:
    """predict_rec's flags that describe a model; None: not given (the reference's default
    applies to a reference folder, and nothing is checked for an exported one)."""

    rec_algorithm: str = None
    rec_image_shape: tuple = None
    rec_char_dict_path: str = None
    use_space_char: bool = None
    max_text_length: int = None

    def value(self, name):
        given = getattr(self, name)
        return DEFAULTS[name] if given is None else given


def is_reference_info(info):
    """Whether a parsed ``inference.yml`` is one the reference's export wrote (PreProcess and
    PostProcess, but no ``format_version``, charset or input shape of this toolkit)."""
    if not isinstance(info, dict) or "format_version" in info or not isinstance(info.get("PostProcess"), dict):
        return False
    g = info.get("Global")
    return "charset" not in info["PostProcess"] and not (isinstance(g, dict) and "image_shape" in g)


def _yml_characters(flags, reference_info):
    """The reference's inference.yml characters, which it takes when the dictionary flag is left out."""
    chars = (reference_info or {}).get("PostProcess", {}).get("character_dict")
    if flags.rec_char_dict_path is None and isinstance(chars, list) and chars:
        return [str(c) for c in chars]
    return None


def _characters(flags, reference_info):
    chars = _yml_characters(flags, reference_info)
    if chars is not None:
        return chars + [" "] if flags.value("use_space_char") and " " not in chars else chars
    path = flags.value("rec_char_dict_path")
    if flags.rec_char_dict_path is None and not os.path.isfile(path):
        raise UserError(f"the folder has no inference.yml of this toolkit, so its characters come from --rec_char_dict_path, "
                        f"and the reference's default {path!r} is not here: pass the dictionary the model was trained "
                        "with, e.g. --rec_char_dict_path=./ppocr/utils/ic15_dict.txt (STAR-Net) or "
                        "./ppocr/utils/dict/spin_dict.txt (SPIN); or, for a folder of this toolkit, export the model "
                        "again (python tools/export_model.py) to write its inference.yml")
    return read_dict(path, use_space_char=flags.value("use_space_char"))


def describe(flags, reference_info=None):
    """The description of a reference folder from ``flags`` (a ``ReferenceFlags``): a dict with the
    fields of ``model_folder.ModelInfo`` but the folder, plus how Paddle can run the reference's graph."""
    algorithm = flags.value("rec_algorithm")
    if algorithm in OWN_PATHS:
        raise UserError(f"--rec_algorithm={algorithm}: this toolkit reads PaddleOCR folders of SPIN and of the models "
                        "its predict_rec reads through its default path (STAR-Net, CRNN, ...; CTC decoding), not "
                        f"{algorithm}: pass --rec_algorithm=STARNet or SPIN, or leave it out")
    shape = [int(v) for v in flags.value("rec_image_shape")]
    characters = _characters(flags, reference_info)
    max_text_length = int(flags.value("max_text_length"))
    decode = [{"DecodeImage": {"img_mode": "BGR", "channel_first": False}}]
    keep = [{"KeepKeys": {"keep_keys": ["image"]}}]
    logger.info(summary(flags, from_yml=_yml_characters(flags, reference_info) is not None))
    if algorithm == "SPIN":
        if shape[1:] != SPIN_SIZE[::-1]:
            logger.info("--rec_image_shape=%s: the reference reads SPIN folders at 32 x 100 whatever the flag says, "
                        "and so does this toolkit", ", ".join(map(str, shape)))
        resize = {"SPINRecResizeImg": {"image_shape": list(SPIN_SIZE), "interpolation": 1,
                                       "mean": [127.5], "std": [127.5]}}
        return {"algorithm": algorithm, "image_shape": [1, SPIN_SIZE[1], SPIN_SIZE[0]],
                "transform_ops": decode + [resize] + keep, "postprocess": {"name": "SPINLabelDecode"},
                "charset": {"scheme": "attn", "characters": characters, "lower": False, "max_text_length": max_text_length},
                # oneDNN fails on its SPIN graph at run time even without that pass (an f64 array attribute)
                "paddle_delete_passes": (), "paddle_onednn": False}
    return {"algorithm": algorithm, "image_shape": shape,
            "transform_ops": decode + [{"BatchRecResizeImg": {"image_shape": shape}}] + keep,
            "postprocess": {"name": "CTCLabelDecode"},
            "charset": {"scheme": "ctc", "characters": characters, "lower": False, "max_text_length": max_text_length},
            "paddle_delete_passes": (TPS_ONEDNN_PASS,), "paddle_onednn": None}


def summary(flags, from_yml=False):
    """One line saying how a reference folder is read: each flag's value, '(default)' when not given."""
    parts = []
    for name in DEFAULTS:
        value = flags.value(name)
        text = ", ".join(map(str, value)) if name == "rec_image_shape" else value
        if name == "rec_char_dict_path" and from_yml:
            text = "the characters of the folder's inference.yml"
        default = getattr(flags, name) is None and not (name == "rec_char_dict_path" and from_yml)
        parts.append(f"{name}={text}" + (" (default)" if default else ""))
    return ("a PaddleOCR inference folder, read from the flags as its predict_rec reads it: " + "; ".join(parts))


def check_flags(flags, info):
    """For an exported folder (``info``, a ``ModelInfo``): each description flag given must agree
    with its ``inference.yml``; a one-line UserError says which and how to fix it."""
    characters, algorithm, exported_shape = info.charset["characters"], info.algorithm, list(info.image_shape)
    if flags.rec_algorithm and algorithm and flags.rec_algorithm != algorithm:
        raise UserError(f"--rec_algorithm={flags.rec_algorithm!r} but the model in {info.model_dir!r} is {algorithm!r}: "
                        f"pass --rec_algorithm={algorithm} or leave the flag out")
    shape = list(flags.rec_image_shape) if flags.rec_image_shape else None
    if shape and exported_shape[0] == 1 and shape == [3, *exported_shape[1:]]:
        # the reference's SPIN command says 3 channels; its preprocessing, like this one, reads grey
        logger.info("--rec_image_shape=%s: the model reads one grey channel, so the images are read as %s",
                    ", ".join(map(str, shape)), ", ".join(map(str, exported_shape)))
    elif shape and shape != exported_shape:
        grey = " (one channel: the model reads grey images)" if exported_shape[0] == 1 else ""
        text = ", ".join(map(str, exported_shape))
        raise UserError(f"--rec_image_shape={shape} but the model was exported for {exported_shape}"
                        f'{grey}: pass --rec_image_shape="{text}" or leave the flag out')
    has_space = " " in characters
    if flags.rec_char_dict_path is not None:
        if not os.path.isfile(flags.rec_char_dict_path):
            raise UserError(f"--rec_char_dict_path={flags.rec_char_dict_path!r}: no such file "
                            "(a path relative to the current folder, e.g. ./ppocr/utils/dict/spin_dict.txt)")
        use_space = has_space if flags.use_space_char is None else flags.use_space_char
        chars = read_dict(flags.rec_char_dict_path, use_space_char=use_space)
        if chars != list(characters):
            raise UserError(f"--rec_char_dict_path={flags.rec_char_dict_path!r} has {len(chars)} characters "
                            f"but the model was trained with {len(characters)} other ones: pass the training dictionary")
    if flags.use_space_char is not None and flags.use_space_char != has_space:
        raise UserError(f"--use_space_char={flags.use_space_char} but the model's charset "
                        f"{'has' if has_space else 'has no'} space: pass --use_space_char={has_space}")
