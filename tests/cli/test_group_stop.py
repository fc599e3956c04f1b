"""A stop signal sent to the whole process group, as Ctrl-C in a terminal and a job scheduler's
stop do, reaches the loader workers too: training with workers must still save ``latest`` at the
last finished step, exit 128 + the signal, and resume from there."""
import os
import signal
import subprocess
import sys

import pytest

from tests.helpers.e2e import REPO, run_tool
from tests.helpers.tiny import CONFIG, make_data, resumed_line, tiny_opts

pytestmark = [pytest.mark.subprocess_tools, pytest.mark.training_e2e]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_to_the_process_group_saves_latest(tmp_path, sig):
    data = make_data(tmp_path / "data")
    save = tmp_path / "out"
    opts = tiny_opts(data, save, Train__loader__num_workers=2, Global__epoch_num=6)
    proc = subprocess.Popen([sys.executable, "tools/train.py", "-c", CONFIG, "-o", *opts], cwd=REPO,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL, start_new_session=True)
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if "global_step: 5," in line:
                os.killpg(proc.pid, sig)  # the trainer and its loader workers, like a terminal's Ctrl-C
                break
        lines.extend(proc.stdout)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    output = "".join(lines)
    assert proc.returncode == 128 + sig, output[-3000:]
    assert f"received {signal.Signals(sig).name}" in output and "Traceback" not in output, output[-3000:]
    resumed = run_tool("tools/train.py", "-c", CONFIG, "-o", *opts, f"Global.checkpoints={save / 'latest'}",
                       "Global.epoch_num=2", timeout=300)
    _, _, step, _, _ = resumed_line(resumed.stdout + resumed.stderr)
    assert step >= 5
