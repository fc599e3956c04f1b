"""Command line of ``tools/infer/predict_rec.py``: the reference's flags, each value checked."""
import argparse
import logging
import os

from ppocr.charset import read_dict
from ppocr.cli.program import OneLineParser
from ppocr.data.preprocess import list_images
from ppocr.errors import UserError
from ppocr.inference.image_input import MAX_IMAGE_PIXELS
from ppocr.inference.pipeline import Skipped
from ppocr.inference.predictor import TextRecognizer
from ppocr.utils.cpu import default_cpu_threads
from ppocr.utils.logging import get_logger

logger = logging.getLogger("ppocr")


# the spellings the reference's flags take (its str2bool reads true, yes, t, y, 1 as True); anything
# else, which the reference would quietly read as False (Falsee), is refused rather than guessed
TRUE, FALSE = ("true", "t", "yes", "y", "1"), ("false", "f", "no", "n", "0")
BOOLEAN_FLAGS = ("use_gpu", "enable_mkldnn", "use_space_char", "use_onnx", "benchmark")


def str2bool(text):
    """``True``/``False`` in any letter case, or the reference's other spellings (yes/no, y/n,
    t/f, 1/0); anything else is an ``argparse`` error naming what is expected."""
    value = str(text).strip().lower()
    if value in TRUE + FALSE:
        return value in TRUE
    raise argparse.ArgumentTypeError(f"{text!r} is not a boolean: expected True or False (or yes/no, 1/0)")


def read_booleans(args):
    """The boolean flags of ``args`` (given as text) as booleans; a spelling other than True or
    False is taken as the reference takes it, and said once so nobody wonders what it meant."""
    for name in BOOLEAN_FLAGS:
        text = getattr(args, name)
        if isinstance(text, str):
            value = str2bool(text)
            if text.strip().lower() not in ("true", "false"):
                logger.info("--%s=%s read as %s", name, text, value)
            setattr(args, name, value)
    return args


def checked_bool(text):
    """argparse type: the text, once ``str2bool`` accepts it (``read_booleans`` converts it)."""
    str2bool(text)
    return str(text)


def image_shape(text):
    try:
        shape = [int(v) for v in str(text).replace(" ", "").split(",")]
    except ValueError:
        shape = []
    if len(shape) != 3 or min(shape) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not an image shape: expected three positive integers C,H,W like '3, 32, 100'")
    return shape


def build_parser():
    p = OneLineParser(description="Recognise word images with an exported model.")
    p.add_argument("--image_dir", required=True, help="an image file or a folder of images")
    p.add_argument("--rec_model_dir", required=True, help="folder written by tools/export_model.py")
    p.add_argument("--rec_image_shape", type=image_shape, default=None, help="C, H, W; checked against inference.yml")
    p.add_argument("--rec_char_dict_path", default=None, help="checked against the charset in inference.yml")
    p.add_argument("--rec_algorithm", default=None, help="e.g. STARNet or SPIN; checked against inference.yml")
    p.add_argument("--rec_batch_num", type=int, default=6)
    p.add_argument("--use_gpu", type=checked_bool, default=False)
    p.add_argument("--enable_mkldnn", type=checked_bool, default=None, help="oneDNN on the CPU (Paddle's default: on)")
    p.add_argument("--cpu_threads", type=int, default=None,
                   help="compute threads on the CPU (default: OMP_NUM_THREADS, else every core this process may use)")
    p.add_argument("--use_space_char", type=checked_bool, default=None, help="checked against inference.yml")
    p.add_argument("--use_onnx", type=checked_bool, default=False,
                   help="run inference.onnx with onnxruntime (export with --onnx); default: Paddle inference")
    p.add_argument("--benchmark", type=checked_bool, default=False, help="print per-stage timings")
    p.add_argument("--max_image_pixels", type=int, default=MAX_IMAGE_PIXELS,
                   help="skip an image of more pixels, width x height, read from its header (0: no limit)")
    return p


