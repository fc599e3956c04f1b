"""The Paddle inference predictor's settings, from predict_rec's engine flags (the reference's
``tools/infer/utility.py``, PaddleOCR at 79f652f5: ``create_predictor``).

- GPU: ``enable_use_gpu(gpu_mem, gpu_id)``; with ``use_tensorrt`` a TensorRT engine of
  ``precision`` (fp32, fp16, int8), ``min_subgraph_size`` and ``max_batch_size``: for an old
  ``.pdmodel`` graph Paddle's TensorRT subgraphs with shapes collected into
  ``rec_trt_dynamic_shape.txt`` beside the model on the first run; for a ``.json`` (PIR) graph
  ``paddle.tensorrt``'s conversion, cached under ``.cache/trt`` beside the model, with the input
  shapes of the folder's description (the reference asks its ``inference.yml`` for them).
- XPU, NPU, MLU, GCU: Paddle's ``enable_xpu`` / ``enable_custom_device``.
- CPU: ``cpu_threads`` compute threads; oneDNN on (``enable_mkldnn`` True), off (False) or
  Paddle's default (None: on); ``precision`` fp16 runs oneDNN's bfloat16, as the reference does.

A device this PaddlePaddle was not built for, or a flag for a device not in use, gives one warning
line and the run goes on where it can (the CPU). ``PaddleBuild`` says what the build has; tests
pass their own, with a fake ``paddle.inference``, to check the GPU settings on a CPU machine.

Example::

    config = paddle_config(info, EngineOptions(use_gpu=True, gpu_id=1, gpu_mem=2000))
    config.gpu_device_id()     # 1 on a GPU build (a CPU build warns and predicts on the CPU)
"""
import dataclasses
import logging
import os

from ppocr.errors import UserError
from ppocr.export.model_folder import paddle_files
from ppocr.utils.cpu import available_cores

logger = logging.getLogger("ppocr")
PRECISIONS = ("fp32", "fp16", "int8")
DEVICES = ("gpu", "npu", "mlu", "xpu", "gcu")  # the reference's order when several are asked for
GPU_DEFAULTS = {"gpu_id": 0, "gpu_mem": 500, "min_subgraph_size": 15, "max_batch_size": 10}
TRT_WORKSPACE = 1 << 30
XPU_L3_CACHE = 10 * 1024 * 1024
TRT_SHAPE_FILE = "rec_trt_dynamic_shape.txt"
MAX_TRT_WIDTH = 3200  # widest input of a batch-width model: the reference's own recognition shapes go to 3200


@dataclasses.dataclass(frozen=True)
class EngineOptions:
    """predict_rec's engine flags (Paddle inference's; onnxruntime reads ``use_gpu``, ``gpu_id``,
    ``cpu_threads`` and ``onnx_providers``). None for ``gpu_id``, ``gpu_mem``, ``min_subgraph_size`` and
    ``max_batch_size`` means not given (the reference's default applies: 0, 500, 15, 10)."""

    use_gpu: bool = False
    gpu_id: int = None
    gpu_mem: int = None
    use_tensorrt: bool = False
    precision: str = "fp32"
    min_subgraph_size: int = None
    max_batch_size: int = None
    use_xpu: bool = False
    use_npu: bool = False
    use_mlu: bool = False
    use_gcu: bool = False
    enable_mkldnn: bool = None
    cpu_threads: int = None
    ir_optim: bool = True
    onnx_providers: tuple = None  # onnxruntime's execution providers, in order (None: CPU, or CUDA with use_gpu)

    def __post_init__(self):
        if self.precision not in PRECISIONS:
            raise UserError(f"precision={self.precision!r}: expected one of {', '.join(PRECISIONS)}")
        for name in ("gpu_id", "gpu_mem", "min_subgraph_size", "max_batch_size", "cpu_threads"):
            value, least = getattr(self, name), 0 if name == "gpu_id" else 1
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < least):
                raise UserError(f"{name}={value!r}: expected an integer of at least {least}")

    def gpu(self, name):
        value = getattr(self, name)
        return GPU_DEFAULTS[name] if value is None else value

    @property
    def device(self):
        """The device asked for: the first of gpu, npu, mlu, xpu, gcu set, else cpu."""
        return next((d for d in DEVICES if getattr(self, f"use_{d}")), "cpu")

    def gpu_only_given(self):
        """The GPU-only flags given (for the one line saying they do not apply)."""
        given = [f"{name}={getattr(self, name)}" for name in GPU_DEFAULTS if getattr(self, name) is not None]
        return given + (["use_tensorrt=True"] if self.use_tensorrt else [])


