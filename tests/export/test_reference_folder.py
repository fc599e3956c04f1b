"""ppocr/export/reference_folder.py: a PaddleOCR inference folder (no inference.yml of this toolkit)
is described from predict_rec's flags as PaddleOCR describes it, and this toolkit's predict_rec
then prints exactly the strings PaddleOCR's predict_rec prints on it: the MobileNetV3 STAR-Net
folder PaddleOCR's own export made of the shipped weights, in its PIR (.json) and old (.pdmodel)
graph formats, at three batch sizes (PaddleOCR's readings depend on the batch), recorded in
tests/fixtures/paddleocr_rec_mv3_tps_bilstm_ctc/reference_output.json."""
import json
import logging
import os
import shutil

import pytest
import yaml

from ppocr.cli.predict_rec import main as predict_rec
from ppocr.data.preprocess import list_images
from ppocr.errors import UserError
from ppocr.export.model_folder import read_model_info
from ppocr.export.reference_folder import ReferenceFlags, describe, is_reference_info
from ppocr.inference.predictor import TextRecognizer
from tests.helpers.e2e import REPO

FOLDER = REPO / "tests" / "fixtures" / "paddleocr_rec_mv3_tps_bilstm_ctc"
EXPECTED = json.loads((FOLDER / "reference_output.json").read_text())
SHIPPED = REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "inference"
IC15 = "./ppocr/utils/ic15_dict.txt"
SPIN_DICT = "./ppocr/utils/dict/spin_dict.txt"


def published(tmp_path, graph):
    """A folder as PaddleOCR publishes it: one graph file and the weights, nothing else."""
    folder = tmp_path / graph.replace(".", "_")
    folder.mkdir()
    for name in (graph, "inference.pdiparams"):
        (folder / name).symlink_to(FOLDER / name)
    return folder


# oneDNN (on by default here, with the pass that breaks the graph deleted) rounds otherwise than the
# plain kernels PaddleOCR's predict_rec must run this graph with; with those the scores agree to 1e-6
TOLERANCE = {None: 1e-3, False: 1e-5}


@pytest.mark.parametrize("graph, enable_mkldnn", [("inference.json", None), ("inference.pdmodel", None),
                                                   ("inference.json", False)])
def test_the_readings_are_paddleocrs_at_every_batch_size(graph, enable_mkldnn, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)  # the recorded runs name the images as PaddleOCR's predict_rec was given them
    rec = TextRecognizer(str(published(tmp_path, graph)), backend="paddle", cpu_threads=2, enable_mkldnn=enable_mkldnn,
                         rec_image_shape=[3, 32, 100], rec_char_dict_path=IC15)
    assert rec.info.reference and rec.algorithm == "SVTR_LCNet"  # PaddleOCR's default, read as STAR-Net is
    for run in EXPECTED["runs"]:
        rec.batch_size = run["rec_batch_num"]
        paths = list_images(run["image_dir"])
        readings = dict(zip((os.path.basename(p) for p in paths), rec(paths)))
        assert {name: text for name, (text, _) in readings.items()} == \
            {name: r["text"] for name, r in run["readings"].items()}, run["rec_batch_num"]
        for name, r in run["readings"].items():
            assert readings[name][1] == pytest.approx(r["score"], abs=TOLERANCE[enable_mkldnn]), name
    words = {run["rec_batch_num"]: run["readings"]["word_4.png"]["text"] for run in EXPECTED["runs"]
             if "word_4.png" in run["readings"]}
    assert words[1] == "coordinate" and words[6] == "cordinate"  # the recorded output is batch-dependent


