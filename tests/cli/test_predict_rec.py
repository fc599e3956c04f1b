"""ppocr/cli/predict_rec.py: every flag of predict_rec is checked. Booleans take the reference's
spellings (True/False, yes/no, y/n, t/f, 1/0; a spelling other than True or False is said on
screen) and nothing else (``--use_space_char=Falsee`` is refused); ``--rec_image_shape`` must be
the exported shape, except that SPIN's grey model takes the 3 channels of the reference's command."""
import argparse
import logging
import types

import pytest

from ppocr.cli.predict_flags import build_parser, read_booleans, str2bool
from ppocr.errors import UserError
from ppocr.export.reference_folder import ReferenceFlags, check_flags as check_description


@pytest.mark.parametrize("text, value", [("True", True), ("true", True), ("TRUE", True), (" False ", False),
                                         ("false", False)])
def test_booleans_are_true_or_false_in_any_letter_case(text, value):
    assert str2bool(text) is value


@pytest.mark.parametrize("text, value", [("yes", True), ("Y", True), ("1", True), ("t", True), ("no", False),
                                         ("n", False), ("0", False), ("F", False)])
def test_the_references_other_spellings_are_read_as_it_reads_them(text, value):
    assert str2bool(text) is value


@pytest.mark.parametrize("text", ["Falsee", "Ture", "maybe", "2", ""])
def test_anything_else_is_not_a_boolean(text):
    with pytest.raises(argparse.ArgumentTypeError, match=f"{text!r} is not a boolean: expected True or False"):
        str2bool(text)


def test_use_onnx_yes_is_read_as_true_and_said_once(caplog):
    args = build_parser().parse_args(["--image_dir=x", "--rec_model_dir=y", "--use_onnx=yes", "--use_gpu=False"])
    with caplog.at_level(logging.INFO, logger="ppocr"):
        read_booleans(args)
    assert args.use_onnx is True and args.use_gpu is False and args.benchmark is False
    assert caplog.messages == ["--use_onnx=yes read as True"]  # True and False need no word


def test_a_word_that_is_no_boolean_stops_every_boolean_flag(capsys):
    for flag in ("--use_onnx", "--use_gpu", "--use_space_char", "--enable_mkldnn", "--benchmark"):
        with pytest.raises(SystemExit) as info:
            build_parser().parse_args(["--image_dir=x", "--rec_model_dir=y", f"{flag}=Falsee"])
        assert info.value.code == 2
        assert f"argument {flag}: 'Falsee' is not a boolean: expected True or False" in capsys.readouterr().err


def recognizer(shape, algorithm):
    """What ``check_flags`` reads of an exported folder's ``ModelInfo``."""
    charset = {"scheme": "attn", "characters": list("abc"), "lower": True, "max_text_length": 25}
    return types.SimpleNamespace(image_shape=list(shape), algorithm=algorithm, charset=charset, model_dir="m")


def flags(*argv):
    return build_parser().parse_args(["--image_dir=x", "--rec_model_dir=m", *argv])


def check_flags(args, info):
    """The description flags of ``args`` checked against the folder, as TextRecognizer checks them."""
    check_description(ReferenceFlags(rec_algorithm=args.rec_algorithm, rec_image_shape=args.rec_image_shape,
                                     rec_char_dict_path=args.rec_char_dict_path, use_space_char=args.use_space_char),
                      info)


def test_the_image_shape_must_be_the_exported_one(caplog):
    spin = recognizer([1, 32, 100], "SPIN")
    check_flags(flags("--rec_image_shape=1, 32, 100"), spin)
    check_flags(flags(), spin)  # the flag left out: the exported preprocessing decides
    # the reference's SPIN command says 3 channels: read grey, as the reference reads it, and say so
    with caplog.at_level(logging.INFO, logger="ppocr"):
        check_flags(flags("--rec_image_shape=3, 32, 100"), spin)
    assert caplog.messages == ["--rec_image_shape=3, 32, 100: the model reads one grey channel, so the images are "
                               "read as 1, 32, 100"]
    with pytest.raises(UserError) as info:
        check_flags(flags("--rec_image_shape=3, 48, 160"), spin)
    assert str(info.value) == ("--rec_image_shape=[3, 48, 160] but the model was exported for [1, 32, 100] (one "
                               'channel: the model reads grey images): pass --rec_image_shape="1, 32, 100" or leave '
                               "the flag out")
    with pytest.raises(UserError, match=r"exported for \[3, 32, 100\]: pass --rec_image_shape=\"3, 32, 100\""):
        check_flags(flags("--rec_image_shape=1, 32, 100"), recognizer([3, 32, 100], "STARNet"))


def test_max_image_pixels_flag_sets_the_limit_and_0_switches_it_off(tmp_path, capsys):
    from ppocr.cli.predict_rec import main
    from tests.helpers.e2e import REPO
    from tests.helpers.tiny import word_png

    image = tmp_path / "a.png"
    image.write_bytes(word_png("abc"))  # 100 x 32 pixels
    model = str(REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "inference")
    args = ["--image_dir", str(image), "--rec_model_dir", model]
    with pytest.raises(UserError, match="none of the 1 images"):
        main(args + ["--max_image_pixels", "3199"])
    assert "more than max_image_pixels=3199" in capsys.readouterr().out
    [(path, result)] = main(args + ["--max_image_pixels", "0"])
    assert isinstance(result, tuple) and path == str(image)
    with pytest.raises(UserError, match="--max_image_pixels=-1: expected a number of pixels, or 0 for no limit"):
        main(args + ["--max_image_pixels", "-1"])
