"""Config value types (ppocr/config_check.py): the seed and reference configs pass unchanged; a
wrong type is a one-line error naming the key and an example; YAML's '1e-3' string is a number."""
from pathlib import Path

import pytest

from ppocr.config import merge_config
from ppocr.config_check import check_config
from ppocr.errors import UserError

REPO = Path(__file__).resolve().parents[1]
CONFIGS = sorted((REPO / "configs" / "rec").glob("*.yml")) + sorted((REPO / "tests" / "fixtures" / "compat" / "configs").glob("*.yml"))


@pytest.mark.parametrize("path", CONFIGS, ids=[p.name for p in CONFIGS])
def test_shipped_and_reference_configs_pass(path):
    check_config(merge_config(str(path)))  # their keys all known (the reference-only ones too), their values typed


@pytest.mark.parametrize("section, key, value, message", [
    ("Global", "epoch_num", "ten", "Global.epoch_num must be a positive integer, got 'ten'"),
    ("Global", "epoch_num", 0, "Global.epoch_num must be a positive integer, got 0"),
    ("Global", "epoch_num", True, "Global.epoch_num must be a positive integer, got True"),
    ("Global", "eval_batch_step", [0, 0], "Global.eval_batch_step must be [start, every]"),
    ("Global", "eval_batch_step", [1, 2, 3], "Global.eval_batch_step must be"),
    ("Global", "use_amp", "yes", "Global.use_amp must be True or False"),
    ("Global", "checkpoints", 5, "Global.checkpoints must be a path"),
    ("Global", "device", "tpu", "Global.device must be cpu, gpu or gpu:N"),
    ("Global", "device", "cpu:1", "Global.device must be cpu, gpu or gpu:N"),
])
def test_wrong_types_name_the_key_and_an_example(section, key, value, message):
    with pytest.raises(UserError, match=message.replace("[", r"\[")) as e:
        check_config({section: {key: value}})
    assert f"-o {section}.{key}=" in str(e.value)


def test_values_are_normalised_and_empty_ones_left_to_defaults():
    config = check_config({"Global": {"epoch_num": 10.0, "eval_batch_step": 500, "checkpoints": None},
                           "Optimizer": {"epsilon": "1e-6", "lr": {"learning_rate": "1e-3", "values": None,
                                                                   "max_lr": "7e-4"}},
                           "Train": {"loader": {"batch_size_per_card": 8}}})
    assert config["Global"]["epoch_num"] == 10 and isinstance(config["Global"]["epoch_num"], int)
    assert config["Optimizer"]["lr"]["learning_rate"] == 0.001
    assert config["Optimizer"]["lr"]["max_lr"] == 0.0007 and config["Optimizer"]["epsilon"] == 1e-6


@pytest.mark.parametrize("config, message", [
    ({"Train": {"loader": {"batch_size_per_card": -1}}}, "Train.loader.batch_size_per_card must be a positive integer"),
    ({"Eval": {"loader": {"num_workers": "two"}}}, "Eval.loader.num_workers must be an integer >= 0"),
    ({"Optimizer": {"lr": {"values": [0.1, "x"]}}}, "Optimizer.lr.values must be a list of positive numbers"),
    ({"Optimizer": {"beta1": 1.0}}, r"Optimizer.beta1 must be a number in \[0, 1\)"),
    ({"Optimizer": {"lr": {"gamma": 1.5}}}, r"Optimizer.lr.gamma must be a number in \(0, 1\)"),
    ({"Optimizer": {"lr": {"milestones": [12, "x"]}}}, r"Optimizer.lr.milestones must be a list of numbers >= 0"),
    ({"Optimizer": {"lr": {"warmup_steps": 0.5}}}, r"Optimizer.lr.warmup_steps must be an integer >= 0"),
    ({"Optimizer": {"rho": "1e-3x"}}, r"Optimizer.rho must be a number in \[0, 1\)"),
    ({"Global": ["not", "a", "mapping"]}, "config section Global must be a mapping"),
])
def test_nested_keys_and_sections(config, message):
    with pytest.raises(UserError, match=message):
        check_config(config)
