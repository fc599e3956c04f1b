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
        "Global.epoch_num=5", "Global.pretrained_model=w/best", "+Global.new_key=1",
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
    ("Global.epoch_nun=3", r"Global has no key 'epoch_nun' .*did you mean epoch_num\?.*-o \+Global.epoch_nun=\.\.\."),
    ("Train.datset=x", "did you mean dataset"),
    ("Trian=1", "did you mean Train"),
])
def test_bad_overrides_name_the_problem(cfg_file, pair, words):
    with pytest.raises(UserError, match=words):
        apply_overrides(load_config(cfg_file), [pair])


def test_new_keys_the_engine_or_a_component_reads_are_accepted(cfg_file):
    cfg = load_config(cfg_file)
    cfg["Architecture"] = {"Backbone": {"name": "MobileNetV3", "scale": 0.5}}
    cfg = apply_overrides(cfg, [
        "Global.seed=7",  # read by the engine, absent from this config
        "Train.dataset.transforms.0.RecResizeImg.padding=True",  # a data op's option: its registry checks it
        "Architecture.Backbone.model_name=small",  # a component's option (a section with a name)
    ])
    assert cfg["Global"]["seed"] == 7
    assert cfg["Train"]["dataset"]["transforms"][0]["RecResizeImg"]["padding"] is True
    assert cfg["Architecture"]["Backbone"]["model_name"] == "small"


@pytest.mark.subprocess_tools
def test_the_misspelt_key_of_the_issue_stops_train_py(repo_root):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "tools/train.py", "-c", "configs/rec/rec_mv3_tps_bilstm_ctc.yml",
                           "-o", "Global.epoch_nun=3"], cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: -o Global.epoch_nun: Global has no key 'epoch_nun' and the engine reads none of that name "
        "(did you mean epoch_num? to add a new key on purpose, write -o +Global.epoch_nun=...)"]


def test_python_tags_are_refused(tmp_path):
    path = tmp_path / "evil.yml"
    path.write_text("Global: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(UserError, match="tag that is not allowed"):
        load_config(str(path))


def test_missing_file(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        load_config(str(tmp_path / "nope.yml"))


def test_a_key_is_deleted_with_a_tilde(cfg_file):
    cfg = apply_overrides(load_config(cfg_file), ["~Global.pretrained_model", "~Train.dataset.transforms.0"])
    assert "pretrained_model" not in cfg["Global"] and cfg["Train"]["dataset"]["transforms"] == []
    with pytest.raises(UserError, match=r"-o ~Global.pretrained_modle: there is no key 'pretrained_modle' to delete"):
        apply_overrides(load_config(cfg_file), ["~Global.pretrained_modle"])
    with pytest.raises(UserError, match="malformed -o option '~Global.epoch_num=3'"):
        apply_overrides(load_config(cfg_file), ["~Global.epoch_num=3"])


SPIN = "configs/rec/rec_r32_gaspin_bilstm_att.yml"


def test_a_changed_component_name_drops_the_files_options_the_new_one_does_not_take(repo_root, tmp_path):
    import ppocr.data.lmdb_dataset  # noqa: F401  (registers the datasets)
    import ppocr.data.simple_dataset  # noqa: F401
    from ppocr.data import build_dataset
    from ppocr.synth import generate
    from ppocr.trained_model.from_config import build_charset

    generate(2, seed=3, lmdb_dir=str(tmp_path / "lmdb"))
    notices = []
    cfg = apply_overrides(load_config(str(repo_root / SPIN)),
                          ["Train.dataset.name=LMDBDataSet", f"Train.dataset.data_dir={tmp_path / 'lmdb'}"], notices)
    assert "label_file_list" not in cfg["Train"]["dataset"] and "label_file_list" in cfg["Eval"]["dataset"]
    assert notices == ["-o Train.dataset.name=LMDBDataSet: dropped label_file_list of SimpleDataSet from the config "
                       "(LMDBDataSet does not take it)"]
    assert len(build_dataset(cfg, "Train", build_charset(cfg))) == 2


def test_an_option_the_user_typed_stays_an_error_after_a_name_change(repo_root):
    import ppocr.data.lmdb_dataset  # noqa: F401
    import ppocr.data.simple_dataset  # noqa: F401
    from ppocr.data import build_dataset
    from ppocr.trained_model.from_config import build_charset

    notices = []
    cfg = apply_overrides(load_config(str(repo_root / SPIN)), [
        "Train.dataset.label_file_list=[a.txt]", "Train.dataset.name=LMDBDataSet"], notices)
    assert cfg["Train"]["dataset"]["label_file_list"] == ["a.txt"] and notices == []
    with pytest.raises(UserError, match="dataset LMDBDataSet has no option 'label_file_list'"):
        build_dataset(cfg, "Train", build_charset(cfg))


def test_a_name_change_keeps_what_both_take_and_what_the_builder_reads(repo_root):
    import ppocr.optimizer  # noqa: F401  (registers the optimizers)

    notices = []
    cfg = apply_overrides(load_config(str(repo_root / SPIN)), ["Optimizer.name=Momentum"], notices)
    # Momentum takes neither beta; lr and clip_norm are read by the optimizer's builder, not by AdamW
    assert {k for k in cfg["Optimizer"]} == {"name", "lr", "clip_norm"}
    assert notices == ["-o Optimizer.name=Momentum: dropped beta1, beta2 of AdamW from the config "
                       "(Momentum does not take them)"]
