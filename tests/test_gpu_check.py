"""benchmark/gpu_check.py: its dry run (the command doc/benchmark.md prints, run as printed) passes
on this CPU machine with every row PASS or a SKIP for a missing runtime, and prints the rows the
page shows; without --dry-run it says there is no GPU (exit status 2); and each verdict fails the
row when its piece is broken (a non-finite or flat loss, a missing notice, other strings, the
wrong device, a failed launch)."""
import importlib.util
import re
import shlex
import subprocess
import sys

import pytest

from tests.helpers.doc_blocks import REPO, clone_view, code_blocks, read_page, run_command

PAGE = read_page("doc/benchmark.md")
SECTION = PAGE[PAGE.index("## Checking a GPU machine"):PAGE.index("## Machine and versions")]
EXPECTED_SKIPS = ("this PaddlePaddle was built without TensorRT", "the tensorrt package is not installed",
                  "a dry run does not build TensorRT engines")


def _rows_module():
    spec = importlib.util.spec_from_file_location("_gpu_check_rows", REPO / "benchmark" / "_gpu_check_rows.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rows = _rows_module()


def _table(text):
    """[(check, config, run, status, notes)] of the markdown table in ``text``."""
    lines = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines[1:]]
    return [(c[0], c[1], c[2], c[3], c[6]) for c in cells]


def _commands():
    return [line for block in code_blocks(SECTION, "bash") for line in block.splitlines()
            if line.startswith("python benchmark/gpu_check.py")]


@pytest.mark.subprocess_tools
@pytest.mark.training_e2e
@pytest.mark.distributed
def test_the_dry_run_passes_and_prints_the_rows_the_page_shows(tmp_path):
    (command,) = [c for c in _commands() if "--dry-run" in c]
    status, printed = run_command(command, clone_view(tmp_path), timeout=900)
    got = _table(printed)
    assert status == 0, printed[-3000:]
    assert len(got) == 3 * 8 + 1
    for check, config, run, verdict, notes in got:
        assert verdict == "PASS" or (verdict == "SKIP" and notes in EXPECTED_SKIPS), (check, config, run, notes)
    amp = [notes for check, _, run, _, notes in got if check == "train" and run.startswith("AMP")]
    assert len(amp) == 6 and all("the CPU notice" in notes for notes in amp)
    shown = [(check, config, run, verdict) for check, config, run, verdict, _ in _table(SECTION)]
    assert [(check, config, run, verdict) for check, config, run, verdict, _ in got] == shown
    assert (tmp_path / "output" / "gpu_check" / "gpu_check.json").is_file()
    assert _table((tmp_path / "output" / "gpu_check" / "gpu_check.md").read_text()) == got


