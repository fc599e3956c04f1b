"""ppocr/utils/cpu.py: MKL's fast path is asked for on AMD processors only, never over the user's
own setting, and every tool does it at start-up, before any matrix product."""
import subprocess
import sys

from ppocr.utils.cpu import cpu_vendor, prefer_fast_mkl
from tests.e2e import REPO


def test_amd_gets_the_avx2_path_and_the_users_setting_wins():
    env = {}
    assert prefer_fast_mkl(env, vendor="AuthenticAMD") == "5" and env == {"MKL_DEBUG_CPU_TYPE": "5"}
    env = {"MKL_DEBUG_CPU_TYPE": "2"}
    assert prefer_fast_mkl(env, vendor="AuthenticAMD") == "2"
    env = {}
    assert prefer_fast_mkl(env, vendor="GenuineIntel") is None and env == {}


def test_vendor_is_read_from_cpuinfo(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\n")
    assert cpu_vendor(str(info)) == "AuthenticAMD"
    assert cpu_vendor(str(tmp_path / "missing")) == ""


def test_every_tool_sets_it_at_start_up_on_this_machine():
    code = "import os, sys; sys.path.insert(0, 'tools'); import _bootstrap; print(os.environ.get('MKL_DEBUG_CPU_TYPE'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"}, check=True).stdout.strip()
    assert out == ("5" if cpu_vendor() == "AuthenticAMD" else "None")
