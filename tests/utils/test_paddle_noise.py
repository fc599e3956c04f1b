"""What the tools print is for the user, in one log format: Paddle's lines that say nothing to a
user of this toolkit (ppocr/utils/paddle_noise.py names where each comes from) are held back, in
training, export, the Python API and the service, and every log line, the toolkit's and the other
libraries' (Paddle's, uvicorn's), is written as ``[YYYY/MM/DD HH:MM:SS] logger LEVEL: message``."""
import re
import subprocess
import sys

import pytest

from ppocr.utils.paddle_noise import LOG_NOISE, NATIVE_NOISE, WARNINGS
from tests.helpers.e2e import REPO, run_tool
from tests.helpers.serving import free_port, stop_server, wait_until_healthy
from tests.helpers.tiny import CONFIG, make_data, tiny_opts

pytestmark = [pytest.mark.subprocess_tools]

LOG_LINE = re.compile(r"\[\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\] [\w.]+ (INFO|WARNING|ERROR): ")
NOISE = (*WARNINGS, *LOG_NOISE, *NATIVE_NOISE, "warnings.warn(")


def assert_quiet(output, allowed=()):
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines, "nothing printed"
    for line in lines:
        assert not any(noise in line for noise in NOISE), line
        assert LOG_LINE.match(line) or line.startswith(allowed), f"a line in another format: {line!r}"


def test_training_and_export_print_only_the_toolkits_lines(tmp_path):
    data = make_data(tmp_path / "data")
    save = tmp_path / "model"
    # use_gpu on a CPU build: the device's warning comes before the logger was set up before; an
    # evaluation at step 3 puts the batch norms back in training for step 4
    opts = tiny_opts(data, save, Global__epoch_num=1, Global__use_gpu=True, Global__cpu_replicas=1)
    trained = run_tool("tools/train.py", "-c", CONFIG, "-o", *opts, timeout=600)
    assert_quiet(trained.stdout + trained.stderr)
    assert "a GPU was asked for" in trained.stdout and "cur metric" in trained.stdout
    exported = run_tool("tools/export_model.py", "-c", CONFIG, "-o", *opts, f"Global.pretrained_model={save}/latest",
                        f"Global.save_inference_dir={tmp_path / 'inference'}", timeout=600)
    assert_quiet(exported.stdout + exported.stderr)
    assert exported.stderr == "" and "inference model saved in" in exported.stdout


def test_the_python_api_on_paddle_prints_nothing_but_its_answer():
    code = ("from ppocr import TextRecognizer\n"
            "rec = TextRecognizer('pretrained/rec_mv3_tps_bilstm_ctc_synth/inference', backend='paddle')\n"
            "print(rec('doc/imgs_words_en/word_1.png')[0])\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "unreachable\n", "")


def test_the_service_logs_in_the_same_format(tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "tools/serve.py", "--port", str(port), "--rec_model_dir",
                                 "pretrained/rec_mv3_tps_bilstm_ctc_synth/inference", "--backend", "paddle"],
                                cwd=REPO, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        wait_until_healthy(proc, port, log)
    finally:
        stop_server(proc)
    text = log.read_text()
    assert "uvicorn.error INFO: Application startup complete." in text
    assert_quiet(text, allowed=("stopped by SIGTERM",))


@pytest.mark.parametrize("message", WARNINGS)
def test_only_the_named_warnings_are_filtered(message):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        from ppocr.utils.paddle_noise import hold_back_warnings

        hold_back_warnings()
        warnings.warn(f"{message} (as Paddle says it)", UserWarning)
        warnings.warn("any other warning", UserWarning)
    assert [str(w.message) for w in caught] == ["any other warning"]
