"""CPU kernels of this project, compiled on first use with Paddle's C++ extension tooling.

Paddle 3.3's CPU depthwise convolution (forward and, worse, backward) is the largest cost of
training MobileNetV3 on a CPU; ``depthwise_conv.cc`` computes the same convolution with
vectorised loops over (image, channel) planes. It is used in dygraph on the CPU only: on a GPU,
in an exported graph (oneDNN's kernel serves inference) and wherever it cannot be built (no
C++ compiler), Paddle's own operator runs, after one warning. ``PPOCR_NATIVE_OPS=0`` turns it off.

Example::

    from ppocr.ops import depthwise_conv2d
    y = depthwise_conv2d(x, weight, stride=(2, 1), padding=(1, 1))   # = F.conv2d(..., groups=C)
"""
import fcntl
import functools
import hashlib
import logging
import os

import paddle
import paddle.nn.functional as F

logger = logging.getLogger("ppocr")
SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "depthwise_conv.cc")
FLAGS = ("-O3", "-fopenmp", "-march=native")


def native_ops():
    """The compiled extension module, or None (turned off, or it could not be built)."""
    if os.environ.get("PPOCR_NATIVE_OPS", "1") == "0":
        return None
    return _build()


@functools.lru_cache(maxsize=None)
def _build():
    # built and loaded once per process: Paddle registers a custom operator once, and a second load
    # of the same library returns a module without it
    import warnings

    from paddle.utils.cpp_extension import load
    from paddle.utils.cpp_extension.extension_utils import get_build_directory

    with open(SOURCE, "rb") as f:
        source = f.read()
    # one folder per source file (its path and text), flags and Paddle: two checkouts (or versions)
    # never rebuild each other's library under a process that has it loaded (Paddle's own check
    # compares the source's path too)
    digest = hashlib.sha1(source + repr((SOURCE, FLAGS, paddle.__version__)).encode()).hexdigest()[:12]
    build_dir = os.path.join(get_build_directory(), f"ppocr_ops_{digest}")
    os.makedirs(build_dir, exist_ok=True)
    try:
        # one build at a time: the processes of a distributed run all reach here together
        with open(os.path.join(build_dir, ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with warnings.catch_warnings():  # "No ccache found": one build per checkout, nothing to cache
                warnings.filterwarnings("ignore", message="No ccache found")
                return load(name="ppocr_ops", sources=[SOURCE], build_directory=build_dir, verbose=False,
                            extra_cxx_cflags=list(FLAGS), extra_ldflags=["-fopenmp"])
    except Exception as e:  # noqa: BLE001  (no compiler, no headers: Paddle's kernel still works)
        logger.warning("could not build the fast CPU depthwise convolution (%s); using Paddle's own, which is "
                       "slower", str(e).splitlines()[0] if str(e) else type(e).__name__)
        return None


def depthwise_conv2d(x, weight, stride, padding, bias=None):
    """``F.conv2d(x, weight, bias, stride, padding, groups=C)`` for ``weight`` [C, 1, KH, KW], on the
    fast CPU kernel in dygraph when it is available."""
    if paddle.in_dynamic_mode() and x.place.is_cpu_place() and x.dtype == paddle.float32:
        ops = native_ops()
        if ops is not None:
            out = ops.ppocr_depthwise_conv2d(x, weight, list(stride), list(padding))
            return out if bias is None else out + bias.reshape([1, -1, 1, 1])
    return F.conv2d(x, weight, bias=bias, stride=list(stride), padding=list(padding), groups=weight.shape[0])


class DepthwiseConv2D(paddle.nn.Conv2D):
    """``nn.Conv2D`` with ``groups = in_channels = out_channels`` and no bias (the same parameter;
    a batch norm folded into it for export gives it one), run by ``depthwise_conv2d``."""

    def __init__(self, channels, kernel_size, stride=1, padding=0):
        super().__init__(channels, channels, kernel_size, stride=stride, padding=padding, groups=channels,
                         bias_attr=False)
        pair = (lambda v: (int(v), int(v)) if isinstance(v, int) else tuple(int(i) for i in v))
        self.pair_stride, self.pair_padding = pair(stride), pair(padding)

    def forward(self, x):
        return depthwise_conv2d(x, self.weight, self.pair_stride, self.pair_padding, bias=self.bias)
