"""ppocr/cli/infer_rec.py: infer_rec's loop over the inference pipeline with the dygraph model:
every image named, unreadable ones skipped with their reason, the results file written, none
readable an error."""
import pytest

from ppocr.cli.infer_rec import infer_images
from ppocr.config import merge_config
from ppocr.errors import UserError
from tests.helpers.e2e import REPO
from tests.helpers.parity import save_decisive_weights
from tests.helpers.tiny import CONFIG, word_png


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    return save_decisive_weights(tmp_path_factory.mktemp("infer_cli"), merge_config(str(REPO / CONFIG)))


def config_for(weights, images, out):
    return merge_config(str(REPO / CONFIG), [f"Global.pretrained_model={weights}", f"Global.infer_img={images}",
                                             f"Global.save_res_path={out}"])


def test_infer_images_writes_the_results_file(weights, tmp_path, capsys):
    folder = tmp_path / "images"
    folder.mkdir()
    (folder / "a.png").write_bytes(word_png("abc"))
    (folder / "b.png").write_bytes(b"")
    (folder / "c.png").write_bytes(word_png("hello"))
    out = tmp_path / "res.txt"
    lines = infer_images(config_for(weights, folder, out), batch_size=2)
    printed = capsys.readouterr().out
    assert printed.count("infer_img: ") == 3 and "skipped: undecodable image" in printed and len(lines) == 2
    written = out.read_text().splitlines()
    assert [line.split("\t")[0] for line in written] == [str(folder / "a.png"), str(folder / "c.png")]
    assert all(0.0 <= float(line.split("\t")[2]) <= 1.0 for line in written)


def test_none_readable_is_a_user_error(weights, tmp_path):
    folder = tmp_path / "images"
    folder.mkdir()
    (folder / "a.png").write_bytes(b"not an image")
    with pytest.raises(UserError, match="none of the images of Global.infer_img"):
        infer_images(config_for(weights, folder, tmp_path / "res.txt"))


def test_global_max_image_pixels_sets_the_limit_and_0_switches_it_off(weights, tmp_path, capsys):
    image = tmp_path / "a.png"
    image.write_bytes(word_png("abc"))  # 100 x 32 pixels
    small = config_for(weights, image, tmp_path / "res.txt")
    small["Global"]["max_image_pixels"] = 3199
    with pytest.raises(UserError, match="none of the images"):
        infer_images(small)
    assert "more than max_image_pixels=3199" in capsys.readouterr().out
    small["Global"]["max_image_pixels"] = 0
    assert len(infer_images(small)) == 1
