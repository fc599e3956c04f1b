"""ppocr/utils/cpu.py: a tool takes every core it is given (shared among the processes of a
distributed run) unless OMP_NUM_THREADS says otherwise, and decides before Paddle loads."""
import subprocess
import sys

import pytest

from ppocr.utils.cpu import available_cores, processes_on_this_machine, use_all_cores
from tests.helpers.e2e import REPO

pytestmark = [pytest.mark.subprocess_tools]


def test_every_core_unless_the_user_says_otherwise():
    env = {}
    assert use_all_cores(env) == available_cores() and env["OMP_NUM_THREADS"] == str(available_cores())
    assert env["MKL_NUM_THREADS"] == env["OMP_NUM_THREADS"]
    user = {"OMP_NUM_THREADS": "1"}
    assert use_all_cores(user) == 1 and "MKL_NUM_THREADS" not in user


def test_the_processes_of_a_distributed_run_share_the_cores():
    assert processes_on_this_machine({}) == 1
    assert processes_on_this_machine({"PADDLE_TRAINERS_NUM": "2"}) == 2
    env = {"PADDLE_LOCAL_SIZE": str(available_cores() * 2)}
    assert use_all_cores(env) == 1  # never fewer than one


def test_a_tool_sets_the_threads_before_paddle_loads():
    code = ("import sys; sys.path.insert(0, 'tools'); import _bootstrap, os, paddle; "
            "print(os.environ['OMP_NUM_THREADS'])")
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == str(available_cores())
