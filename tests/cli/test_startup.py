"""ppocr/cli/startup.py: every tool's start (-c/-o parsed and checked, threads logged) and end
(a user's mistake is one line and exit 2, a stop by signal is 128 + the signal)."""
import logging
import signal
import subprocess
import sys

import pytest

from ppocr.cli.startup import run, setup
from ppocr.errors import Interrupted, UserError
from tests.helpers.e2e import REPO


def test_a_users_mistake_is_one_line_and_exit_2(capsys):
    def main():
        raise UserError("Global.epoch_num must be a positive integer")

    with pytest.raises(SystemExit) as e:
        run(main)
    assert e.value.code == 2
    assert capsys.readouterr().err == "error: Global.epoch_num must be a positive integer\n"


def test_a_stop_by_signal_exits_128_plus_the_signal(capsys):
    def main():
        raise Interrupted("received SIGTERM: saved latest", signal.SIGTERM)

    with pytest.raises(SystemExit) as e:
        run(main)
    assert e.value.code == 143 and "stopped: received SIGTERM" in capsys.readouterr().err


def test_setup_merges_checks_and_logs_the_threads(capsys):
    logger = logging.getLogger("ppocr")
    saved = (list(logger.handlers), logger.propagate, logger.level)
    try:
        config, _, _ = setup(["-c", str(REPO / "configs" / "rec" / "rec_mv3_tps_bilstm_ctc.yml"), "-o",
                              "Global.use_gpu=False", "Global.epoch_num=3.0"], "test")
    finally:  # setup configured the ppocr logger for a console: give the other tests theirs back
        logger.handlers[:], logger.propagate, logger.level = saved
    assert config["Global"]["epoch_num"] == 3 and isinstance(config["Global"]["epoch_num"], int)
    assert "compute threads per process" in capsys.readouterr().out
    with pytest.raises(UserError, match="did you mean epoch_num"):
        setup(["-c", str(REPO / "configs" / "rec" / "rec_mv3_tps_bilstm_ctc.yml"), "-o", "Global.epoch_nun=3"], "test")


@pytest.mark.subprocess_tools
@pytest.mark.parametrize("tool", ["gen_synth_data", "create_lmdb_dataset"])
def test_the_data_tools_do_not_load_paddle(tool):
    # their spawned workers re-import the tool: Paddle would cost each 0.5 GB and 2-3 s and
    # print its OMP_NUM_THREADS warning once per worker
    code = (f"import sys; sys.path.insert(0, 'tools'); import {tool}; "
            "sys.exit('paddle' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False, cwd=REPO).returncode == 0


@pytest.fixture
def keep_logger():
    logger = logging.getLogger("ppocr")
    saved = (list(logger.handlers), logger.propagate, logger.level)
    yield
    logger.handlers[:], logger.propagate, logger.level = saved


SPIN = str(REPO / "configs" / "rec" / "rec_r32_gaspin_bilstm_att.yml")


def test_the_config_goes_to_the_output_folder_and_to_the_screen_only_when_asked(capsys, tmp_path, keep_logger):
    import yaml

    from ppocr.cli.startup import config_beside_results

    argv = ["-c", SPIN, "-o", "Global.use_gpu=False", f"Global.save_res_path={tmp_path / 'out' / 'predicts.txt'}"]
    config, _, _ = setup(argv, "test", config_copy=config_beside_results)
    out = capsys.readouterr().out
    copy = tmp_path / "out" / "predicts.config.yml"
    assert yaml.safe_load(copy.read_text()) == config and f"written to {copy}" in out
    assert "SPINAttentionHead" not in out and len(out.splitlines()) <= 3, out
    setup([*argv, "--show_config"], "test")
    assert "name: SPINAttentionHead" in capsys.readouterr().out


def test_a_renamed_dataset_drops_the_files_options_with_one_notice(capsys, tmp_path, keep_logger):
    config, _, _ = setup(["-c", SPIN, "-o", "Global.use_gpu=False", "Train.dataset.name=LMDBDataSet",
                       f"Train.dataset.data_dir={tmp_path}"], "test")
    assert "label_file_list" not in config["Train"]["dataset"]
    notices = [line for line in capsys.readouterr().out.splitlines() if "dropped" in line]
    assert len(notices) == 1 and "dropped label_file_list of SimpleDataSet" in notices[0]
    with pytest.raises(UserError, match="malformed -o option"):
        setup(["-c", SPIN, "-o", "Train.dataset.label_file_list"], "test")


def test_the_help_documents_adding_and_deleting_keys(capsys):
    from ppocr.cli.startup import config_parser

    with pytest.raises(SystemExit):
        config_parser("test").parse_args(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "+Section.key=value adds a key" in text and "~Section.key deletes a key" in text


@pytest.fixture(scope="module")
def shipped_weights():
    return str(REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "best_accuracy")


@pytest.mark.parametrize("tool", ["infer_rec", "vis_rectify", "export_model"])
def test_a_tool_parses_the_global_section_once(tool, shipped_weights, tmp_path, monkeypatch, keep_logger):
    """setup() builds the settings and hands them down: nothing after it parses Global again."""
    import importlib

    from ppocr.global_settings import GlobalSettings

    parses = []
    plain = GlobalSettings.of.__func__
    monkeypatch.setattr(GlobalSettings, "of", classmethod(lambda cls, config: parses.append(1) or plain(cls, config)))
    sample = REPO / "doc" / "imgs_words_en" / "word_10.png"
    argv = ["-c", str(REPO / "configs" / "rec" / "demo_mv3_tps_bilstm_ctc.yml"), "-o", "Global.use_gpu=False",
            f"Global.pretrained_model={shipped_weights}", f"Global.infer_img={sample}",
            f"Global.save_res_path={tmp_path / 'res.txt'}", f"Global.save_inference_dir={tmp_path / 'inference'}"]
    argv += ["--out", str(tmp_path / "grid.png")] if tool == "vis_rectify" else []
    importlib.import_module(f"ppocr.cli.{tool}").main(argv)
    assert len(parses) == 1
