"""ppocr/engine/program.py: every tool's start (-c/-o parsed and checked, threads logged) and end
(a user's mistake is one line and exit 2, a stop by signal is 128 + the signal)."""
import logging
import signal
import subprocess
import sys

import pytest

from ppocr.engine.program import run, setup
from ppocr.errors import Interrupted, UserError
from tests.e2e import REPO


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
        config, _ = setup(["-c", str(REPO / "configs" / "rec" / "rec_mv3_tps_bilstm_ctc.yml"), "-o",
                              "Global.use_gpu=False", "Global.epoch_num=3.0"], "test")
    finally:  # setup configured the ppocr logger for a console: give the other tests theirs back
        logger.handlers[:], logger.propagate, logger.level = saved
    assert config["Global"]["epoch_num"] == 3 and isinstance(config["Global"]["epoch_num"], int)
    assert "compute threads per process" in capsys.readouterr().out
    with pytest.raises(UserError, match="did you mean epoch_num"):
        setup(["-c", str(REPO / "configs" / "rec" / "rec_mv3_tps_bilstm_ctc.yml"), "-o", "Global.epoch_nun=3"], "test")


@pytest.mark.parametrize("tool", ["gen_synth_data", "create_lmdb_dataset"])
def test_the_data_tools_do_not_load_paddle(tool):
    # their spawned workers re-import the tool: Paddle would cost each 0.5 GB and 2-3 s and
    # print its OMP_NUM_THREADS warning once per worker
    code = (f"import sys; sys.path.insert(0, 'tools'); import {tool}; "
            "sys.exit('paddle' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False, cwd=REPO).returncode == 0
