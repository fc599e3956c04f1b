"""Every Global key of the reference's recognition configs loads here (the Global sections of its 84
configs/rec files, copied as data into tests/fixtures/reference_global_sections.yml): each is a
setting the engine reads (ppocr/global_settings.py), or one of the reference's other algorithms' keys,
which loads and gets one notice line when set; none is silently ignored. Also the keys the
reference's training reads beyond those files (AMP, devices, dashboards), the derived
``distributed`` and the device keys this Paddle build cannot run."""
import dataclasses
import logging

import pytest
import yaml

from ppocr import global_settings
from ppocr.config import merge_config
from ppocr.config_check import check_config
from ppocr.errors import UserError
from ppocr.global_settings import GlobalSettings
from ppocr.utils.logging import get_logger
from tests.helpers.tiny import CONFIG

FIXTURE = "tests/fixtures/reference_global_sections.yml"
FIELDS = {field.name for field in dataclasses.fields(GlobalSettings)}


@pytest.fixture(scope="module")
def reference(repo_root):
    return yaml.safe_load((repo_root / FIXTURE).read_text(encoding="utf-8"))


def _load(tmp_path, config, overrides=()):
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return check_config(merge_config(str(path), list(overrides)))


def test_every_global_section_of_the_reference_loads(reference, tmp_path):
    sections = reference["global_sections"]
    assert len(sections) == 84
    for name, section in sections.items():
        config = _load(tmp_path, {"Global": section})
        GlobalSettings.of(config)  # every value typed and checked
        assert set(config["Global"]) == set(section), name


def test_every_key_is_read_or_has_a_notice_when_set(reference):
    keys = {key for section in reference["global_sections"].values() for key in section}
    assert keys - FIELDS - set(global_settings.REFERENCE_ONLY) == set()
    assert FIELDS.isdisjoint(global_settings.REFERENCE_ONLY), "a key is either read or not"
    for name, section in reference["global_sections"].items():
        told = "\n".join(global_settings.notices({"Global": section}))
        for key, (default, _) in global_settings.REFERENCE_ONLY.items():
            if section.get(key) is not None and section[key] != default:
                assert f"Global.{key}=" in told, (name, key)
            else:
                assert f"Global.{key}=" not in told, (name, key)


def test_the_reference_training_keys_beyond_its_configs_load(tmp_path):
    extra = {"amp_level": "O1", "amp_dtype": "bfloat16", "scale_loss": 1024.0, "use_dynamic_loss_scaling": True,
             "amp_custom_black_list": ["matmul_v2"], "amp_custom_white_list": ["conv2d"], "use_sync_bn": True,
             "use_xpu": False, "use_npu": False, "use_mlu": False, "use_gcu": False, "distributed": True,
             "use_wandb": False, "uniform_output_enabled": False, "find_unused_parameters": True,
             "eval_batch_epoch": 2, "print_mem_info": False, "log_ranks": "0,1", "calc_epoch_interval": 2,
             "to_static": False, "export_with_pir": True}
    config = _load(tmp_path, {"Global": extra, "wandb": {"project": "starnet"}, "profiler_options": None})
    s = GlobalSettings.of(config)
    assert (s.amp_level, s.amp_dtype, s.scale_loss, s.amp_custom_black_list, s.log_ranks, s.eval_batch_epoch) == (
        "O1", "bfloat16", 1024.0, ("matmul_v2",), (0, 1), 2)
    assert global_settings.notices(config) == []  # every value the reference's default, or one that is read


@pytest.mark.parametrize("key, value, message", [
    ("amp_level", "O3", "Global.amp_level must be O1 or O2"),
    ("amp_dtype", "float64", "Global.amp_dtype must be float16 or bfloat16"),
    ("scale_loss", 0, "Global.scale_loss must be a positive number"),
    ("amp_custom_black_list", "matmul", "Global.amp_custom_black_list must be a list of Paddle operator names"),
    ("log_ranks", "first", "Global.log_ranks must be a rank or ranks separated by commas"),
])
def test_a_wrong_value_of_a_new_key_names_it(key, value, message):
    with pytest.raises(UserError, match=message):
        GlobalSettings.of({"Global": {key: value}})


def test_a_key_of_another_algorithm_loads_with_one_notice(tmp_path):
    config = _load(tmp_path, {"Global": {"max_seq_len": 512, "infer_mode": False}, "profiler_options": "batch_range=[1,5]"})
    told = global_settings.notices(config)
    assert len(told) == 2 and told[0].startswith("Global.max_seq_len=512 has no effect here: read by the reference's")
    assert told[1].startswith("profiler_options='batch_range=[1,5]' has no effect here")


def _setup(repo_root, *opts):
    from ppocr.cli.startup import setup

    return setup(["-c", str(repo_root / CONFIG), "-o", "Global.use_gpu=False", *opts], "keys")[0]


def test_distributed_is_derived_from_the_processes_as_the_reference(repo_root, capsys):
    assert _setup(repo_root)["Global"]["distributed"] is False
    assert _setup(repo_root, "Global.distributed=True")["Global"]["distributed"] is False
    assert "Global.distributed=True replaced by False: it is set from the processes of the run (1 here)" in \
        capsys.readouterr().out


@pytest.mark.parametrize("kind, package", [("xpu", "paddlepaddle-xpu"), ("npu", "paddle-custom-npu"),
                                           ("mlu", "paddle-custom-mlu"), ("gcu", "paddle-custom-gcu")])
def test_a_device_this_paddle_is_not_built_for_is_a_one_line_error(kind, package, repo_root):
    with pytest.raises(UserError, match=rf"Global.use_{kind} \(or Global.device={kind}\) asks for .* this PaddlePaddle "
                                        rf"\S+ is not built for it: install {package} .*set Global.use_{kind}=False"):
        _setup(repo_root, f"Global.use_{kind}=True")
    assert GlobalSettings.of({"Global": {f"use_{kind}": True, "use_gpu": True}}).device_name == kind


def test_log_ranks_lets_other_processes_log_their_info_lines(capsys):
    get_logger(rank=1).info("hidden on rank 1")
    get_logger(rank=1, log_ranks=(0, 1)).info("shown on rank 1")
    out = capsys.readouterr().out
    assert "shown on rank 1" in out and "hidden on rank 1" not in out
    logging.getLogger("ppocr").handlers.clear()
