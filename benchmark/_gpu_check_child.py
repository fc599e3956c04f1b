"""One part of gpu_check.py, run as ``python _gpu_check_child.py 'JSON spec'`` with a library's own
interpreter and its checkout as working folder (``_harness.run_child``):

- ``train``, the project: for each precision of ``spec["precisions"]`` (float32, O1, O2), a trainer
  built as tools/train.py builds it (``setup``, then ``Trainer``) with the run's AMP keys set, and
  ``spec["steps"]`` steps of its own ``train_step``: every loss, images/s after ``spec["warmup"]``
  steps, the GPU's peak memory, the weights' dtypes and the warnings of the ``ppocr`` logger (under
  AMP on a CPU, the notice that the run is float32); the weights of the ``spec["save_level"]`` run
  are saved (``save_checkpoint``, as the trainer saves) for the export;
- ``train``, the reference: the same steps through its own builders and the body of its
  tools/program.py loop, mixed precision set up as its tools/train.py does;
- ``deploy``, the project: tools/export_model.py's path (``--onnx`` when asked), infer_rec's
  strings (tools/infer_rec.py's ``main``), then predict_rec's (``ppocr.cli.predict_rec.main``, what the
  tool runs) for each flag set of ``spec["predicts"]``, with the device its predictor took and the
  warnings it gave.

Prints one ``BENCH_RESULT {json}`` line per part; a part that raises prints its error and the
others still run. Imports the library it runs only.
"""
import contextlib
import json
import logging
import math
import os
import sys
import tempfile
import time
import traceback
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _train_child import Batches, end_workers, lmdb_config, overrides, reference_parts  # noqa: E402

RESULT = "BENCH_RESULT "
AMP_KEYS = ["Global.use_amp=True", "Global.amp_dtype=float16", "Global.scale_loss=1024.0",
            "Global.use_dynamic_loss_scaling=True"]  # as the reference's AMP configs set them


def emit(result):
    print(RESULT + json.dumps(result), flush=True)


def amp_opts(level):
    return [] if level == "float32" else [*AMP_KEYS, f"Global.amp_level={level}"]


class WarningLines(logging.Filter):
    """The WARNING lines logged to ``ppocr`` while attached (a filter on the logger itself: the
    tools replace its handlers)."""

    def __init__(self):
        super().__init__()
        self.lines = []

    def filter(self, record):
        if record.levelno >= logging.WARNING:
            self.lines.append(record.getMessage())
        return True


@contextlib.contextmanager
def warned():
    seen = WarningLines()
    logger = logging.getLogger("ppocr")
    logger.addFilter(seen)
    try:
        yield seen.lines
    finally:
        logger.removeFilter(seen)


def part(name, run):
    """``run()``'s result dict with ``part: name``, or the error it raised."""
    start = time.perf_counter()
    try:
        result = run()
    except BaseException as e:  # noqa: B902  (SystemExit of a tool too: the other parts still run)
        traceback.print_exc()
        result = {"error": f"{type(e).__name__}: {' '.join(str(e).split())[:400]}"}
    emit({"part": name, "seconds": round(time.perf_counter() - start, 1), **result})


# ---- training ---------------------------------------------------------------------------------
class GpuMemory:
    """The GPU's peak memory over a run, in MiB (None on the CPU)."""

    def __init__(self, paddle):
        self.paddle = paddle
        self.cuda = paddle.device.is_compiled_with_cuda() and paddle.get_device().startswith("gpu")

    def reset(self):
        if self.cuda:
            cuda = self.paddle.device.cuda
            cuda.empty_cache()
            cuda.reset_max_memory_allocated()
            cuda.reset_max_memory_reserved()

    def peak(self):
        if not self.cuda:
            return {"peak_gpu_reserved_mib": None, "peak_gpu_allocated_mib": None}
        cuda, mib = self.paddle.device.cuda, 1024 ** 2
        return {"peak_gpu_reserved_mib": round(cuda.max_memory_reserved() / mib),
                "peak_gpu_allocated_mib": round(cuda.max_memory_allocated() / mib)}


