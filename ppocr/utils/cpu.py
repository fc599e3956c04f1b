"""What a process does with the CPU: how many compute threads it uses, and which MKL kernels.

**Threads.** A process uses every core it is given, unless the user says otherwise with
``OMP_NUM_THREADS``.

Paddle sets ``OMP_NUM_THREADS=1`` when it is imported and the variable is unset, so a tool must
decide before Paddle loads: each tool's first import (``tools/_bootstrap.py``) calls
``use_all_cores()``. Nothing here imports Paddle.

Example::

    from ppocr.utils.cpu import use_all_cores
    use_all_cores()   # OMP_NUM_THREADS = the cores of this process's CPU affinity, shared by the
    import paddle     # processes paddle.distributed.launch started on this machine

**MKL's kernels.** The MKL that Paddle's CPU wheel ships (2019 Update 5) picks its matrix-product kernels by CPU
vendor and gives an AMD processor a slow generic path. ``MKL_DEBUG_CPU_TYPE`` names the kernels
to use instead: ``5`` the AVX2 ones, ``7`` the AVX-512 ones (Skylake server's instruction set:
AVX-512 F, CD, BW, DQ and VL). On an AMD EPYC (Zen 5) with two threads, a float32 2048x2048
``paddle.matmul`` runs at about 55 GFLOP/s generic, 180-200 with ``5`` and 340-370 with ``7``;
Paddle's CPU convolutions are matrix products, so a ResNet34_vd STAR-Net training step runs 1.7x
faster with ``7`` than with ``5`` (MobileNetV3's, made of small products and depthwise
convolutions, the same), and ``5`` was itself 4x (MobileNetV3) to 8x (ResNet34_vd) faster than
the generic path (doc/benchmark.md). The AVX-512 kernels are chosen only when the processor
reports all five extensions, so no instruction it lacks can run.

MKL reads the variable at its first call, so it must be set before the process's first matrix
product; every tool does it at start-up (tools/_bootstrap.py), and a program using the library
can call ``prefer_fast_mkl()`` first thing or export the variable. Importing ``ppocr`` does not
set it: a process's numbers would then depend on whether it ran a product before the import
(float32 sums round differently on each kernel path). Newer MKL releases ignore the variable;
Intel processors are left alone.
"""
import os

AVX512_SKX = {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"}


def cpu_info(cpuinfo="/proc/cpuinfo"):
    """(vendor_id, set of flags) of the first processor; ('', set()) when unknown."""
    vendor, flags = "", set()
    try:
        with open(cpuinfo, encoding="ascii", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "vendor_id" and not vendor:
                    vendor = value.strip()
                elif key == "flags" and not flags:
                    flags = set(value.split())
                if vendor and flags:
                    break
    except OSError:
        pass
    return vendor, flags


def fast_mkl_type(vendor, flags):
    """The ``MKL_DEBUG_CPU_TYPE`` for a processor: '7' (AVX-512) or '5' (AVX2) on AMD, else None."""
    if vendor != "AuthenticAMD":
        return None
    if AVX512_SKX <= flags:
        return "7"
    if {"avx2", "fma"} <= flags:
        return "5"
    return None


def prefer_fast_mkl(environ=None, cpuinfo="/proc/cpuinfo"):
    """Set ``MKL_DEBUG_CPU_TYPE`` for an AMD processor unless the user set it; returns its value."""
    environ = os.environ if environ is None else environ
    if "MKL_DEBUG_CPU_TYPE" not in environ:
        kind = fast_mkl_type(*cpu_info(cpuinfo))
        if kind is not None:
            environ["MKL_DEBUG_CPU_TYPE"] = kind
    return environ.get("MKL_DEBUG_CPU_TYPE")


# the variables the compute libraries under Paddle read when they load
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS")


def available_cores():
    """The cores this process may run on (its CPU affinity, which a container or taskset narrows)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def processes_on_this_machine(environ=None):
    """Training processes sharing this machine's cores (``paddle.distributed.launch`` sets these)."""
    environ = os.environ if environ is None else environ
    for name in ("PADDLE_LOCAL_SIZE", "PADDLE_TRAINERS_NUM"):
        value = environ.get(name, "")
        if value.isdigit() and int(value) > 0:
            return int(value)
    return 1


def threads_given(environ=None):
    """``OMP_NUM_THREADS`` as a positive count, or None where it is unset or not one."""
    given = (os.environ if environ is None else environ).get("OMP_NUM_THREADS", "").strip()
    return int(given) if given.isdigit() and int(given) > 0 else None


def use_all_cores(environ=None):
    """Set ``OMP_NUM_THREADS`` (and ``MKL_NUM_THREADS``) to this process's share of the cores unless
    the user set it; returns the thread count in force."""
    environ = os.environ if environ is None else environ
    given = threads_given(environ)
    if given:
        return given
    threads = max(1, available_cores() // processes_on_this_machine(environ))
    for name in THREAD_VARIABLES:
        environ.setdefault(name, str(threads))
    return threads


def default_cpu_threads():
    """The threads a tool uses: ``OMP_NUM_THREADS`` (the user's, or ``use_all_cores``'s), else every core."""
    return threads_given() or available_cores()
