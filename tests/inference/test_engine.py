"""ppocr/inference/engine.py: each engine flag of predict_rec reaches Paddle's predictor config as
the reference's utility.py sets it. The CPU settings are read back from a real
``paddle.inference.Config`` (its getters); the GPU, TensorRT and device settings, which a CPU build
of Paddle refuses, from a stand-in ``paddle.inference`` that records what is called, given a
``PaddleBuild`` that has them. A device the build lacks is one warning line and the CPU."""
import logging
import types

import paddle.inference as paddle_infer
import pytest

from ppocr.errors import UserError
from ppocr.export.model_folder import read_model_info
from ppocr.inference import engine
from ppocr.inference.engine import EngineOptions, PaddleBuild, paddle_config, trt_input_shapes
from tests.helpers.e2e import REPO

SHIPPED = REPO / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "inference"
GPU = PaddleBuild(cuda=True, tensorrt=True)


class RecordingConfig:
    """Records every call as (method, args, kwargs); ``calls_of(name)`` lists one method's."""

    def __init__(self, *files):
        self.files, self.calls = files, []

    def __getattr__(self, name):
        return lambda *args, **kwargs: self.calls.append((name, args, kwargs))

    def calls_of(self, name):
        return [(args, kwargs) for method, args, kwargs in self.calls if method == name]


FAKE = types.SimpleNamespace(Config=RecordingConfig, PrecisionType=types.SimpleNamespace(
    Float32="Float32", Half="Half", Int8="Int8", Bfloat16="Bfloat16"))


def folder(tmp_path, graph="inference.pdmodel", reference=False):
    """A ModelInfo-like description of a folder with a Paddle graph (the files' contents are not read)."""
    for name in (graph, "inference.pdiparams"):
        (tmp_path / name).write_bytes(b"")
    return types.SimpleNamespace(model_dir=str(tmp_path), image_shape=[3, 32, 100],
                                 transform_ops=[{"BatchRecResizeImg": {}}] if reference else [{"RecResizeImg": {}}],
                                 paddle_delete_passes=("operator_reshape_onednn_fuse_pass",) if reference else (),
                                 paddle_onednn=None)


def test_gpu_id_and_memory_go_to_the_predictor(tmp_path):
    config = paddle_config(folder(tmp_path), EngineOptions(use_gpu=True, gpu_id=1, gpu_mem=2000), FAKE, GPU)
    assert config.calls_of("enable_use_gpu") == [((2000, 1), {})]
    assert not config.calls_of("disable_gpu") and not config.calls_of("enable_tensorrt_engine")
    default = paddle_config(folder(tmp_path), EngineOptions(use_gpu=True), FAKE, GPU)
    assert default.calls_of("enable_use_gpu") == [((500, 0), {})]  # the reference's defaults


@pytest.mark.parametrize("precision, mode", [("fp32", "Float32"), ("fp16", "Half"), ("int8", "Int8")])
def test_tensorrt_on_an_old_graph_is_built_with_the_flags_and_collected_shapes(tmp_path, precision, mode):
    options = EngineOptions(use_gpu=True, use_tensorrt=True, precision=precision, min_subgraph_size=5, max_batch_size=8)
    config = paddle_config(folder(tmp_path), options, FAKE, GPU)
    assert config.calls_of("enable_tensorrt_engine") == [((), {
        "workspace_size": 1 << 30, "max_batch_size": 8, "min_subgraph_size": 5, "precision_mode": mode,
        "use_static": False, "use_calib_mode": False})]
    shapes = str(tmp_path / "rec_trt_dynamic_shape.txt")
    assert config.calls_of("collect_shape_range_info") == [((shapes,), {})]  # the first run records them
    assert config.calls_of("enable_tuned_tensorrt_dynamic_shape") == [((shapes, True), {})]
    (tmp_path / "rec_trt_dynamic_shape.txt").write_text("")
    later = paddle_config(folder(tmp_path), options, FAKE, GPU)
    assert not later.calls_of("collect_shape_range_info") and later.calls_of("enable_tuned_tensorrt_dynamic_shape")


def test_tensorrt_on_a_pir_graph_runs_the_converted_model(tmp_path, monkeypatch):
    converted = []
    monkeypatch.setattr(engine, "convert_to_tensorrt", lambda graph, params, info, options: converted.append(
        (graph, options.precision)) or str(tmp_path / ".cache" / "trt" / "inference_fp16"))
    info = folder(tmp_path, graph="inference.json")
    config = paddle_config(info, EngineOptions(use_gpu=True, use_tensorrt=True, precision="fp16", gpu_id=2), FAKE, GPU)
    assert converted == [(str(tmp_path / "inference.json"), "fp16")]
    assert config.files == (str(tmp_path / ".cache/trt/inference_fp16.json"), str(tmp_path / ".cache/trt/inference_fp16.pdiparams"))
    assert config.calls_of("enable_use_gpu") == [((500, 2), {})]
    # the engine's shapes: batches 1 to max_batch_size; a batch-width model's words up to 3200 wide
    assert trt_input_shapes(info, EngineOptions(max_batch_size=4)) == ([1, 3, 32, 100], [4, 3, 32, 100], [4, 3, 32, 100])
    wide = folder(tmp_path, graph="inference.json", reference=True)
    assert trt_input_shapes(wide, EngineOptions())[2] == [10, 3, 32, 3200]