def timed_steps(step, batches, steps, warmup, batch_size):
    """``steps`` calls of ``step(batch) -> loss tensor``: every loss and the images/s after ``warmup``."""
    losses, start = [], time.perf_counter()
    for i in range(steps):
        if i == warmup:
            if losses:
                float(losses[-1])  # the device done with the warm-up
            start = time.perf_counter()
        losses.append(step(batches.next()))
    values = [float(v) for v in losses]  # waits for the device
    seconds = time.perf_counter() - start
    return {"losses": [v if math.isfinite(v) else str(v) for v in values],
            "images_per_s": batch_size * (steps - warmup) / seconds if seconds > 0 else None}


def dtypes(layer):
    return sorted({str(p.dtype).replace("paddle.", "") for p in layer.parameters()})


def project_train(spec):
    root = spec["root"]
    sys.path.insert(0, os.path.join(root, "tools"))
    import _bootstrap  # noqa: F401  what tools/train.py imports first
    sys.path.insert(0, root)
    import paddle
    from ppocr.cli.startup import setup
    from ppocr.data import end_loader_workers
    from ppocr.trained_model.checkpoint import save_checkpoint
    from ppocr.training.trainer import Trainer

    with tempfile.TemporaryDirectory(prefix="gpu_check_") as save_dir:
        config_path = lmdb_config(spec["config"], save_dir)
        for level in spec["precisions"]:
            def run(level=level):
                config, settings, _ = setup(["-c", config_path, "-o", *overrides(spec, save_dir), *amp_opts(level)], "gpu_check")
                memory = GpuMemory(paddle)
                memory.reset()
                with warned() as lines:
                    trainer = Trainer(config, settings=settings)
                try:
                    trainer.train_step.net.train()
                    result = timed_steps(lambda batch: trainer.train_step.step(batch)[0].detach(),
                                         Batches(trainer.train_loader), spec["steps"], spec["warmup"], spec["batch"])
                    result.update(memory.peak(), weights=dtypes(trainer.model), warnings=lines,
                                  device=paddle.get_device())
                    if level == spec.get("save_level"):
                        save_checkpoint(spec["save_prefix"], trainer.model, trainer.optimizer, {})
                        result["saved"] = spec["save_prefix"]
                finally:
                    end_loader_workers()
                return result

            part(f"train {level}", run)


def reference_train(spec):
    import paddle

    with tempfile.TemporaryDirectory(prefix="gpu_check_ref_") as save_dir:
        config_path = lmdb_config(spec["config"], save_dir)
        for level in spec["precisions"]:
            def run(level=level):
                parts = reference_parts({**spec, "config": config_path}, save_dir, amp_opts(level))
                loader, model, loss_class, optimizer, lr_scheduler, extra_input, _ = parts
                memory = GpuMemory(paddle)
                memory.reset()
                step = reference_step(paddle, spec["root"], level, model, loss_class, optimizer, lr_scheduler,
                                      extra_input)
                model.train()
                result = timed_steps(step, Batches(loader), spec["steps"], spec["warmup"], spec["batch"])
                end_workers()
                return {**result, **memory.peak(), "weights": dtypes(model), "device": paddle.get_device()}

            part(f"train {level}", run)


