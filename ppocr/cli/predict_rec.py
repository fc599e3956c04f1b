"""Command line of ``tools/infer/predict_rec.py``: the reference's flags (``predict_flags``), the
run, and its ``--warmup``, ``--benchmark`` and ``--save_log_path`` as the reference has them."""
import logging
import os
import resource
import time

import numpy as np

from ppocr.cli.predict_flags import build_parser, not_applying, read_booleans
from ppocr.data.preprocess import list_images
from ppocr.errors import UserError
from ppocr.inference.pipeline import Skipped
from ppocr.inference.predictor import TextRecognizer
from ppocr.utils.cpu import default_cpu_threads
from ppocr.utils.logging import get_logger

logger = logging.getLogger("ppocr")
LOG_FILE_NAME = "benchmark_recognition.log"  # the reference's, when --save_log_path is a folder
WARMUP_IMAGE = (48, 320, 3)  # the reference warms up on noise of this size, twice, a whole batch each time


def log_file(save_log_path):
    """The reference's reading of ``--save_log_path``: a folder (existing, or ending in /) gets
    ``benchmark_recognition.log`` inside it; anything else is the file."""
    if save_log_path is None:
        return None
    if os.path.isdir(save_log_path) or (not os.path.exists(save_log_path) and save_log_path.endswith(("/", os.sep))):
        return os.path.join(save_log_path, LOG_FILE_NAME)
    return save_log_path


def results_logger(path):
    """A logger that writes only to the log file, for the result lines (the console gets them printed)."""
    results = logging.getLogger("ppocr.predicts")
    results.propagate = False
    for handler in list(results.handlers):
        results.removeHandler(handler)
        handler.close()
    if path:
        handler = logging.FileHandler(path, mode="a", encoding="utf-8")
        handler.setFormatter(logger.handlers[0].formatter)
        results.addHandler(handler)
    results.setLevel(logging.INFO)
    return results


def notices(args):
    """One line for each flag that is accepted but does nothing here."""
    other = not_applying(args)
    if other:
        logger.info(other)
    if args.rec_image_inverse is not None:
        logger.info("--rec_image_inverse: the reference reads it for CAN only; STAR-Net and SPIN do not use it")
    if args.return_word_box:
        logger.info("--return_word_box: this toolkit gives no word boxes (the reference uses them for PP-Structure's "
                    "layout recovery); the readings are as without it")
    if args.onnx_sess_options is not None:
        logger.info("--onnx_sess_options: ignored; onnxruntime runs with this tool's session options (--cpu_threads)")


def warmup(recognizer, batch_size):
    """Two untimed batches of noise, as the reference's --warmup, then the timings start afresh."""
    noise = np.random.default_rng(0).integers(0, 256, size=WARMUP_IMAGE, dtype=np.uint8)
    for _ in range(2):
        recognizer([noise] * batch_size)
    recognizer.times.update({"preprocess": 0.0, "inference": 0.0, "postprocess": 0.0, "images": 0})


def benchmark_report(recognizer, seconds):
    """The run's settings and timings, logged (so they reach --save_log_path too), in the reference's
    order: model, data, performance."""
    t, engine = recognizer.times, recognizer.engine
    n = max(t["images"], 1)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    device = engine.device if recognizer.backend_name == "paddle" else "onnxruntime"
    lines = [f"model: {recognizer.model_dir} ({recognizer.algorithm}), backend {recognizer.backend_name}, "
             f"precision {engine.precision}, device {device}, cpu_threads {engine.cpu_threads}, "
             f"enable_mkldnn {engine.enable_mkldnn}",
             f"data: batch_size {recognizer.batch_size}, input_shape {'dynamic' if recognizer.preprocess.batch_op else recognizer.image_shape}, "
             f"data_num {t['images']}",
             f"perf: cpu_rss(MB) {rss_mb:.1f}, total time spent(s) {seconds:.3f}, per image: "
             f"preprocess_time(ms) {1000 * t['preprocess'] / n:.2f}, inference_time(ms) {1000 * t['inference'] / n:.2f}, "
             f"postprocess_time(ms) {1000 * t['postprocess'] / n:.2f}"]
    for line in lines:
        logger.info("benchmark %s", line)


def build_recognizer(args):
    for name in ("rec_batch_num", "cpu_threads", "gpu_mem", "min_subgraph_size", "max_batch_size", "max_text_length"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise UserError(f"--{name}={value}: expected a positive integer")
    if args.gpu_id is not None and args.gpu_id < 0:
        raise UserError(f"--gpu_id={args.gpu_id}: expected 0 or more (the GPU's number)")
    if args.max_image_pixels < 0:
        raise UserError(f"--max_image_pixels={args.max_image_pixels}: expected a number of pixels, or 0 for no limit")
    # Paddle inference stays the default: the seed documents' commands run it
    return TextRecognizer(
        args.rec_model_dir, backend="onnxruntime" if args.use_onnx else "paddle", batch_size=args.rec_batch_num,
        use_gpu=args.use_gpu, enable_mkldnn=args.enable_mkldnn, cpu_threads=args.cpu_threads or default_cpu_threads(),
        max_image_pixels=args.max_image_pixels or None,
        gpu_id=args.gpu_id, gpu_mem=args.gpu_mem, use_tensorrt=args.use_tensorrt, precision=args.precision,
        min_subgraph_size=args.min_subgraph_size, max_batch_size=args.max_batch_size, ir_optim=args.ir_optim,
        use_xpu=args.use_xpu, use_npu=args.use_npu, use_mlu=args.use_mlu, use_gcu=args.use_gcu,
        onnx_providers=args.onnx_providers, rec_algorithm=args.rec_algorithm, rec_image_shape=args.rec_image_shape,
        rec_char_dict_path=args.rec_char_dict_path, use_space_char=args.use_space_char,
        max_text_length=args.max_text_length)


def main(argv=None):
    args = build_parser().parse_args(argv)
    path = log_file(args.save_log_path)
    get_logger(log_file=path)
    read_booleans(args)
    if not args.show_log:
        logger.setLevel(logging.WARNING)
    notices(args)
    results_log = results_logger(path)
    recognizer = build_recognizer(args)
    if args.warmup:
        warmup(recognizer, args.rec_batch_num)
    paths = list_images(args.image_dir)
    results = []
    # bounded memory on large folders; a PaddleOCR folder's batches are made from all the images
    # sorted by shape, as the reference makes them, so its words meet the same neighbours
    chunk = len(paths) if recognizer.preprocess.batch_op is not None else 16 * args.rec_batch_num
    start = time.perf_counter()
    for k in range(0, len(paths), chunk):
        results += recognizer(paths[k : k + chunk])
    seconds = time.perf_counter() - start
    for path, result in zip(paths, results):
        if isinstance(result, Skipped):
            logger.warning("skipped %s: %s", path, result.reason)
            continue
        print(f"Predicts of {path}:{result!r}")
        results_log.info("Predicts of %s:%r", path, result)
    if all(isinstance(result, Skipped) for result in results):
        raise UserError(f"none of the {len(paths)} images under {args.image_dir!r} could be read "
                        "(each is named above): give image files that OpenCV decodes (png, jpg, bmp, ...)")
    if args.benchmark:
        benchmark_report(recognizer, seconds)
    return list(zip(paths, results))
