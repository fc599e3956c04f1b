"""ppocr/global_settings.py: Global parsed once into a typed, frozen object with its defaults in one place;
an unknown key of a config file is refused like an unknown -o key; the reference-only keys load."""
import dataclasses

import pytest

from ppocr import global_settings
from ppocr.charset import Charset
from ppocr.config import load_config, merge_config
from ppocr.errors import UserError
from ppocr.global_settings import GlobalSettings


def test_defaults_for_what_the_config_leaves_out_and_values_normalised():
    s = GlobalSettings.of({"Global": {"epoch_num": 10.0, "eval_batch_step": [500, 100], "checkpoints": None}})
    assert s.epoch_num == 10 and isinstance(s.epoch_num, int)
    assert s.eval_batch_step == (500, 100) and s.eval_schedule == (500, 100)
    assert (s.checkpoints, s.seed, s.max_text_length, s.save_model_dir) == (None, 1024, 25, "./output/rec/")
    assert GlobalSettings.of({}).eval_schedule == (0, 2000) and GlobalSettings.of({"Global": None}).epoch_num == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.epoch_num = 3


def test_the_charset_takes_its_default_text_length_from_the_settings():
    import inspect

    assert inspect.signature(Charset).parameters["max_text_length"].default == GlobalSettings.max_text_length == 25


@pytest.mark.parametrize("key, value, message", [
    ("epoch_num", "ten", "Global.epoch_num must be a positive integer, got 'ten'"),
    ("device", "tpu:0", "Global.device must be cpu, gpu or gpu:N"),
    ("cpu_replicas", 0, "Global.cpu_replicas must be auto or a positive integer"),
])
def test_a_wrong_value_names_the_key(key, value, message):
    with pytest.raises(UserError, match=message):
        GlobalSettings.of({"Global": {key: value}})


def test_an_unknown_key_of_a_config_file_is_refused_like_an_unknown_override(tmp_path):
    path = tmp_path / "typo.yml"
    path.write_text("Global:\n  epoch_nun: 3\n")
    with pytest.raises(UserError, match=r"config '.*typo.yml': Global has no key 'epoch_nun' and the engine reads "
                                        r"none of that name \(did you mean epoch_num\? fix or remove it in the file\)"):
        merge_config(str(path))
    path.write_text("Global:\n  epoch_num: 3\nTrain:\n  loader:\n    batch_size: 8\n")
    with pytest.raises(UserError, match="Train.loader has no key 'batch_size'"):
        merge_config(str(path))
    path.write_text("Global:\n  epoch_num: 3\nOptimiser:\n  name: Adam\n")
    with pytest.raises(UserError, match="the top level has no key 'Optimiser'.*did you mean Optimizer"):
        merge_config(str(path))
    assert load_config(str(path))["Optimiser"] == {"name": "Adam"}  # reading YAML alone checks nothing


def test_reference_only_keys_load_and_a_key_added_on_purpose_is_kept(tmp_path):
    path = tmp_path / "ref.yml"
    path.write_text("Global:\n  use_visualdl: False\n  infer_mode: False\n")
    config = merge_config(str(path), ["+Global.my_note=hello"])
    assert config["Global"]["my_note"] == "hello" and GlobalSettings.of(config).epoch_num == 1
    assert global_settings.keys() >= {"use_visualdl", "infer_mode", "epoch_num", "cpu_replicas"}


def test_every_key_is_documented_once():
    rows = global_settings.describe().splitlines()
    assert len(rows) == len(dataclasses.fields(GlobalSettings)) + len(global_settings.REFERENCE_ONLY)
    assert all(row.count("|") == 4 and not row.endswith("|  |") for row in rows)


def test_the_training_page_shows_every_key(repo_root):
    page = (repo_root / "doc" / "tools" / "train.md").read_text(encoding="utf-8")
    assert global_settings.describe() in page
