"""ppocr/engine/predict_cli.py: every flag of predict_rec is checked. Booleans are True or False
(``--use_onnx=yes`` is refused like ``--use_space_char=Falsee``); ``--rec_image_shape`` must be the
exported shape, channels included (SPIN reads one grey channel)."""
import argparse
import types

import pytest

from ppocr.charset import charset_from_dict
from ppocr.engine.predict_cli import build_parser, check_flags, str2bool
from ppocr.errors import UserError


@pytest.mark.parametrize("text, value", [("True", True), ("true", True), ("TRUE", True), (" False ", False),
                                         ("false", False)])
def test_booleans_are_true_or_false_in_any_letter_case(text, value):
    assert str2bool(text) is value


@pytest.mark.parametrize("text", ["yes", "no", "y", "n", "1", "0", "t", "f", "Falsee", ""])
def test_anything_else_is_not_a_boolean(text):
    with pytest.raises(argparse.ArgumentTypeError, match=f"{text!r} is not a boolean: expected True or False"):
        str2bool(text)


def test_use_onnx_yes_is_refused_like_the_other_boolean_flags(capsys):
    for flag in ("--use_onnx", "--use_gpu", "--use_space_char", "--enable_mkldnn", "--benchmark"):
        with pytest.raises(SystemExit) as info:
            build_parser().parse_args(["--image_dir=x", "--rec_model_dir=y", f"{flag}=yes"])
        assert info.value.code == 2
        assert f"argument {flag}: 'yes' is not a boolean: expected True or False" in capsys.readouterr().err


def recognizer(shape, algorithm):
    charset = charset_from_dict({"scheme": "attn", "characters": list("abc"), "lower": True, "max_text_length": 25})
    return types.SimpleNamespace(image_shape=list(shape), algorithm=algorithm, charset=charset)


def flags(*argv):
    return build_parser().parse_args(["--image_dir=x", "--rec_model_dir=m", *argv])


def test_the_image_shape_must_be_the_exported_one_channels_included():
    spin = recognizer([1, 32, 100], "SPIN")
    check_flags(flags("--rec_image_shape=1, 32, 100"), spin)
    check_flags(flags(), spin)  # the flag left out: the exported preprocessing decides
    with pytest.raises(UserError) as info:
        check_flags(flags("--rec_image_shape=3, 32, 100"), spin)
    assert str(info.value) == ("--rec_image_shape=[3, 32, 100] but the model was exported for [1, 32, 100] (one "
                               'channel: the model reads grey images): pass --rec_image_shape="1, 32, 100" or leave '
                               "the flag out")
    with pytest.raises(UserError, match=r"exported for \[3, 32, 100\]: pass --rec_image_shape=\"3, 32, 100\""):
        check_flags(flags("--rec_image_shape=1, 32, 100"), recognizer([3, 32, 100], "STARNet"))