@dataclasses.dataclass(frozen=True)
class PaddleBuild:
    """What this PaddlePaddle can run on: CUDA, TensorRT, XPU, the custom devices plugged in."""

    cuda: bool = False
    tensorrt: bool = False
    xpu: bool = False
    custom_devices: tuple = ()

    @classmethod
    def detect(cls):
        import paddle
        import paddle.inference as paddle_infer

        cuda = paddle.is_compiled_with_cuda()
        return cls(cuda=cuda, tensorrt=cuda and tuple(paddle_infer.get_trt_compile_version()) != (0, 0, 0),
                   xpu=paddle.is_compiled_with_xpu(), custom_devices=tuple(paddle.device.get_all_custom_device_type() or ()))


def _usable_device(options, build):
    """The device the run takes, with one warning line when it is not the one asked for."""
    device = options.device
    missing = {"gpu": None if build.cuda else "this PaddlePaddle is a CPU build (pip install paddlepaddle-gpu)",
               "xpu": None if build.xpu else "this PaddlePaddle has no XPU support (pip install paddlepaddle-xpu)"}
    for name in ("npu", "mlu", "gcu"):
        missing[name] = None if name in build.custom_devices else \
            f"no '{name}' device plugin is installed for this PaddlePaddle (PaddleCustomDevice)"
    if device != "cpu" and missing[device]:
        unused = options.gpu_only_given() if device == "gpu" else []
        logger.warning("use_%s: %s; predicting on the CPU%s", device, missing[device],
                       f" ({', '.join(unused)} do not apply)" if unused else "")
        return "cpu"
    if device != "gpu" and options.gpu_only_given():
        logger.warning("%s apply to the GPU only (--use_gpu True): not used on the %s",
                       ", ".join(options.gpu_only_given()), device.upper())
    return device


def paddle_config(info, options, inference=None, build=None):
    """A ``paddle.inference.Config`` for the folder ``info`` (a ``ModelInfo``) set as ``options``
    say; ``inference`` and ``build`` stand in for ``paddle.inference`` and ``PaddleBuild.detect()``."""
    if inference is None:
        import paddle.inference as inference
    build = PaddleBuild.detect() if build is None else build
    graph, params = paddle_files(info.model_dir)
    config = inference.Config(graph, params)
    device = _usable_device(options, build)
    if device == "gpu":
        config = _gpu(config, graph, params, info, options, inference, build)
    elif device == "xpu":
        config.enable_xpu(XPU_L3_CACHE)
    elif device == "gcu" and options.precision == "fp16":
        config.enable_custom_device("gcu", 0, inference.PrecisionType.Half)
    elif device != "cpu":
        config.enable_custom_device(device)
    else:
        _cpu(config, info, options)
    for name in info.paddle_delete_passes:
        config.delete_pass(name)
    config.switch_ir_optim(bool(options.ir_optim))
    config.disable_glog_info()
    return config


def _precision(options, inference):
    if options.precision == "fp16":
        return inference.PrecisionType.Half
    return inference.PrecisionType.Int8 if options.precision == "int8" else inference.PrecisionType.Float32


