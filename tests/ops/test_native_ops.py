"""ppocr/ops: the CPU depthwise convolution and hard-swish equal Paddle's (forward and gradients)
for the shapes MobileNetV3 uses, are what its layers run in dygraph, and never reach an
exported graph."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import paddle
import paddle.nn.functional as F
import pytest

from ppocr.modeling.backbones.rec_mobilenet_v3 import ConvBNLayer
from ppocr.ops import (
    BUILT_MARK,
    DepthwiseConv2D,
    depthwise_conv2d,
    hardswish,
    native_ops,
)
from tests.helpers.e2e import REPO

pytestmark = [pytest.mark.native_build]


@pytest.fixture(scope="module")
def ops():
    module = native_ops()
    assert module is not None, "the extension did not build (is a C++ compiler installed?)"
    return module


@pytest.mark.parametrize("kernel, stride", [(3, (1, 1)), (3, (2, 1)), (3, (2, 2)), (5, (1, 1)), (5, (2, 1))])
def test_equals_paddles_convolution_and_its_gradients(ops, kernel, stride):
    rng = np.random.default_rng(kernel * 10 + stride[0])
    x = paddle.to_tensor(rng.normal(size=(3, 6, 9, 14)).astype("float32"), stop_gradient=False)
    w = paddle.to_tensor(rng.normal(size=(6, 1, kernel, kernel)).astype("float32"), stop_gradient=False)
    padding = (kernel // 2, kernel // 2)
    expected = F.conv2d(x, w, stride=list(stride), padding=list(padding), groups=6)
    grad = paddle.to_tensor(rng.normal(size=expected.shape).astype("float32"))
    expected_grads = paddle.grad(expected, [x, w], grad)
    out = ops.ppocr_depthwise_conv2d(x, w, list(stride), list(padding))
    grads = paddle.grad(out, [x, w], grad)
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-5, atol=1e-5)
    for got, want in zip(grads, expected_grads):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=2e-5)


def test_weight_gradient_of_a_training_batch_of_text_lines(ops):
    """A batch of 32 feature maps 2 high and 50 wide (MobileNetV3's last blocks): each tap's weight
    gradient sums 3,200 products per channel."""
    rng = np.random.default_rng(7)
    x = paddle.to_tensor(rng.normal(size=(32, 12, 2, 50)).astype("float32"), stop_gradient=False)
    w = paddle.to_tensor(rng.normal(size=(12, 1, 5, 5)).astype("float32"), stop_gradient=False)
    expected = F.conv2d(x, w, padding=[2, 2], groups=12)
    grad = paddle.to_tensor(rng.normal(size=expected.shape).astype("float32"))
    want = paddle.grad(expected, [w], grad)[0].numpy()
    got = paddle.grad(ops.ppocr_depthwise_conv2d(x, w, [1, 1], [2, 2]), [w], grad)[0].numpy()
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-3)


def test_hardswish_equals_paddles_and_its_gradient_at_the_kinks(ops):
    kinks = np.array([-3.0, 0.0, 3.0, -3.0001, -2.9999, 2.9999, 3.0001, -1.5], dtype="float32")
    values = np.concatenate([kinks, np.random.default_rng(3).normal(scale=4.0, size=496).astype("float32")])
    x = paddle.to_tensor(values.reshape(4, 2, 7, 9), stop_gradient=False)
    grad = paddle.to_tensor(np.random.default_rng(4).normal(size=x.shape).astype("float32"))
    expected = F.hardswish(x)
    out = ops.ppocr_hardswish(x)
    np.testing.assert_array_equal(out.numpy(), expected.numpy())
    np.testing.assert_allclose(paddle.grad(out, [x], grad)[0].numpy(), paddle.grad(expected, [x], grad)[0].numpy(),
                               rtol=1e-6, atol=1e-7)


def test_mobilenet_layers_run_the_hardswish_kernel_in_dygraph_and_paddles_in_a_static_graph(ops, monkeypatch,
                                                                                              tmp_path):
    layer = ConvBNLayer(4, 6, 1, act="hardswish")
    x = paddle.rand([2, 4, 3, 5]) * 8 - 4
    calls = []
    original = ops.ppocr_hardswish
    monkeypatch.setattr(ops, "ppocr_hardswish", lambda *a: calls.append(1) or original(*a))
    layer.eval()
    y = layer(x)
    assert calls
    np.testing.assert_allclose(y.numpy(), F.hardswish(layer.bn(layer.conv(x))).numpy(), rtol=1e-6, atol=1e-6)
    spec = [paddle.static.InputSpec([None, 4, 3, 5], "float32", "x")]
    paddle.jit.save(paddle.jit.to_static(layer, input_spec=spec, full_graph=True), str(tmp_path / "m"))
    graph = (tmp_path / "m.json").read_text()
    assert "ppocr_hardswish" not in graph and "hardswish" in graph
    monkeypatch.setenv("PPOCR_NATIVE_OPS", "0")
    calls.clear()
    np.testing.assert_allclose(hardswish(x).numpy(), F.hardswish(x).numpy())
    assert not calls


def test_the_layer_runs_the_fast_kernel_in_dygraph_and_paddles_in_a_static_graph(ops, monkeypatch, tmp_path):
    layer = DepthwiseConv2D(4, 3, stride=(2, 1), padding=1)
    x = paddle.rand([2, 4, 8, 10])
    calls = []
    original = ops.ppocr_depthwise_conv2d
    monkeypatch.setattr(ops, "ppocr_depthwise_conv2d", lambda *a: calls.append(1) or original(*a))
    y = layer(x)
    assert calls and y.shape == [2, 4, 4, 10]
    np.testing.assert_allclose(y.numpy(), F.conv2d(x, layer.weight, stride=[2, 1], padding=1, groups=4).numpy(),
                               rtol=1e-5, atol=1e-6)
    spec = [paddle.static.InputSpec([None, 4, 8, 10], "float32", "x")]
    paddle.jit.save(paddle.jit.to_static(layer, input_spec=spec, full_graph=True), str(tmp_path / "m"))
    graph = (tmp_path / "m.json").read_text()
    assert "ppocr_depthwise" not in graph and "depthwise_conv2d" in graph


def test_off_switch_and_non_cpu_inputs_use_paddles_operator(monkeypatch):
    x, w = paddle.rand([1, 3, 5, 5]), paddle.rand([3, 1, 3, 3])
    monkeypatch.setenv("PPOCR_NATIVE_OPS", "0")
    assert native_ops() is None
    np.testing.assert_allclose(depthwise_conv2d(x, w, (1, 1), (1, 1)).numpy(),
                               F.conv2d(x, w, padding=1, groups=3).numpy(), rtol=1e-6)
    monkeypatch.delenv("PPOCR_NATIVE_OPS")
    # switched back on, the same process still has the operator (it is loaded once, never twice)
    assert hasattr(native_ops(), "ppocr_depthwise_conv2d")


def test_a_finished_build_loads_in_a_new_process_without_paddles_setup_run(ops):
    """A new process loads the built library directly: Paddle's ``load`` (a ``setup.py`` under a new
    Python, 3 s at every start) must not run. Without the build mark it must (a build in progress
    or interrupted is never trusted)."""
    probe = ("import paddle.utils.cpp_extension as c, ppocr.ops as o\n"
             "def refuse(*a, **k):\n"
             "    raise RuntimeError('load ran')\n"
             "c.load = refuse\n"
             "print('LOADED' if o.native_ops() is not None else 'NONE')\n")
    run = lambda: subprocess.run([sys.executable, "-c", probe], check=False, cwd=REPO, capture_output=True, text=True,
                                 timeout=120, env={**os.environ, "PPOCR_NATIVE_OPS": "1"})
    proc = run()
    assert proc.returncode == 0 and proc.stdout.strip().endswith("LOADED"), proc.stdout + proc.stderr[-2000:]
    mark = Path(ops.__file__).parents[1] / BUILT_MARK
    assert mark.is_file()
    mark.rename(mark.with_suffix(".moved"))
    try:
        proc = run()
        assert proc.stdout.strip().endswith("NONE") and "load ran" in proc.stderr, proc.stdout + proc.stderr[-2000:]
    finally:
        mark.with_suffix(".moved").rename(mark)


def test_the_cache_folder_is_keyed_by_the_processors_instruction_sets(tmp_path):
    """A home folder shared by a cluster: a library built with -march=native on a processor with
    AVX-512 must not be the one an AVX2-only processor loads; the same instruction sets (in any
    order) share one build."""
    from ppocr.ops import _cpu_flags, build_folder_name

    older, newer = ["sse4_2", "avx", "avx2", "fma"], ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw"]
    assert build_folder_name(b"kernels", older) != build_folder_name(b"kernels", newer)
    assert build_folder_name(b"kernels", older) == build_folder_name(b"kernels", list(reversed(older)))
    assert build_folder_name(b"kernels", older) != build_folder_name(b"kernels v2", older)
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse4_2 avx2 avx512f\n\n"
                       "processor\t: 1\nflags\t\t: fpu sse4_2 avx2 avx512f\n")
    assert _cpu_flags(str(cpuinfo)) == ["fpu", "sse4_2", "avx2", "avx512f"]
    assert _cpu_flags(str(tmp_path / "missing")) == []


def test_the_first_build_says_so_once(monkeypatch, tmp_path, caplog):
    """The first run compiles (about 15 s, a C++ compiler needed): one line on screen says so; a
    process that finds the build done says nothing."""
    import paddle.utils.cpp_extension as cpp
    import paddle.utils.cpp_extension.extension_utils as utils

    import ppocr.ops as native

    class Built:
        ppocr_depthwise_conv2d = ppocr_hardswish = None

    builds = []
    monkeypatch.setattr(utils, "get_build_directory", lambda: str(tmp_path))
    monkeypatch.setattr(cpp, "load", lambda **kwargs: builds.append(kwargs) or Built())
    monkeypatch.setattr(native, "_load_built", lambda build_dir: Built() if builds else None)
    for _ in range(2):
        assert native._build.__wrapped__() is not None
    notices = [r.getMessage() for r in caplog.records if "compiling CPU kernels" in r.getMessage()]
    assert len(builds) == 1 and len(notices) == 1, notices
    assert notices[0].startswith("compiling CPU kernels, once") and str(tmp_path) in notices[0]


def test_loading_the_built_kernels_prints_nothing():
    """A process that finds the build done loads it silently: Paddle's loader logs "using custom
    operator only" (twice, through two handlers) at every load unless held back."""
    code = "import ppocr.ops as o; print('loaded', o.native_ops() is not None)"
    for _ in range(2):  # the first run may build; the second finds the build
        proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "loaded True\n"
    assert "custom operator" not in proc.stderr