def test_a_build_without_tensorrt_or_a_cpu_build_says_so_in_one_line_and_goes_on(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="ppocr"):
        config = paddle_config(folder(tmp_path), EngineOptions(use_gpu=True, use_tensorrt=True), FAKE,
                               PaddleBuild(cuda=True))
    assert config.calls_of("enable_use_gpu") and not config.calls_of("enable_tensorrt_engine")
    assert caplog.messages == ["use_tensorrt: this PaddlePaddle was built without TensorRT; running the GPU predictor "
                               "without it"]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="ppocr"):
        config = paddle_config(read_model_info(SHIPPED), EngineOptions(use_gpu=True, gpu_id=1, use_tensorrt=True,
                                                                       cpu_threads=2))
    assert caplog.messages == ["use_gpu: this PaddlePaddle is a CPU build (pip install paddlepaddle-gpu); predicting "
                               "on the CPU (gpu_id=1, use_tensorrt=True do not apply)"]
    assert not config.use_gpu() and not config.tensorrt_engine_enabled() and config.cpu_math_library_num_threads() == 2


def test_gpu_flags_without_the_gpu_are_named_once(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="ppocr"):
        paddle_config(folder(tmp_path), EngineOptions(gpu_mem=1000, max_batch_size=4), FAKE, GPU)
    assert caplog.messages == ["gpu_mem=1000, max_batch_size=4 apply to the GPU only (--use_gpu True): not used on the CPU"]


@pytest.mark.parametrize("device, build, call", [
    ("xpu", PaddleBuild(xpu=True), ("enable_xpu", (10 * 1024 * 1024,))),
    ("npu", PaddleBuild(custom_devices=("npu",)), ("enable_custom_device", ("npu",))),
    ("mlu", PaddleBuild(custom_devices=("mlu",)), ("enable_custom_device", ("mlu",))),
    ("gcu", PaddleBuild(custom_devices=("gcu",)), ("enable_custom_device", ("gcu",))),
])
def test_xpu_npu_mlu_gcu_go_through_paddles_device_api_or_say_what_is_missing(tmp_path, caplog, device, build, call):
    options = EngineOptions(**{f"use_{device}": True})
    config = paddle_config(folder(tmp_path), options, FAKE, build)
    assert config.calls_of(call[0]) == [(call[1], {})] and not config.calls_of("disable_gpu")
    with caplog.at_level(logging.WARNING, logger="ppocr"):
        config = paddle_config(folder(tmp_path), options, FAKE, PaddleBuild())
    assert config.calls_of("disable_gpu") and not config.calls_of(call[0])
    assert len(caplog.messages) == 1 and caplog.messages[0].startswith(f"use_{device}: ") and \
        caplog.messages[0].endswith("predicting on the CPU")


def test_the_cpu_settings_read_back_from_paddles_config():
    info = read_model_info(SHIPPED)
    on = paddle_config(info, EngineOptions(enable_mkldnn=True, cpu_threads=3))
    assert isinstance(on, paddle_infer.Config)
    assert not on.use_gpu() and on.mkldnn_enabled() and on.cpu_math_library_num_threads() == 3 and on.ir_optim()
    off = paddle_config(info, EngineOptions(enable_mkldnn=False, ir_optim=False))
    assert not off.mkldnn_enabled() and not off.ir_optim()
    assert paddle_config(info, EngineOptions()).mkldnn_enabled()  # None: Paddle's default, on


def test_fp16_on_the_cpu_is_onednns_bfloat16_and_int8_is_said(tmp_path, caplog):
    config = paddle_config(folder(tmp_path), EngineOptions(precision="fp16"), FAKE, PaddleBuild())
    assert [c for c, _, _ in config.calls if "mkldnn" in c] == ["set_mkldnn_cache_capacity", "enable_mkldnn",
                                                               "enable_mkldnn_bfloat16"]
    with caplog.at_level(logging.WARNING, logger="ppocr"):
        config = paddle_config(folder(tmp_path), EngineOptions(precision="int8"), FAKE, PaddleBuild())
    assert not config.calls_of("enable_mkldnn_bfloat16")
    assert caplog.messages == ["precision=int8 applies to TensorRT on the GPU: running float32 on the CPU"]


def test_a_paddleocr_graph_gets_its_oneDNN_fix(tmp_path, caplog):
    info = folder(tmp_path, reference=True)
    config = paddle_config(info, EngineOptions(), FAKE, PaddleBuild())
    assert config.calls_of("delete_pass") == [(("operator_reshape_onednn_fuse_pass",), {})]
    spin = types.SimpleNamespace(**{**vars(info), "paddle_onednn": False, "paddle_delete_passes": ()})
    with caplog.at_level(logging.INFO, logger="ppocr"):
        config = paddle_config(spin, EngineOptions(enable_mkldnn=True), FAKE, PaddleBuild())
    assert config.calls_of("disable_mkldnn") and not config.calls_of("enable_mkldnn")
    assert caplog.messages[0].startswith("oneDNN cannot run this PaddleOCR graph under Paddle 3.3.1")


@pytest.mark.parametrize("options, message", [
    (dict(precision="fp8"), "precision='fp8': expected one of fp32, fp16, int8"),
    (dict(gpu_id=-1), "gpu_id=-1: expected an integer of at least 0"),
    (dict(gpu_mem=0), "gpu_mem=0: expected an integer of at least 1"),
])
def test_a_bad_option_is_one_line(options, message):
    with pytest.raises(UserError, match=message.replace("(", r"\(")):
        EngineOptions(**options)