def check_flags(args, recognizer):
    """Each descriptive flag must agree with the exported model: say which and how to fix it."""
    charset, algorithm = recognizer.charset, recognizer.algorithm
    if args.rec_algorithm and algorithm and args.rec_algorithm != algorithm:
        raise UserError(f"--rec_algorithm={args.rec_algorithm!r} but the model in {args.rec_model_dir!r} is {algorithm!r}: "
                        f"pass --rec_algorithm={algorithm} or leave the flag out")
    exported_shape = recognizer.image_shape
    if args.rec_image_shape and exported_shape[0] == 1 and args.rec_image_shape == [3, *exported_shape[1:]]:
        # the reference's SPIN command says 3 channels; its preprocessing, like this one, reads grey
        logger.info("--rec_image_shape=%s: the model reads one grey channel, so the images are read as %s",
                    ", ".join(map(str, args.rec_image_shape)), ", ".join(map(str, exported_shape)))
    elif args.rec_image_shape and args.rec_image_shape != exported_shape:
        grey = " (one channel: the model reads grey images)" if exported_shape[0] == 1 else ""
        shape = ", ".join(map(str, exported_shape))
        raise UserError(f"--rec_image_shape={args.rec_image_shape} but the model was exported for {exported_shape}"
                        f'{grey}: pass --rec_image_shape="{shape}" or leave the flag out')
    has_space = " " in charset.characters
    if args.rec_char_dict_path is not None:
        if not os.path.isfile(args.rec_char_dict_path):
            raise UserError(f"--rec_char_dict_path={args.rec_char_dict_path!r}: no such file "
                            "(a path relative to the current folder, e.g. ./ppocr/utils/dict/spin_dict.txt)")
        use_space = has_space if args.use_space_char is None else args.use_space_char
        chars = read_dict(args.rec_char_dict_path, use_space_char=use_space)
        if chars != charset.characters:
            raise UserError(f"--rec_char_dict_path={args.rec_char_dict_path!r} has {len(chars)} characters "
                            f"but the model was trained with {len(charset.characters)} other ones: pass the training dictionary")
    if args.use_space_char is not None and args.use_space_char != has_space:
        raise UserError(f"--use_space_char={args.use_space_char} but the model's charset "
                        f"{'has' if has_space else 'has no'} space: pass --use_space_char={has_space}")


def main(argv=None):
    args = build_parser().parse_args(argv)
    get_logger()
    read_booleans(args)
    if args.rec_batch_num < 1:
        raise UserError(f"--rec_batch_num={args.rec_batch_num}: expected a positive integer")
    if args.cpu_threads is not None and args.cpu_threads < 1:
        raise UserError(f"--cpu_threads={args.cpu_threads}: expected a positive integer")
    if args.max_image_pixels < 0:
        raise UserError(f"--max_image_pixels={args.max_image_pixels}: expected a number of pixels, or 0 for no limit")
    if os.path.isfile(args.rec_model_dir):
        raise UserError(f"--rec_model_dir={args.rec_model_dir!r} is a file: pass the folder that holds it "
                        "and inference.yml (what tools/export_model.py wrote)")
    # Paddle inference stays the default: the seed documents' commands run it
    backend = "onnxruntime" if args.use_onnx else "paddle"
    recognizer = TextRecognizer(args.rec_model_dir, backend=backend, use_gpu=args.use_gpu,
                                enable_mkldnn=args.enable_mkldnn, cpu_threads=args.cpu_threads or default_cpu_threads(),
                                batch_size=args.rec_batch_num, max_image_pixels=args.max_image_pixels or None)
    check_flags(args, recognizer)
    paths = list_images(args.image_dir)
    results = []
    chunk = 16 * args.rec_batch_num  # bounded memory on large folders
    for k in range(0, len(paths), chunk):
        results += recognizer(paths[k : k + chunk])
    for path, result in zip(paths, results):
        if isinstance(result, Skipped):
            logger.warning("skipped %s: %s", path, result.reason)
            continue
        print(f"Predicts of {path}:{result!r}")
    if all(isinstance(result, Skipped) for result in results):
        raise UserError(f"none of the {len(paths)} images under {args.image_dir!r} could be read "
                        "(each is named above): give image files that OpenCV decodes (png, jpg, bmp, ...)")
    if args.benchmark:
        t = recognizer.times
        n = max(t["images"], 1)
        print(f"benchmark: {n} images, per image: preprocess {1000 * t['preprocess'] / n:.2f} ms, "
              f"inference {1000 * t['inference'] / n:.2f} ms, postprocess {1000 * t['postprocess'] / n:.2f} ms")
    return list(zip(paths, results))