def _gpu(config, graph, params, info, options, inference, build):
    config.enable_use_gpu(options.gpu("gpu_mem"), options.gpu("gpu_id"))
    if not options.use_tensorrt:
        if options.precision != "fp32":
            logger.warning("precision=%s applies with --use_tensorrt True: running float32 on the GPU", options.precision)
        return config
    if not build.tensorrt:
        logger.warning("use_tensorrt: this PaddlePaddle was built without TensorRT; running the GPU predictor without it")
        return config
    if graph.endswith(".json"):
        converted = convert_to_tensorrt(graph, params, info, options)
        config = inference.Config(converted + ".json", converted + ".pdiparams")
        config.enable_use_gpu(options.gpu("gpu_mem"), options.gpu("gpu_id"))
        return config
    config.enable_tensorrt_engine(workspace_size=TRT_WORKSPACE, max_batch_size=options.gpu("max_batch_size"),
                                  min_subgraph_size=options.gpu("min_subgraph_size"),
                                  precision_mode=_precision(options, inference), use_static=False, use_calib_mode=False)
    shape_file = os.path.join(info.model_dir, TRT_SHAPE_FILE)
    if not os.path.exists(shape_file):
        # the first run records each tensor's shapes; later runs build their engines from them
        config.collect_shape_range_info(shape_file)
        logger.info("collecting TensorRT's dynamic shapes into %s", shape_file)
    config.enable_tuned_tensorrt_dynamic_shape(shape_file, True)
    return config


def trt_input_shapes(info, options):
    """(min, opt, max) input shapes of the TensorRT engine: batches of 1 to ``max_batch_size``,
    widths from the model's to ``MAX_TRT_WIDTH`` when a batch takes its widest word's width."""
    channels, height, width = info.image_shape
    batch_width = any("BatchRecResizeImg" in op for op in info.transform_ops)
    most = options.gpu("max_batch_size")
    return ([1, channels, height, width], [most, channels, height, width],
            [most, channels, height, max(width, MAX_TRT_WIDTH) if batch_width else width])


def convert_to_tensorrt(graph, params, info, options):
    """Convert a PIR graph to one with TensorRT engines (once: the result is cached beside the
    model, per precision); returns the converted model's path prefix."""
    from paddle.tensorrt.export import Input, PrecisionMode, TensorRTConfig, convert

    prefix = os.path.join(info.model_dir, ".cache", "trt", f"inference_{options.precision}")
    if os.path.exists(prefix + ".json") and os.path.exists(prefix + ".pdiparams"):
        return prefix
    low, best, high = trt_input_shapes(info, options)
    mode = {"fp32": PrecisionMode.FP32, "fp16": PrecisionMode.FP16, "int8": PrecisionMode.INT8}[options.precision]
    trt = TensorRTConfig(inputs=[Input(min_input_shape=low, optim_input_shape=best, max_input_shape=high)],
                         min_subgraph_size=options.gpu("min_subgraph_size"), precision_mode=mode,
                         workspace_size=TRT_WORKSPACE)
    trt.save_model_dir = prefix
    logger.info("building TensorRT engines for %s (once; cached in %s)", graph, os.path.dirname(prefix))
    convert(os.path.splitext(graph)[0], trt)
    return prefix


def _cpu(config, info, options):
    config.disable_gpu()
    config.set_cpu_math_library_num_threads(int(options.cpu_threads or available_cores()))
    onednn = options.enable_mkldnn
    if info.paddle_onednn is False and onednn is not False:
        logger.info("oneDNN cannot run this PaddleOCR graph under Paddle 3.3.1 (a float64 attribute of its "
                    "rectifier): running it with oneDNN off")
        onednn = False
    if onednn is False:
        config.disable_mkldnn()
    elif onednn or options.precision == "fp16":
        config.set_mkldnn_cache_capacity(10)  # words of many widths would otherwise each keep their kernels
        config.enable_mkldnn()
        if options.precision == "fp16":
            config.enable_mkldnn_bfloat16()
    if options.precision == "int8":
        logger.warning("precision=int8 applies to TensorRT on the GPU: running float32 on the CPU")
    if hasattr(config, "enable_new_ir"):
        config.enable_new_ir()  # the reference runs old .pdmodel graphs through the new IR too
        config.enable_new_executor()