def test_predict_rec_prints_them_from_a_paddleocr_users_command(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    folder = published(tmp_path, "inference.json")
    predict_rec(["--image_dir=./doc/imgs_words_en/", f"--rec_model_dir={folder}", "--rec_image_shape=3, 32, 100",
                 f"--rec_char_dict_path={IC15}", "--cpu_threads=2"])
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Predicts of")]
    (run,) = [r for r in EXPECTED["runs"] if r["rec_batch_num"] == 6 and r["image_dir"].endswith("/")]
    assert [line.rsplit(",", 1)[0] for line in printed] == \
        [f"Predicts of ./doc/imgs_words_en/{name}:('{r['text']}'" for name, r in run["readings"].items()]


def test_a_dictionary_shorter_than_the_model_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    (tmp_path / "digits.txt").write_text("\n".join("0123456789") + "\n")
    rec = TextRecognizer(str(published(tmp_path, "inference.json")), backend="paddle", cpu_threads=2,
                         rec_image_shape=[3, 32, 100], rec_char_dict_path=str(tmp_path / "digits.txt"))
    with pytest.raises(UserError, match=r"the model outputs 37 classes but the charset has 12 \(11 characters and 1 "
                                        r"special tokens\): give the dictionary the model was trained with"):
        rec("doc/imgs_words_en/word_336.png")


def test_the_description_follows_paddleocrs_flags_and_defaults(caplog):
    with caplog.at_level(logging.INFO, logger="ppocr"):
        ctc = describe(ReferenceFlags(rec_char_dict_path=IC15))
    assert ctc["algorithm"] == "SVTR_LCNet" and ctc["image_shape"] == [3, 48, 320]  # its defaults
    assert ctc["transform_ops"][1] == {"BatchRecResizeImg": {"image_shape": [3, 48, 320]}}
    assert ctc["postprocess"] == {"name": "CTCLabelDecode"} and ctc["charset"]["scheme"] == "ctc"
    assert ctc["charset"]["characters"] == list("0123456789abcdefghijklmnopqrstuvwxyz ")  # its use_space_char: True
    assert ctc["paddle_delete_passes"] == ("operator_reshape_onednn_fuse_pass",) and ctc["paddle_onednn"] is None
    assert caplog.messages == ["a PaddleOCR inference folder, read from the flags as its predict_rec reads it: "
                               "rec_algorithm=SVTR_LCNet (default); rec_image_shape=3, 48, 320 (default); "
                               f"rec_char_dict_path={IC15}; use_space_char=True (default); max_text_length=25 (default)"]
    spin = describe(ReferenceFlags(rec_algorithm="SPIN", rec_image_shape=[3, 32, 100], rec_char_dict_path=SPIN_DICT,
                                   use_space_char=False))
    assert spin["image_shape"] == [1, 32, 100] and spin["charset"]["scheme"] == "attn"
    # grey, 100 x 32, linear: what PaddleOCR's cv2.resize call does (its cubic flag lands in dst)
    assert spin["transform_ops"][1] == {"SPINRecResizeImg": {"image_shape": [100, 32], "interpolation": 1,
                                                             "mean": [127.5], "std": [127.5]}}
    assert spin["postprocess"] == {"name": "SPINLabelDecode"} and spin["paddle_onednn"] is False
    assert " " not in spin["charset"]["characters"]


def test_what_cannot_be_read_is_one_line():
    with pytest.raises(UserError, match="--rec_algorithm=SAR: this toolkit reads PaddleOCR folders of SPIN and of"):
        describe(ReferenceFlags(rec_algorithm="SAR", rec_char_dict_path=IC15))
    with pytest.raises(UserError) as info:
        describe(ReferenceFlags())
    assert "the reference's default './ppocr/utils/ppocr_keys_v1.txt' is not here: pass the dictionary" in str(info.value)


def test_a_paddleocr_inference_yml_is_its_and_gives_the_characters(tmp_path):
    folder = published(tmp_path, "inference.json")
    theirs = {"PreProcess": {"transform_ops": [{"DecodeImage": {"img_mode": "BGR"}}]},
              "PostProcess": {"name": "CTCLabelDecode", "character_dict": list("0123456789abcdefghijklmnopqrstuvwxyz")}}
    (folder / "inference.yml").write_text(yaml.safe_dump(theirs))
    assert is_reference_info(theirs) and not is_reference_info(yaml.safe_load((SHIPPED / "inference.yml").read_text()))
    info = read_model_info(folder, ReferenceFlags(rec_image_shape=[3, 32, 100], use_space_char=False))
    assert info.reference and info.charset["characters"] == theirs["PostProcess"]["character_dict"]
    # this toolkit's own folder is never read as PaddleOCR's, even without its format_version
    ours = tmp_path / "ours"
    shutil.copytree(SHIPPED, ours, ignore=shutil.ignore_patterns("inference.onnx"))
    mine = yaml.safe_load((ours / "inference.yml").read_text())
    mine.pop("format_version")
    (ours / "inference.yml").write_text(yaml.safe_dump(mine))
    assert not read_model_info(ours).reference


def test_a_folder_with_neither_file_says_what_it_needs(tmp_path):
    with pytest.raises(UserError, match="a PaddleOCR inference folder holds inference.json or inference.pdmodel "
                                        "and inference.pdiparams instead"):
        read_model_info(tmp_path)
