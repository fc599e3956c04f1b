"""The fast code path of Paddle's bundled MKL on AMD processors.

The MKL that Paddle's CPU wheel ships picks its matrix-product kernels by CPU vendor and gives an
AMD processor a slow generic path: on an AMD EPYC with AVX-512, one thread of a float32 1024x1024
``paddle.matmul`` runs at 29 GFLOP/s, and at 82 with ``MKL_DEBUG_CPU_TYPE=5`` (the AVX2 kernels).
Paddle's CPU convolutions are matrix products, so training runs about 4x (MobileNetV3) to 8x
(ResNet34_vd) faster per step (doc/benchmark.md). MKL reads the variable at its first call, so
it must be set before the process's first matrix product; every tool does it at start-up
(tools/_bootstrap.py), and a program using the library can call ``prefer_fast_mkl()`` first thing
or export the variable. Importing ``ppocr`` does not set it: a process's numbers would then depend
on whether it ran a product before the import (float32 sums round differently on each kernel path).
Newer MKL releases ignore the variable; Intel processors are left alone.
"""
import os


def cpu_vendor(cpuinfo="/proc/cpuinfo"):
    """The ``vendor_id`` of the first processor ('AuthenticAMD', 'GenuineIntel'), or '' if unknown."""
    try:
        with open(cpuinfo, encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("vendor_id"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def prefer_fast_mkl(environ=None, vendor=None):
    """Set ``MKL_DEBUG_CPU_TYPE=5`` on an AMD processor unless the user set it; returns its value."""
    environ = os.environ if environ is None else environ
    if "MKL_DEBUG_CPU_TYPE" not in environ and (vendor if vendor is not None else cpu_vendor()) == "AuthenticAMD":
        environ["MKL_DEBUG_CPU_TYPE"] = "5"
    return environ.get("MKL_DEBUG_CPU_TYPE")
