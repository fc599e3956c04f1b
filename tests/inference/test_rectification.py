"""The rectification grid: written, decodes, one row per image; SPIN adds the colour-transformed column;
the images are read through the inference pipeline (an unreadable one is left out and named)."""
from pathlib import Path

import cv2
import numpy as np
import paddle
import pytest

from ppocr.config import load_config
from ppocr.errors import UserError
from ppocr.inference.pipeline import dygraph_pipeline
from ppocr.inference.rectification import (
    HEADER,
    TEXT_WIDTH,
    compose_grid,
    rectify,
    visualize_rectification,
)
from ppocr.trained_model.from_config import build_charset, build_model
from ppocr.trained_model.from_config import TrainedModel

REPO = Path(__file__).resolve().parents[2]
IMAGES = [str(REPO / "doc" / "imgs_words_en" / f"word_{n}.png") for n in (3, 10)]


def built(name):
    config = load_config(str(REPO / "configs" / "rec" / name))
    paddle.seed(0)
    charset = build_charset(config)
    return config, TrainedModel(config, charset, build_model(config, charset))


@pytest.mark.parametrize("name, image_columns", [("demo_mv3_tps_bilstm_ctc.yml", 2), ("rec_r32_gaspin_bilstm_att.yml", 3)])
def test_grid_is_a_valid_png_with_a_row_per_image(tmp_path, name, image_columns):
    _, recognizer = built(name)
    out = tmp_path / "grid.png"
    readings = visualize_rectification(dygraph_pipeline(recognizer), IMAGES, str(out), scale=2)
    assert [r[0] for r in readings] == IMAGES
    img = cv2.imread(str(out), flags=cv2.IMREAD_COLOR)
    assert img is not None
    tile_h, tile_w, gap = 64, 200, 4  # 32x100 inputs at scale 2
    assert img.shape[0] == HEADER + len(IMAGES) * tile_h + (len(IMAGES) - 1) * gap
    assert image_columns * (tile_w + gap) + TEXT_WIDTH <= img.shape[1] < (image_columns + 1) * (tile_w + gap) + TEXT_WIDTH
    assert img.std() > 10


@pytest.mark.parametrize("name, keys", [("demo_mv3_tps_bilstm_ctc.yml", {"rectified", "fiducials"}),
                                        ("rec_r32_gaspin_bilstm_att.yml", {"rectified", "fiducials", "colour"})])
def test_probe_catches_the_intermediates_and_leaves_no_hook(name, keys):
    _, recognizer = built(name)
    model = recognizer.model
    model.eval()
    shape = [1, 32, 100] if "gaspin" in name else [3, 32, 100]
    images = list(np.random.default_rng(0).uniform(-1, 1, size=[2, *shape]).astype("float32"))
    readings, caught = rectify(dygraph_pipeline(recognizer), images)
    assert len(readings) == len(caught) == 2 and all(set(c) == keys for c in caught)
    assert caught[1]["fiducials"].shape == (20, 2) and caught[1]["rectified"].shape == tuple(shape)
    with paddle.no_grad():
        again = model.transform(paddle.to_tensor(np.stack(images))).numpy()
    for k in range(2):  # each image's own intermediates, in order
        np.testing.assert_allclose(again[k], caught[k]["rectified"], rtol=1e-5, atol=1e-5)
    assert readings == recognizer.postprocess(model(paddle.to_tensor(np.stack(images))))
    assert not model.transform._forward_post_hooks  # the probe's hooks were removed


def test_compose_grid_pads_unequal_tiles():
    tiles = [[np.zeros((10, 20, 3), np.uint8), np.zeros((8, 5, 3), np.uint8)],
             [np.zeros((10, 7, 3), np.uint8), np.zeros((10, 30, 3), np.uint8)]]
    grid = compose_grid(tiles, ["", ""], gap=2)
    assert grid.shape == (HEADER + 10 + 2 + 10, 20 + 2 + 30, 3)
    titled = compose_grid(tiles, ["a long column title", ""], gap=2)
    assert titled.shape[1] > grid.shape[1]  # the title widens its column, header and rows alike


def test_a_model_without_rectifier_is_a_user_error(tmp_path):
    config, _ = built("demo_mv3_tps_bilstm_ctc.yml")
    config["Architecture"].pop("Transform")
    charset = build_charset(config)
    with pytest.raises(UserError, match="no rectifier"):
        visualize_rectification(dygraph_pipeline(TrainedModel(config, charset, build_model(config, charset))), IMAGES,
                                str(tmp_path / "g.png"))


def test_an_unreadable_image_is_named_and_left_out(tmp_path, caplog):
    _, recognizer = built("demo_mv3_tps_bilstm_ctc.yml")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    readings = visualize_rectification(dygraph_pipeline(recognizer), [IMAGES[0], str(broken)], str(tmp_path / "g.png"))
    assert [r[0] for r in readings] == [IMAGES[0]]
    assert f"skipped {broken}: undecodable image" in caplog.text
    with pytest.raises(UserError, match="none of the 1 images could be read"):
        visualize_rectification(dygraph_pipeline(recognizer), [str(broken)], str(tmp_path / "g.png"))