@pytest.mark.subprocess_tools
def test_the_gpu_command_on_a_machine_without_a_gpu_says_so():
    for command in [c for c in _commands() if "--dry-run" not in c]:
        args = shlex.split(command)
        proc = subprocess.run([sys.executable, *args[1:]], cwd=REPO, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 2, proc.stderr[-2000:]
        assert "error: no GPU to check here (a CPU build of PaddlePaddle" in proc.stderr
        assert "add --dry-run" in proc.stderr


def _train(losses, warnings=(), device="cpu", weights=("float32",)):
    return {"losses": list(losses), "warnings": list(warnings), "device": device, "weights": list(weights),
            "images_per_s": 10.0, "peak_gpu_reserved_mib": None}


NOTICE = "Global.use_amp: Paddle runs mixed precision on GPU, XPU and custom devices only ...: this run trains in float32"


@pytest.mark.parametrize("result, level, dry_run, status, reason", [
    (_train([5.0, 4.0, 3.0]), "float32", True, "PASS", "weights float32"),
    (_train([5.0, 4.0, 3.0], [NOTICE]), "O1", True, "PASS", "the CPU notice"),
    (_train([5.0, 4.0, 3.0]), "O2", True, "FAIL", "0 notices that AMP trains in float32"),
    (_train([5.0, float("nan"), 3.0]), "float32", True, "FAIL", "a loss is not finite"),
    (_train([5.0, "inf", 3.0]), "float32", True, "FAIL", "a loss is not finite"),
    (_train([3.0, 4.0, 5.0]), "float32", True, "FAIL", "the loss did not fall"),
    (_train([5.0, 4.0, 3.0], device="gpu:0"), "float32", True, "FAIL", "a dry run trained on gpu:0"),
    (_train([5.0, 4.0, 3.0], device="gpu:0", weights=("float16", "float32")), "O2", False, "PASS", "float16"),
    (_train([5.0, 4.0, 3.0], device="gpu:0"), "O2", False, "FAIL", "O2 left the weights in float32"),
    (_train([5.0, 4.0, 3.0]), "O1", False, "FAIL", "trained on cpu, not the GPU"),
    (_train([5.0, 4.0, 3.0], [NOTICE], device="gpu:0"), "O1", False, "FAIL", "the CPU notice on a GPU run"),
    ({"error": "RuntimeError: CUDA out of memory"}, "O1", False, "FAIL", "CUDA out of memory"),
])
def test_a_training_row_fails_when_its_piece_breaks(result, level, dry_run, status, reason):
    got_status, notes = rows.train_verdict(result, level, dry_run)
    assert got_status == status and reason in notes


def test_the_loss_falls_over_the_last_tenth_against_the_first():
    assert rows.loss_verdict([10.0] * 10 + [9.0] * 80 + [5.0] * 10) is None
    assert "did not fall" in rows.loss_verdict([5.0] * 10 + [1.0] * 80 + [6.0] * 10)


EXPECTED = {"word_1.png": "unreachable", "word_2.png": "snapshots"}


@pytest.mark.parametrize("label, result, dry_run, status, reason", [
    ("Paddle GPU predictor", {"strings": EXPECTED, "device": "gpu:0", "warnings": []}, False, "PASS", "on gpu:0"),
    ("Paddle GPU predictor", {"strings": {**EXPECTED, "word_2.png": "snapshot"}, "device": "gpu:0", "warnings": []},
     False, "FAIL", "word_2.png: 'snapshot' / 'snapshots'"),
    ("Paddle GPU predictor", {"strings": EXPECTED, "device": "cpu", "warnings": ["use_gpu: no"]}, False, "FAIL",
     "ran on cpu"),
    ("TensorRT fp16", {"strings": EXPECTED, "device": "gpu:0", "warnings": []}, False, "FAIL", "ran on gpu:0"),
    ("TensorRT fp16", {"strings": EXPECTED, "device": "gpu:0, TensorRT", "warnings": []}, False, "PASS", "TensorRT"),
    ("onnxruntime CUDA", {"strings": EXPECTED, "device": "CPUExecutionProvider", "warnings": []}, False, "FAIL",
     "ran on CPUExecutionProvider"),
    ("Paddle GPU predictor", {"strings": EXPECTED, "device": "cpu", "warnings": ["use_gpu: a CPU build"]}, True,
     "PASS", "one warning"),
    ("Paddle GPU predictor", {"strings": EXPECTED, "device": "cpu", "warnings": []}, True, "FAIL", "0 warnings"),
    ("Paddle GPU predictor", {"error": "UserError: bad folder"}, True, "FAIL", "bad folder"),
])
def test_a_predict_rec_row_fails_on_other_strings_or_the_wrong_device(label, result, dry_run, status, reason):
    got = rows.predict_row("cfg", label, result, EXPECTED, dry_run)
    assert got["status"] == status and reason in got["notes"]


def test_the_export_row_demands_float32_weights_and_a_skip_keeps_its_reason():
    parts = {"export": {"seconds": 1.0, "checkpoint_dtypes": ["float16", "float32"], "files": ["inference.json"]},
             "infer_rec": {"strings": EXPECTED}}
    predicts = [("TensorRT fp16", [], "this PaddlePaddle was built without TensorRT")]
    export, infer, trt = rows.deploy_rows("cfg", parts, "", predicts, "the O2 run's weights", dry_run=False)
    assert export["status"] == "FAIL" and "expected float32" in export["notes"]
    assert infer["status"] == "PASS"
    assert (trt["status"], trt["notes"]) == ("SKIP", "this PaddlePaddle was built without TensorRT")


def test_the_launch_row():
    done = ["rank 0 of 2 finished: 4 steps this run", "rank 1 of 2 finished: 4 steps this run"]
    assert rows.launch_row(0, done, dry_run=False)["status"] == "PASS"
    refused = ["...", "NCCL error: ncclInvalidUsage: Duplicate GPU detected : rank 0 and rank 1 both on CUDA device"]
    skip = rows.launch_row(1, [refused[1], ""], dry_run=False)
    assert skip["status"] == "SKIP" and "Duplicate GPU detected" in skip["notes"]
    broken = rows.launch_row(1, ["RuntimeError: gloo connect failed", ""], dry_run=True)
    assert broken["status"] == "FAIL" and re.search("exit 1: RuntimeError: gloo", broken["notes"])
    assert rows.launch_row(None, ["", ""], dry_run=True)["notes"].startswith("timed out")
    stopped = rows.launch_row(1, ["", ""], dry_run=False, launcher="Traceback ...\nValueError: substring not found")
    assert stopped["status"] == "FAIL" and stopped["notes"] == "exit 1: ValueError: substring not found"
