"""ppocr/data/preprocess.py: the preprocessing shared by infer_rec and predict_rec comes from the
Eval transforms without label ops; image listing names what it leaves out."""
import numpy as np
import pytest

from ppocr.config import load_config
from ppocr.data.preprocess import Preprocessor, image_transforms, list_images
from ppocr.errors import UserError
from tests.helpers.e2e import REPO
from tests.helpers.tiny import word_png


def test_the_eval_transforms_without_labels_make_the_model_input():
    ops = image_transforms(load_config(str(REPO / "configs" / "rec" / "rec_r32_gaspin_bilstm_att.yml")))
    names = [next(iter(op)) for op in ops]
    assert names == ["DecodeImage", "SPINRecResizeImg", "KeepKeys"]
    preprocess = Preprocessor(ops)
    image = preprocess(word_png("abc"))
    assert image.shape == (1, 32, 100) and image.dtype == np.float32 and preprocess.output_shape == [1, 32, 100]


def test_label_ops_are_left_out_by_what_they_declare_not_by_their_name():
    from ppocr.data.imaug.label_ops import CTCLabelEncode
    from ppocr.registry import DATA_OPS

    DATA_OPS.register("Targets")(CTCLabelEncode)  # a label encoder whose name does not say so
    try:
        ops = image_transforms({"Eval": {"dataset": {"transforms": [
            {"DecodeImage": {"img_mode": "BGR"}}, {"Targets": None}, {"RecResizeImg": {"image_shape": [3, 32, 100]}},
            {"KeepKeys": {"keep_keys": ["image", "label"]}}]}}})
    finally:
        DATA_OPS._classes.pop("Targets")
    assert [next(iter(op)) for op in ops] == ["DecodeImage", "RecResizeImg", "KeepKeys"]


def test_listing_sorts_images_and_reports_the_rest(tmp_path, caplog):
    for name in ("b.png", "a.JPG", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    assert list_images(str(tmp_path)) == [str(tmp_path / "a.JPG"), str(tmp_path / "b.png")]
    assert "notes.txt" in caplog.text
    assert list_images(str(tmp_path / "b.png")) == [str(tmp_path / "b.png")]
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="holds no images"):
        list_images(str(tmp_path / "empty"))
    with pytest.raises(UserError, match="neither an image file nor a folder"):
        list_images(str(tmp_path / "nowhere"))


def test_a_sub_folder_is_named_not_passed_over(tmp_path, caplog):
    (tmp_path / "a.png").write_bytes(b"x")
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "b.png").write_bytes(b"x")
    assert list_images(str(tmp_path)) == [str(tmp_path / "a.png")]
    assert "skipping 1 sub-folders" in caplog.text and str(tmp_path / "more") in caplog.text
