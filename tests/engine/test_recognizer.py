"""ppocr/engine/recognizer.py: the one place that turns a config into a trained recogniser, and
infer_rec's loop (every image named, unreadable ones skipped, none readable an error)."""
import paddle
import pytest

from ppocr.config import merge_config
from ppocr.data import SkipSample
from ppocr.engine.components import build_model
from ppocr.engine.recognizer import Recognizer, infer_images, weights_of
from ppocr.errors import UserError
from tests.e2e import REPO
from tests.parity import decisive_weights
from tests.tiny import CONFIG, word_png


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    path = tmp_path_factory.mktemp("recognizer") / "w"
    model = decisive_weights(build_model(merge_config(str(REPO / CONFIG))))
    paddle.save(model.state_dict(), f"{path}.pdparams")
    return str(path)


def test_checkpoints_win_over_pretrained_weights_and_none_is_an_error():
    assert weights_of({"Global": {"checkpoints": "a/latest", "pretrained_model": "b/best"}}) == "a/latest"
    assert weights_of({"Global": {"pretrained_model": "b/best"}}) == "b/best" and weights_of({}) is None
    with pytest.raises(UserError, match="no weights given: set -o Global.pretrained_model"):
        Recognizer.from_config(merge_config(str(REPO / CONFIG)))


def test_reads_in_order_and_names_what_it_cannot_read(weights):
    rec = Recognizer.from_config(merge_config(str(REPO / CONFIG), [f"Global.pretrained_model={weights}"]))
    assert not rec.model.training and rec.charset.num_classes == 37
    images = [word_png("abc"), b"not an image", word_png("hello")]
    results = rec.read(images)
    assert isinstance(results[1], SkipSample) and results[1].reason == "undecodable image"
    alone = rec.read([images[0]]) + rec.read([images[2]])
    # a batch reads each image as it reads it alone (the scores up to float rounding)
    assert [text for text, _ in (results[0], results[2])] == [text for text, _ in alone]
    assert [score for _, score in (results[0], results[2])] == pytest.approx([score for _, score in alone], rel=1e-5)


def test_infer_images_writes_the_results_file(weights, tmp_path, capsys):
    folder = tmp_path / "images"
    folder.mkdir()
    (folder / "a.png").write_bytes(word_png("abc"))
    (folder / "b.png").write_bytes(b"")
    out = tmp_path / "res.txt"
    config = merge_config(str(REPO / CONFIG), [f"Global.pretrained_model={weights}", f"Global.infer_img={folder}",
                                               f"Global.save_res_path={out}"])
    lines = infer_images(config)
    printed = capsys.readouterr().out
    assert "skipped: undecodable image" in printed and len(lines) == 1
    assert out.read_text().splitlines()[0].startswith(str(folder / "a.png") + "\t")
