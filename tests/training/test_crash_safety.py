"""Crash safety and exact resume, through the real tools/train.py.

One run goes uninterrupted. Another is killed (SIGKILL) mid-step, during an evaluation, between
the staged files of a checkpoint and halfway through a checkpoint's renames, then stopped with
Ctrl-C (SIGINT); each time it resumes from ``latest``. The kills land at exact places through
the test-side fault injection (tests/helpers/fault.py). After every interruption each
checkpoint file on disk must load, and the resume must report the step, position in the epoch,
learning rate and best metric the uninterrupted run had there. At the end both runs must hold
bit-identical weights and optimizer state: nothing in these models is random once seeded, and
Paddle's CPU kernels give the same bits for the same inputs and thread count.
"""
import json
import os
import signal
import subprocess
import sys

import numpy as np
import paddle
import pytest

from tests.helpers.e2e import REPO, run_tool
from tests.helpers.tiny import CONFIG, make_data, resumed_line, tiny_opts, train_records

pytestmark = [pytest.mark.training_e2e, pytest.mark.subprocess_tools]

# (how the run is interrupted, its exit code, (epoch, batch in the epoch, global step) it resumes from next)
# Saves of `latest`: evaluations after steps 3, 6, 9, 12 and ends of epochs after steps 4, 8, 12.
STAGES = [
    ("train_step:5", -signal.SIGKILL, (2, 0, 4)),        # mid-step 5: the end-of-epoch save at 4 stays
    ("eval_batch:3", -signal.SIGKILL, (3, 0, 8)),        # evaluations at 6 (2 batches) and 9: killed in 9's
    ("checkpoint_write:2", -signal.SIGKILL, (3, 0, 8)),  # at 9, after staging .pdparams and .pdopt of latest
    ("checkpoint_commit:2", -signal.SIGKILL, (3, 1, 9)),  # at 9, two of three renames done: completed on load
    ("sigint", 128 + signal.SIGINT, None),               # Ctrl-C once step 10 is logged: saves latest, exits 130
]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_data(tmp_path_factory.mktemp("crash_data"))


@pytest.fixture(scope="module")
def reference(data, tmp_path_factory):
    save = tmp_path_factory.mktemp("uninterrupted")
    run_tool("tools/train.py", "-c", CONFIG, "-o", *tiny_opts(data, save), timeout=300)
    return save


def _train_until_logged(opts, step):
    """tools/train.py, interrupted with SIGINT once it has logged ``global_step: step``."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "tools/train.py", "-c", CONFIG, "-o", *opts], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if f"global_step: {step}," in line and proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    return subprocess.CompletedProcess(proc.args, proc.returncode, "".join(lines), "")


@pytest.fixture(scope="module")
def chain(data, tmp_path_factory):
    """The interrupted run: one entry per stage (its output, exit code, files on disk after it), then the last run."""
    save = tmp_path_factory.mktemp("interrupted")
    opts = tiny_opts(data, save)
    resume = [f"Global.checkpoints={save / 'latest'}"]
    stages = []
    for n, (fault, _, _) in enumerate(STAGES):
        run_opts = opts + (resume if n else [])
        if fault == "sigint":
            proc = _train_until_logged(run_opts, 10)
        else:
            proc = run_tool("tests/helpers/fault.py", fault, "tools/train.py", "-c", CONFIG, "-o", *run_opts, expect=None,
                            timeout=300)
        stages.append({"fault": fault, "output": proc.stdout + proc.stderr, "code": proc.returncode,
                       "files": _load_all(save), "pending": sorted(n for n in os.listdir(save)
                                                                   if n.endswith((".staged", ".commit")))})
    final = run_tool("tools/train.py", "-c", CONFIG, "-o", *opts, *resume, timeout=300)
    return {"save": save, "stages": stages, "final": final.stdout + final.stderr}


def _load_all(save):
    """{file name: 'ok' or the error} for every checkpoint file as it is on disk (nothing recovered)."""
    out = {}
    for name in sorted(os.listdir(save)):
        path = save / name
        try:
            if name.endswith((".pdparams", ".pdopt")):
                paddle.load(str(path))
            elif name.endswith(".states"):
                json.loads(path.read_text())
            else:
                continue
            out[name] = "ok"
        except Exception as e:  # noqa: BLE001  (any failure is the finding)
            out[name] = f"{type(e).__name__}: {e}"
    return out


def test_each_interruption_ends_as_planned(chain):
    for stage, (fault, code, _) in zip(chain["stages"], STAGES):
        assert stage["code"] == code, f"{fault}: exit {stage['code']}\n{stage['output'][-3000:]}"
        assert "Traceback" not in stage["output"], fault
    sigint = chain["stages"][-1]["output"]
    assert "stopped: received SIGINT: saved" in sigint and "resume with -o Global.checkpoints=" in sigint


def test_the_kills_landed_inside_checkpoint_writes(chain):
    pending = {stage["fault"]: stage["pending"] for stage in chain["stages"]}
    assert pending["checkpoint_write:2"] == ["latest.pdopt.staged", "latest.pdparams.staged"]
    assert pending["checkpoint_commit:2"] == ["latest.commit", "latest.states.staged"]  # two renames done


def test_no_checkpoint_file_is_ever_corrupt(chain):
    for stage in chain["stages"]:
        assert stage["files"], stage["fault"]
        bad = {name: error for name, error in stage["files"].items() if error != "ok"}
        assert not bad, f"after {stage['fault']}: {bad}"
    leftovers = [n for n in os.listdir(chain["save"]) if n.endswith((".staged", ".commit", ".tmp"))]
    assert not leftovers, leftovers


def test_each_resume_restores_position_learning_rate_and_best(chain, reference):
    ref_records = train_records(reference)
    ref_best = json.loads((reference / "best_accuracy.states").read_text())["best_model_dict"]
    outputs = [stage["output"] for stage in chain["stages"][1:]] + [chain["final"]]
    for (fault, _, expected), output in zip(STAGES, outputs):
        epoch, batch, step, lr, best = resumed_line(output)
        if expected is not None:
            assert (epoch, batch, step) == expected, f"resume after {fault}"
        else:  # Ctrl-C: wherever it landed, at or after the step it waited for
            assert step >= 10 and (epoch, batch) == (3, step - 8), f"resume after {fault}"
        # the rate logged after step N is the one step N + 1 uses: what the resumed run must start with
        assert lr == ref_records[step]["lr"], f"learning rate after {fault}"
        assert best == ref_best, f"best metric after {fault}"


def test_resumed_run_ends_bit_identical_to_uninterrupted(chain, reference):
    save = chain["save"]
    assert json.loads((save / "latest.states").read_text()) == json.loads((reference / "latest.states").read_text())
    for name in ("latest.pdparams", "latest.pdopt", "best_accuracy.pdparams", "iter_epoch_3.pdparams"):
        ours, theirs = _flat(paddle.load(str(save / name))), _flat(paddle.load(str(reference / name)))
        assert ours.keys() == theirs.keys(), name
        for key, value in theirs.items():
            assert np.array_equal(ours[key], value), f"{name}: {key}"
    ours, theirs = train_records(save), train_records(reference)
    assert sorted(ours) == list(range(1, 13))
    for step in ours:
        assert (ours[step]["loss"], ours[step]["lr"]) == (theirs[step]["loss"], theirs[step]["lr"]), step
    best = json.loads((save / "best_accuracy.states").read_text())["best_model_dict"]
    assert best["global_step"] == 3  # never overwritten by the later, not better, evaluations


def _flat(state, prefix=""):
    out = {}
    for key, value in state.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    return out
