"""Config loading and -o overrides."""
import pytest

from ppocr.config import apply_overrides, load_config, parse_value
from ppocr.errors import UserError


@pytest.fixture
def cfg_file(tmp_path):
    path = tmp_path / "c.yml"
    path.write_text("Global:\n  epoch_num: 3\n  pretrained_model:\nTrain:\n  dataset:\n    transforms:\n"
                    "      - RecResizeImg:\n          image_shape: [3, 32, 100]\n")
    return str(path)


def test_values_are_yaml_scalars_and_lists():
    assert parse_value("1e-3") == 0.001 or parse_value("1.0e-3") == 0.001
    assert parse_value("[3, 32, 100]") == [3, 32, 100]
    assert parse_value("False") is False
    assert parse_value("./out/x") == "./out/x"


def test_overrides_set_nested_keys_list_items_and_new_leaves(cfg_file):
    cfg = apply_overrides(load_config(cfg_file), [
        "Global.epoch_num=5", "Global.pretrained_model=w/best", "Global.new_key=1",
        "Train.dataset.transforms.0.RecResizeImg.image_shape=[1, 32, 128]",
    ])
    assert cfg["Global"]["epoch_num"] == 5
    assert cfg["Global"]["pretrained_model"] == "w/best"
    assert cfg["Global"]["new_key"] == 1
    assert cfg["Train"]["dataset"]["transforms"][0]["RecResizeImg"]["image_shape"] == [1, 32, 128]


@pytest.mark.parametrize("pair, words", [
    ("Global.epoch_num", "malformed -o option"),
    ("=3", "malformed -o option"),
    ("Globl.epoch_num=3", "section 'Globl' does not exist"),
    ("Train.dataset.transforms.7.X=1", "not an index"),
])
def test_bad_overrides_name_the_problem(cfg_file, pair, words):
    with pytest.raises(UserError, match=words):
        apply_overrides(load_config(cfg_file), [pair])


def test_python_tags_are_refused(tmp_path):
    path = tmp_path / "evil.yml"
    path.write_text("Global: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(UserError, match="tag that is not allowed"):
        load_config(str(path))


def test_missing_file(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        load_config(str(tmp_path / "nope.yml"))
