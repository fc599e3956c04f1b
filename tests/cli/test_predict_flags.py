"""ppocr/cli/predict_flags.py and the run of predict_rec: every flag of PaddleOCR's
tools/infer/utility.py (its names, types and defaults in tests/fixtures/paddleocr_predict_rec_flags.json)
is accepted, so a PaddleOCR command line pasted whole runs; the flags of its other tools are named
in one line; --save_log_path, --warmup, --benchmark and --show_log do what PaddleOCR's do."""
import json
import logging

import pytest

from ppocr.cli.predict_flags import OTHER_TASKS, build_parser, not_applying
from ppocr.cli.predict_rec import log_file, main as predict_rec
from tests.helpers.e2e import REPO

FLAGS = json.loads((REPO / "tests" / "fixtures" / "paddleocr_predict_rec_flags.json").read_text())["flags"]
REFERENCE_FOLDER = REPO / "tests" / "fixtures" / "paddleocr_rec_mv3_tps_bilstm_ctc"
SHIPPED = REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "inference"
IMAGE = str(REPO / "doc" / "imgs_words_en" / "word_336.png")
# what a PaddleOCR user of STAR-Net types instead of utility.py's defaults (which are PP-OCRv3's)
STARNET = {"rec_image_shape": "3, 32, 100", "rec_char_dict_path": str(REPO / "ppocr" / "utils" / "ic15_dict.txt")}


def pasted(overrides):
    """A command line with every flag of utility.py at its default value there (a flag whose default
    is no value, None or False for a list, left out), ``overrides`` taking precedence."""
    argv = []
    for flag in FLAGS:
        value = overrides.get(flag["name"], flag["default"])
        if value is None or (value is False and flag["type"] != "str2bool"):
            continue
        if flag.get("nargs") == "+":
            argv += [f"--{flag['name']}", *value]
        else:
            argv.append(f"--{flag['name']}={','.join(map(str, value)) if isinstance(value, list) else value}")
    return argv


def test_every_flag_of_paddleocrs_utility_is_accepted():
    names = {flag["name"] for flag in FLAGS}
    assert len(names) == 81 and {"gpu_mem", "use_tensorrt", "det_db_thresh", "use_angle_cls"} <= names
    no_default = {flag["name"]: "x" for flag in FLAGS if flag["default"] is None}  # folders, e.g. --det_model_dir
    args = build_parser().parse_args(pasted({**no_default, "enable_mkldnn": True, "onnx_providers": ["A", "B"],
                                             "onnx_sess_options": "x"}))
    assert names <= set(vars(args))
    assert args.onnx_providers == ["A", "B"] and args.precision == "fp32" and args.rec_image_shape == [3, 48, 320]


def test_the_other_tools_flags_are_named_in_one_line():
    args = build_parser().parse_args(["--image_dir=x", "--rec_model_dir=y", "--det_model_dir=d", "--use_angle_cls=True",
                                      "--drop_score=0.5"])
    assert not_applying(args) == ("--det_model_dir, --use_angle_cls, --drop_score: PaddleOCR's flags for text "
                                  "detection, angle classification, the whole-system script; they do not apply to "
                                  "recognition and are ignored")
    assert not_applying(build_parser().parse_args(["--image_dir=x", "--rec_model_dir=y"])) is None
    recognition = {flag["name"] for flag in FLAGS} - {n for names in OTHER_TASKS.values() for n in names}
    assert {"rec_algorithm", "gpu_id", "max_batch_size", "warmup", "save_log_path"} <= recognition


def test_a_pasted_paddleocr_command_line_runs_on_its_folder(tmp_path, capsys):
    argv = pasted({"image_dir": IMAGE, "rec_model_dir": str(REFERENCE_FOLDER), "cpu_threads": 2,
                   "save_log_path": str(tmp_path / "log_output") + "/", **STARNET})
    assert "--use_gpu=True" in argv and "--det_algorithm=DB" in argv
    predict_rec(argv)
    out = capsys.readouterr().out
    assert f"Predicts of {IMAGE}:('tells', 0.99" in out
    # this machine's Paddle is a CPU build: one line, and the run goes on on the CPU
    assert "WARNING: use_gpu: this PaddlePaddle is a CPU build (pip install paddlepaddle-gpu); predicting on the CPU" in out
    (line,) = [line for line in out.splitlines() if "do not apply to recognition" in line]
    assert "--det_algorithm" in line and "--use_angle_cls" in line and "--e2e_model_dir" not in line
    log = (tmp_path / "log_output" / "benchmark_recognition.log").read_text()
    assert f"Predicts of {IMAGE}:('tells', 0.99" in log and "a PaddleOCR inference folder" in log


def test_save_log_path_is_read_as_paddleocr_reads_it(tmp_path):
    assert log_file(None) is None
    assert log_file(str(tmp_path)) == str(tmp_path / "benchmark_recognition.log")  # an existing folder
    assert log_file(str(tmp_path / "new") + "/") == str(tmp_path / "new" / "benchmark_recognition.log")
    assert log_file(str(tmp_path / "run.log")) == str(tmp_path / "run.log")


def test_warmup_is_untimed_and_benchmark_logs_the_run(tmp_path, capsys):
    predict_rec(["--image_dir", str(REPO / "doc" / "imgs_words_en"), f"--rec_model_dir={SHIPPED}", "--use_onnx=True",
                 "--cpu_threads=1", "--warmup=True", "--benchmark=True", f"--save_log_path={tmp_path / 'run.log'}"])
    out = capsys.readouterr().out
    (data,) = [line for line in out.splitlines() if "benchmark data:" in line]
    assert data.endswith("benchmark data: batch_size 6, input_shape [3, 32, 100], data_num 11")  # the two noise batches not counted
    (perf,) = [line for line in out.splitlines() if "benchmark perf:" in line]
    assert "cpu_rss(MB)" in perf and "preprocess_time(ms)" in perf and "inference_time(ms)" in perf
    assert "benchmark model:" in (tmp_path / "run.log").read_text()


def test_show_log_false_leaves_the_readings_and_warnings(capsys):
    predict_rec(["--image_dir", IMAGE, f"--rec_model_dir={SHIPPED}", "--use_onnx=True", "--cpu_threads=1",
                 "--show_log=False", "--det_model_dir=x"])
    out = capsys.readouterr().out
    assert out.startswith(f"Predicts of {IMAGE}:('tells'") and "INFO" not in out
    logging.getLogger("ppocr").setLevel(logging.INFO)


@pytest.mark.parametrize("flag, message", [("--precision=bf16", "argument --precision: invalid choice: 'bf16'"),
                                           ("--use_tensorrt=Ture", "'Ture' is not a boolean")])
def test_a_bad_value_is_refused_in_one_line(flag, message, capsys):
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["--image_dir=x", "--rec_model_dir=y", flag])
    assert info.value.code == 2 and message in capsys.readouterr().err