def reference_step(paddle, root, level, model, loss_class, optimizer, lr_scheduler, extra_input):
    """The per-batch body of the reference's tools/program.py train(), its AMP as tools/train.py sets it up."""
    scaler = None
    if level != "float32":
        if paddle.is_compiled_with_cuda():
            paddle.set_flags({"FLAGS_cudnn_batchnorm_spatial_persistent": 1, "FLAGS_gemm_use_half_precision_compute_type": 0})
        scaler = paddle.amp.GradScaler(init_loss_scaling=1024.0, use_dynamic_loss_scaling=True)
        if level == "O2":
            model, optimizer = paddle.amp.decorate(models=model, optimizers=optimizer, level="O2", master_weight=True,
                                                   dtype="float16")
    from tools.program import to_float32

    def forward(batch):
        return model(batch[0], data=batch[1:]) if extra_input else model(batch[0])

    def step(batch):
        model.train()
        if scaler is None:
            loss = loss_class(forward(batch), batch)["loss"]
            loss.backward()
            optimizer.step()
        else:
            with paddle.amp.auto_cast(level=level, custom_black_list=[], custom_white_list=[], dtype="float16"):
                preds = forward(batch)
            loss = loss_class(to_float32(preds), batch)["loss"]
            scaled = scaler.scale(loss)
            scaled.backward()
            scaler.minimize(optimizer, scaled)
        optimizer.clear_grad()
        if not isinstance(lr_scheduler, float):
            lr_scheduler.step()
        return loss.detach()

    return step


# ---- export and prediction ------------------------------------------------------------------------
def predictor_device(recognizer):
    """Where ``recognizer`` (a ``TextRecognizer``) runs: 'gpu:N', 'gpu:N, TensorRT', the onnxruntime
    provider, or 'cpu'."""
    backend = recognizer.backend
    if recognizer.backend_name == "onnxruntime":
        return backend.session.get_providers()[0]
    config = backend.config
    if not config.use_gpu():
        return "cpu"
    trt = config.tensorrt_engine_enabled() or os.path.isdir(os.path.join(recognizer.model_dir, ".cache", "trt"))
    return f"gpu:{config.gpu_device_id()}" + (", TensorRT" if trt else "")


def deploy(spec):
    root = spec["root"]
    sys.path.insert(0, os.path.join(root, "tools"))
    import _bootstrap  # noqa: F401  what the tools import first
    sys.path.insert(0, root)
    import infer_rec  # tools/infer_rec.py
    import paddle
    from ppocr.cli import predict_rec as predict
    from ppocr.cli.export_model import main as export_model

    weights, out, images = spec["weights"], spec["model_dir"], spec["images"]
    use_gpu = f"Global.use_gpu={bool(spec['use_gpu'])}"

    def export():
        saved = paddle.load(weights + ".pdparams")
        kinds = sorted({str(v.dtype).replace("paddle.", "") for v in saved.values() if hasattr(v, "dtype")})
        export_model(["-c", spec["config"], "-o", f"Global.pretrained_model={weights}",
                      f"Global.save_inference_dir={out}", use_gpu, *(["--onnx"] if spec["onnx"] else [])])
        return {"checkpoint_dtypes": kinds, "files": sorted(f for f in os.listdir(out) if f.startswith("inference"))}

    part("export", export)
    expected = {}

    def infer():
        lines = infer_rec.main(["-c", spec["config"], "-o", f"Global.pretrained_model={weights}", use_gpu,
                                f"Global.infer_img={images}", f"Global.save_res_path={out}/infer_rec.txt"])
        expected.update({os.path.basename(line.split("\t")[0]): line.split("\t")[1] for line in lines})
        return {"strings": expected}

    part("infer_rec", infer)
    made = []

    class Recorded(predict.TextRecognizer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    predict.TextRecognizer = Recorded
    for name, flags in spec["predicts"]:
        def run(flags=flags):
            made.clear()
            with warned() as lines:
                results = predict.main([f"--image_dir={images}", f"--rec_model_dir={out}", *flags])
            strings = {os.path.basename(path): reading[0] for path, reading in results}
            return {"strings": strings, "device": predictor_device(made[0]), "warnings": lines, "flags": flags}

        part(name, run)


def main():
    spec = json.loads(sys.argv[1])
    warnings.filterwarnings("ignore")
    print("spec:", json.dumps(spec), flush=True)
    if spec["mode"] == "deploy":
        deploy(spec)
    elif spec["library"] == "project":
        project_train(spec)
    else:
        reference_train(spec)
    end_workers()
    os._exit(0)  # paddle's atexit hooks can hang a clean exit


if __name__ == "__main__":
    main()
