"""ppocr/utils/cpu.py: MKL's fast path is asked for on AMD processors only, AVX-512 only when the
processor has every extension those kernels use, never over the user's own setting, and every tool
does it at start-up, before any matrix product."""
import subprocess
import sys

import pytest

from ppocr.utils.cpu import AVX512_SKX, cpu_info, fast_mkl_type, prefer_fast_mkl
from tests.helpers.e2e import REPO

AVX2 = {"sse4_2", "avx", "avx2", "fma"}


def write_cpuinfo(path, vendor, flags):
    path.write_text(f"processor\t: 0\nvendor_id\t: {vendor}\ncpu family\t: 25\nflags\t\t: {' '.join(sorted(flags))}\n"
                    f"\nprocessor\t: 1\nvendor_id\t: {vendor}\nflags\t\t: sse\n")
    return str(path)


def test_the_kernels_follow_the_instruction_set():
    assert fast_mkl_type("AuthenticAMD", AVX2 | AVX512_SKX) == "7"
    # one extension missing (Zen 3 has none; a VM may hide some): the AVX2 kernels
    for missing in AVX512_SKX:
        assert fast_mkl_type("AuthenticAMD", AVX2 | (AVX512_SKX - {missing})) == "5"
    assert fast_mkl_type("AuthenticAMD", {"sse4_2", "avx"}) is None
    assert fast_mkl_type("GenuineIntel", AVX2 | AVX512_SKX) is None
    assert fast_mkl_type("", set()) is None


def test_the_users_setting_wins_and_intel_is_left_alone(tmp_path):
    amd512 = write_cpuinfo(tmp_path / "amd512", "AuthenticAMD", AVX2 | AVX512_SKX)
    amd2 = write_cpuinfo(tmp_path / "amd2", "AuthenticAMD", AVX2)
    intel = write_cpuinfo(tmp_path / "intel", "GenuineIntel", AVX2 | AVX512_SKX)
    env = {}
    assert prefer_fast_mkl(env, amd512) == "7" and env == {"MKL_DEBUG_CPU_TYPE": "7"}
    env = {}
    assert prefer_fast_mkl(env, amd2) == "5" and env == {"MKL_DEBUG_CPU_TYPE": "5"}
    env = {"MKL_DEBUG_CPU_TYPE": "2"}
    assert prefer_fast_mkl(env, amd512) == "2"
    env = {}
    assert prefer_fast_mkl(env, intel) is None and env == {}
    assert prefer_fast_mkl(env, str(tmp_path / "missing")) is None and env == {}


def test_vendor_and_flags_are_read_from_cpuinfo(tmp_path):
    info = write_cpuinfo(tmp_path / "cpuinfo", "AuthenticAMD", {"avx2", "fma"})
    assert cpu_info(info) == ("AuthenticAMD", {"avx2", "fma"})  # the first processor's flags
    assert cpu_info(str(tmp_path / "missing")) == ("", set())


@pytest.mark.subprocess_tools
def test_every_tool_sets_it_at_start_up_on_this_machine():
    code = "import os, sys; sys.path.insert(0, 'tools'); import _bootstrap; print(os.environ.get('MKL_DEBUG_CPU_TYPE'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"}, check=True).stdout.strip()
    assert out == str(fast_mkl_type(*cpu_info()))
