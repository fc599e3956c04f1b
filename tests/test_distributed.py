"""Two-process training with paddle.distributed.launch on the CPU (gloo): both ranks train on
their half of the data, rank 0 alone logs and writes files; two launchers as two machines (the
commands of doc/tools/train.md, over the loopback) train what one launcher of two processes does."""
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys

import numpy as np
import paddle
import pytest

from ppocr.synth import generate
from tests.helpers.doc_blocks import REPO, code_blocks, read_page
from tests.helpers.e2e import run_tool

pytestmark = [pytest.mark.distributed, pytest.mark.training_e2e, pytest.mark.subprocess_tools]


def test_two_process_launch_trains_on_both_ranks(tmp_path):
    generate(128, seed=11, lmdb_dir=str(tmp_path / "train"))
    generate(32, seed=12, lmdb_dir=str(tmp_path / "val"))
    save, logs = tmp_path / "model", tmp_path / "log"
    run_tool("-m", "paddle.distributed.launch", "--nproc_per_node", "2", "--log_dir", logs,
               "tools/train.py", "-c", "configs/rec/rec_mv3_tps_bilstm_ctc.yml", "-o",
               "Global.use_gpu=False", "Global.epoch_num=2", f"Global.save_model_dir={save}",
               "Global.print_batch_step=2", "Global.eval_batch_step=[0,4]",
               f"Train.dataset.data_dir={tmp_path / 'train'}", f"Eval.dataset.data_dir={tmp_path / 'val'}",
               "Train.loader.batch_size_per_card=16", "Train.loader.num_workers=0",
               "Eval.loader.batch_size_per_card=8", "Eval.loader.num_workers=0")
    rank0 = (logs / "workerlog.0").read_text()
    rank1 = (logs / "workerlog.1").read_text()
    # 128 samples / (2 ranks x 16) = 4 steps per epoch on each rank
    assert re.search(r"rank 0 of 2 finished: 8 steps this run, [1-9]\d* checkpoint files written", rank0), rank0[-3000:]
    assert "rank 1 of 2 finished: 8 steps this run, 0 checkpoint files written" in rank1, rank1[-3000:]
    assert "global_step: 8" in rank0 and "global_step:" not in rank1
    assert "config:" not in rank1
    states = json.loads((save / "latest.states").read_text())
    assert states["global_step"] == 8
    assert states["best_model_dict"]["samples"] == 32  # evaluation sharded, counts summed


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _two_machine_commands(option):
    """The two machines' commands doc/tools/train.md gives with ``option`` (``--master`` or ``--ips``:
    the page shows one command for both machines with ``--ips``)."""
    lines = [line for block in code_blocks(read_page("doc/tools/train.md"), "bash") for line in block.splitlines()
             if line.startswith("python -m paddle.distributed.launch") and f"{option} " in line]
    assert len(lines) == (2 if option == "--master" else 1), lines
    return lines * (3 - len(lines))


def _on_this_machine(command, rank, port, log_dir):
    """A page's command for machine ``rank`` (of 4 GPUs) as one CPU process here: the machines'
    addresses become loopback ones (``--master``: 127.0.0.1; ``--ips``: 127.0.0.2 and 127.0.0.3, the
    launcher refusing 127.0.0.1 there, each launcher told which is its own with ``--host``), the
    ports free ones, ``--gpus 0,1,2,3`` one process, and the launcher's log goes to ``log_dir``."""
    args = shlex.split(command)[1:]  # without "python"
    if "--master" in args:
        args[args.index("--master") + 1] = f"127.0.0.1:{port}"
    else:
        ips = args.index("--ips")
        args[ips + 1] = "127.0.0.2,127.0.0.3"
        args[ips + 2:ips + 2] = ["--host", f"127.0.0.{2 + rank}", "--start_port", str(port)]
    gpus = args.index("--gpus")
    args[gpus:gpus + 2] = ["--nproc_per_node", "1", "--log_dir", str(log_dir)]
    return args


def _opts(data, save):  # 64 samples / (2 processes x 16) = 2 steps; no evaluation
    return ["-o", "Global.use_gpu=False", "Global.epoch_num=1", f"Global.save_model_dir={save}",
            "Global.print_batch_step=1", "Global.eval_batch_step=[0,1000]", "Global.cpu_replicas=1",
            f"Train.dataset.data_dir={data / 'train'}", f"Eval.dataset.data_dir={data / 'val'}",
            "Train.loader.batch_size_per_card=16", "Train.loader.num_workers=0", "Eval.loader.num_workers=0"]


@pytest.fixture(scope="module")
def one_launcher(tmp_path_factory):
    """Data, and the weights of one launcher with two processes trained on it."""
    data = tmp_path_factory.mktemp("two_nodes")
    generate(64, seed=13, lmdb_dir=str(data / "train"))
    generate(8, seed=14, lmdb_dir=str(data / "val"))
    run_tool("-m", "paddle.distributed.launch", "--nproc_per_node", "2", "--log_dir", data / "one_log",
             "tools/train.py", "-c", "configs/rec/rec_mv3_tps_bilstm_ctc.yml", *_opts(data, data / "one_node"))
    return data, paddle.load(str(data / "one_node" / "latest.pdparams"))


@pytest.mark.parametrize("option", ["--master", "--ips"])
def test_two_launchers_as_two_machines_train_the_weights_of_one_launcher_with_two_processes(option, one_launcher,
                                                                                           tmp_path):
    """The page's two-machine commands, run here as two nodes over the loopback (gloo), and one
    launcher with two processes: the same 2 processes, ranks, batches and all-reduced gradients,
    so exactly the same weights."""
    data, expected = one_launcher
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "FLAGS_call_stack_level": "0"}
    nodes = [subprocess.Popen([sys.executable, *_on_this_machine(line, rank, port, tmp_path / f"node{rank}"),
                               *_opts(data, tmp_path / "out")], cwd=REPO, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
             for rank, line in enumerate(_two_machine_commands(option))]
    try:
        outputs = [node.communicate(timeout=600)[0] for node in nodes]
    finally:
        for node in nodes:  # a node left waiting for its peer must not outlive the test
            if node.poll() is None:
                os.killpg(node.pid, signal.SIGKILL)
    logs = "\n".join(p.read_text() for p in sorted(tmp_path.glob("node*/workerlog.*")))
    assert [node.returncode for node in nodes] == [0, 0], "\n".join(outputs)[-3000:] + logs[-3000:]
    assert "rank 0 of 2 finished: 2 steps this run" in logs and "rank 1 of 2 finished: 2 steps this run" in logs
    trained = paddle.load(str(tmp_path / "out" / "latest.pdparams"))
    assert list(trained) == list(expected)
    for name in expected:
        np.testing.assert_array_equal(trained[name].numpy(), expected[name].numpy(), err_msg=name)
