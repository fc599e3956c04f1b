"""CPU kernels of this project, compiled on first use with Paddle's C++ extension tooling.

Paddle 3.3's CPU depthwise convolution (forward and, worse, backward) is the largest cost of
training MobileNetV3 on a CPU; ``kernels.cc`` computes the same convolution with vectorised
loops over (image, channel) planes, and MobileNetV3's hard-swish activation over all the cores
(Paddle's runs on one, its backward 2-3x slower than its forward). They are used in dygraph on
the CPU only: on a GPU, in an exported graph (oneDNN's kernels serve inference) and wherever
they cannot be built (no C++ compiler), Paddle's own operators run, after one warning.
``PPOCR_NATIVE_OPS=0`` turns them off.

Example::

    from ppocr.ops import depthwise_conv2d, hardswish
    y = depthwise_conv2d(x, weight, stride=(2, 1), padding=(1, 1))   # = F.conv2d(..., groups=C)
    z = hardswish(y)                                                  # = F.hardswish(y)
"""
import contextlib
import ctypes
import fcntl
import functools
import hashlib
import logging
import os
import threading

import paddle
import paddle.nn.functional as F

logger = logging.getLogger("ppocr")
SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernels.cc")
OPS = ("ppocr_depthwise_conv2d", "ppocr_hardswish")
FLAGS = ("-O3", "-fopenmp", "-march=native")
LIBRARY = "ppocr_ops.so"
BUILT_MARK = ".built"  # written after a build that loaded: the library beside it is complete
_BUILD_LOCK = threading.Lock()  # model replicas on several threads reach the first build together


def native_ops():
    """The compiled extension module, or None (turned off, or it could not be built)."""
    if os.environ.get("PPOCR_NATIVE_OPS", "1") == "0":
        return None
    with _BUILD_LOCK:
        return _build()


def set_native_threads(threads):
    """The calling thread's thread count for these kernels (OpenMP's per-thread setting); a no-op
    when they are not in use."""
    module = native_ops()
    if module is not None:
        _library(module).ppocr_set_num_threads(int(threads))


@functools.cache
def _library(module):
    return ctypes.CDLL(module.__ppocr_library__)


@functools.cache
def _build():
    # built and loaded once per process: Paddle registers a custom operator once, and a second load
    # of the same library returns a module without it
    import warnings

    from paddle.utils.cpp_extension import load
    from paddle.utils.cpp_extension.extension_utils import get_build_directory

    with open(SOURCE, "rb") as f:
        source = f.read()
    build_dir = os.path.join(get_build_directory(), build_folder_name(source, _cpu_flags()))
    os.makedirs(build_dir, exist_ok=True)
    try:
        # one build at a time: the processes of a distributed run all reach here together
        with open(os.path.join(build_dir, ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            built = _load_built(build_dir)
            if built is not None:
                return built
            logger.warning("compiling CPU kernels, once (about 15 s; needs a C++ compiler); later runs on this "
                           "processor load them from %s", build_dir)
            with warnings.catch_warnings():  # "No ccache found": one build per checkout, nothing to cache
                warnings.filterwarnings("ignore", message="No ccache found")
                with _paddle_quiet():
                    module = load(name="ppocr_ops", sources=[SOURCE], build_directory=build_dir, verbose=False,
                                  extra_cxx_cflags=list(FLAGS), extra_ldflags=["-fopenmp"])
            with open(os.path.join(build_dir, BUILT_MARK), "w") as f:
                f.write(LIBRARY + "\n")
            module.__ppocr_library__ = os.path.join(build_dir, "ppocr_ops", LIBRARY)
            return module
    except Exception as e:  # noqa: BLE001  (no compiler, no headers: Paddle's kernel still works)
        logger.warning("could not build the fast CPU kernels (depthwise convolution, hard-swish): %s; "
                       "using Paddle's own, which are slower", str(e).splitlines()[0] if str(e) else type(e).__name__)
        return None


def build_folder_name(source, cpu_flags):
    """The cache folder of one build: a digest of the source file (its path and text), the compiler
    flags, Paddle's version and the processor's instruction sets (``cpu_flags``).

    Two checkouts (or versions) never rebuild each other's library under a process that has it
    loaded (Paddle's own check compares the source's path too), and a home folder shared by the
    machines of a cluster never hands an older processor a library that ``-march=native`` built
    with instructions it lacks: each instruction-set combination gets its own build.
    """
    key = repr((SOURCE, FLAGS, paddle.__version__, sorted(set(cpu_flags)))).encode()
    return f"ppocr_ops_{hashlib.sha1(source + key).hexdigest()[:12]}"


@contextlib.contextmanager
def _paddle_quiet():
    """Paddle's extension loader's INFO lines held back (its warnings and errors still show)."""
    paddle_logger = logging.getLogger("utils.cpp_extension")
    level = paddle_logger.level
    paddle_logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        paddle_logger.setLevel(level)


def _cpu_flags(cpuinfo="/proc/cpuinfo"):
    """The processor's instruction-set flags (Linux's ``flags`` line), empty where they cannot be read."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as f:
            line = next((line for line in f if line.startswith("flags")), "")
    except OSError:
        return []
    return line.partition(":")[2].split()


def _load_built(build_dir):
    """The library a finished build left in ``build_dir``, loaded without Paddle's ``load``, which
    starts a ``setup.py`` under a new Python (about 3 s, at every process start) only to find it
    up to date; None when there is no finished build or it does not load (then ``load`` runs)."""
    library = os.path.join(build_dir, "ppocr_ops", LIBRARY)
    if not (os.path.isfile(os.path.join(build_dir, BUILT_MARK)) and os.path.isfile(library)):
        return None
    try:
        from paddle.utils.cpp_extension.extension_utils import (
            _import_module_from_library,
        )

        with _paddle_quiet():  # its loader logs "using custom operator only" at every load, twice
            module = _import_module_from_library("ppocr_ops", os.path.dirname(library), verbose=False)
        module.__ppocr_library__ = library
        return module if all(hasattr(module, op) for op in OPS) else None
    except Exception:  # noqa: BLE001  (a Paddle without this helper: the slow path still works)
        return None


def depthwise_conv2d(x, weight, stride, padding, bias=None):
    """``F.conv2d(x, weight, bias, stride, padding, groups=C)`` for ``weight`` [C, 1, KH, KW], on the
    fast CPU kernel in dygraph when it is available."""
    ops = _native_for(x)
    if ops is not None:
        out = ops.ppocr_depthwise_conv2d(x, weight, list(stride), list(padding))
        return out if bias is None else out + bias.reshape([1, -1, 1, 1])
    return F.conv2d(x, weight, bias=bias, stride=list(stride), padding=list(padding), groups=weight.shape[0])


def hardswish(x):
    """``F.hardswish(x)`` (Paddle's threshold 6, scale 6, offset 3), on the CPU kernel in dygraph when
    it is available."""
    ops = _native_for(x)
    return F.hardswish(x) if ops is None else ops.ppocr_hardswish(x)


def _native_for(x):
    """The compiled operators when they can run on ``x`` (dygraph, CPU, float32), else None."""
    if paddle.in_dynamic_mode() and x.place.is_cpu_place() and x.dtype == paddle.float32:
        return native_ops()
    return None


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
