"""The page's model summary and rectified pictures without a browser: the shipped folder can draw
(its config.yml names weights that are here), a copy without config.yml, or served from another
folder so that the weights it names are not found, says why not; the picture is the one
tools/vis_rectify.py draws, without its reading column."""
import shutil

import cv2
import numpy as np
import pytest

from ppocr.errors import UserError
from ppocr.export.model_folder import read_model_info
from ppocr.inference.image_input import TooManyPixels, UnreadableImage
from ppocr.serving.page import RectifyView, display_name, model_summary
from tests.helpers.e2e import REPO

SHIPPED = REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "inference"
SAMPLE = REPO / "doc" / "imgs_words_en" / "word_10.png"


def test_the_summary_names_the_model_and_its_dictionary(monkeypatch):
    monkeypatch.chdir(REPO)
    summary = model_summary(str(SHIPPED), "onnxruntime", RectifyView(str(SHIPPED)))
    assert summary["name"] == "rec_mv3_tps_bilstm_ctc_synth/inference" == display_name(read_model_info(SHIPPED))
    assert summary["algorithm"] == "STARNet" and summary["rectifier"] is True and summary["rectifier_note"] == ""
    assert "".join(summary["characters"]) == "0123456789abcdefghijklmnopqrstuvwxyz"


def test_the_rectified_picture_is_vis_rectifys_two_columns(monkeypatch):
    monkeypatch.chdir(REPO)
    picture = cv2.imdecode(np.frombuffer(RectifyView(str(SHIPPED)).png(SAMPLE.read_bytes()), np.uint8), cv2.IMREAD_COLOR)
    # two 32x100 tiles at scale 2 (200 pixels wide each) and a gap; no reading column
    assert picture.shape[1] == 2 * 200 + 4 and picture.shape[0] > 64
    with pytest.raises(UnreadableImage, match="undecodable image"):  # the service answers 400, as for /predict
        RectifyView(str(SHIPPED)).png(b"not an image")
    small = cv2.imencode(".png", np.zeros([40, 100, 3], np.uint8))[1].tobytes()
    with pytest.raises(TooManyPixels, match="100 x 40 = 4000, more than max_image_pixels=3999"):
        RectifyView(str(SHIPPED), max_image_pixels=3999).png(small)


def test_without_config_yml_or_its_weights_the_page_says_why(tmp_path, monkeypatch):
    copy = tmp_path / "model"
    shutil.copytree(SHIPPED, copy)
    monkeypatch.chdir(tmp_path)  # the weights config.yml names are relative to the repository: not found here
    available, why = RectifyView(str(copy)).availability()
    assert not available and "are not here" in why and "rec_mv3_tps_bilstm_ctc_synth/best_accuracy" in why
    (copy / "config.yml").unlink()
    view = RectifyView(str(copy))
    assert view.availability() == (False, "the model folder has no config.yml (tools/export_model.py writes it)")
    with pytest.raises(UserError, match="no config.yml"):
        view.png(SAMPLE.read_bytes())
