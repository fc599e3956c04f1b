"""The flags of ``tools/infer/predict_rec.py``: every flag of the reference's
``tools/infer/utility.py`` (PaddleOCR at 79f652f5), each value checked.

Recognition and engine flags do what they do there (doc/tools/predict_rec.md has the table); the
flags of its other tools (detection, angle classification, end-to-end, super-resolution, the
whole-system script) are accepted, so a PaddleOCR command line can be pasted whole, and one line
says they do not apply (``not_applying``).
"""
import argparse
import logging

from ppocr.cli.startup import OneLineParser
from ppocr.inference.engine import PRECISIONS
from ppocr.inference.image_input import MAX_IMAGE_PIXELS

logger = logging.getLogger("ppocr")

# the spellings the reference's flags take (its str2bool reads true, yes, t, y, 1 as True); anything
# else, which the reference would quietly read as False (Falsee), is refused rather than guessed
TRUE, FALSE = ("true", "t", "yes", "y", "1"), ("false", "f", "no", "n", "0")
AUTO = "auto"  # --use_gpu's default: the GPU when there is one (the reference's default is True)
BOOLEAN_FLAGS = ("use_gpu", "use_xpu", "use_npu", "use_mlu", "use_gcu", "ir_optim", "use_tensorrt", "enable_mkldnn",
                 "use_space_char", "use_onnx", "benchmark", "warmup", "show_log", "rec_image_inverse",
                 "return_word_box")
# utility.py's flags of the other tools, by the tool that reads them
OTHER_TASKS = {
    "text detection": ("page_num", "det_algorithm", "det_model_dir", "det_limit_side_len", "det_limit_type",
                       "det_box_type", "det_db_thresh", "det_db_box_thresh", "det_db_unclip_ratio", "use_dilation",
                       "det_db_score_mode", "det_east_score_thresh", "det_east_cover_thresh", "det_east_nms_thresh",
                       "det_sast_score_thresh", "det_sast_nms_thresh", "det_pse_thresh", "det_pse_box_thresh",
                       "det_pse_min_area", "det_pse_scale", "scales", "alpha", "beta", "fourier_degree"),
    "end-to-end recognition": ("e2e_algorithm", "e2e_model_dir", "e2e_limit_side_len", "e2e_limit_type",
                               "e2e_pgnet_score_thresh", "e2e_char_dict_path", "e2e_pgnet_valid_set", "e2e_pgnet_mode"),
    "angle classification": ("use_angle_cls", "cls_model_dir", "cls_image_shape", "label_list", "cls_batch_num",
                             "cls_thresh"),
    "super-resolution": ("sr_model_dir", "sr_image_shape", "sr_batch_num"),
    "the whole-system script": ("vis_font_path", "drop_score", "use_pdserving", "draw_img_save_dir", "save_crop_res",
                                "crop_res_save_dir", "use_mp", "total_process_num", "process_id"),
}


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
        if isinstance(text, str) and text != AUTO:
            value = str2bool(text)
            if text.strip().lower() not in ("true", "false"):
                logger.info("--%s=%s read as %s", name, text, value)
            setattr(args, name, value)
    return args


def checked_bool(text):
    """argparse type: the text, once ``str2bool`` accepts it (``read_booleans`` converts it)."""
    str2bool(text)
    return str(text)


def bool_or_auto(text):
    """argparse type of ``--use_gpu``: ``auto``, or a boolean as ``checked_bool`` takes it."""
    return AUTO if str(text).strip().lower() == AUTO else checked_bool(text)


def image_shape(text):
    try:
        shape = [int(v) for v in str(text).replace(" ", "").split(",")]
    except ValueError:
        shape = []
    if len(shape) != 3 or min(shape) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not an image shape: expected three positive integers C,H,W like '3, 32, 100'")
    return shape


def _engine_flags(p):
    p.add_argument("--use_gpu", type=bool_or_auto, default=AUTO,
                   help="auto (default): the GPU when this PaddlePaddle has CUDA and sees one (onnxruntime: when it "
                        "has the CUDA provider), else the CPU; True: the GPU, with one warning line where there is none")
    for device in ("xpu", "npu", "mlu", "gcu"):
        p.add_argument(f"--use_{device}", type=checked_bool, default=False, help=f"predict on an {device.upper()}")
    p.add_argument("--ir_optim", type=checked_bool, default=True, help="Paddle's graph optimisation passes")
    p.add_argument("--use_tensorrt", type=checked_bool, default=False, help="TensorRT engines on the GPU")
    p.add_argument("--precision", default="fp32", choices=PRECISIONS, help="TensorRT's (fp16 on the CPU: bfloat16)")
    p.add_argument("--min_subgraph_size", type=int, default=None, help="TensorRT's smallest subgraph (15)")
    p.add_argument("--max_batch_size", type=int, default=None, help="TensorRT's largest batch (10)")
    p.add_argument("--gpu_mem", type=int, default=None, help="the GPU memory pool to start with, in MB (500)")
    p.add_argument("--gpu_id", type=int, default=None, help="the GPU to predict on (0)")
    p.add_argument("--enable_mkldnn", type=checked_bool, default=None, help="oneDNN on the CPU (Paddle's default: on)")
    p.add_argument("--cpu_threads", type=int, default=None,
                   help="compute threads on the CPU (default: OMP_NUM_THREADS, else every core this process may use)")
    p.add_argument("--use_onnx", type=checked_bool, default=False,
                   help="run inference.onnx with onnxruntime (export with --onnx); default: Paddle inference")
    p.add_argument("--onnx_providers", nargs="+", default=None, help="onnxruntime's execution providers, in order")
    p.add_argument("--onnx_sess_options", default=None, help="accepted; onnxruntime's session options are this tool's")


def _run_flags(p):
    p.add_argument("--benchmark", type=checked_bool, default=False, help="log the run's settings and per-stage timings")
    p.add_argument("--warmup", type=checked_bool, default=False, help="two untimed batches of noise first")
    p.add_argument("--save_log_path", default=None, help="also write the log to this file (a folder: "
                                                        "FOLDER/benchmark_recognition.log)")
    p.add_argument("--show_log", type=checked_bool, default=True, help="False: warnings and results only")
    p.add_argument("--return_word_box", type=checked_bool, default=False, help="accepted; no word boxes here")
    p.add_argument("--rec_image_inverse", type=checked_bool, default=None, help="accepted; the reference's CAN reads it")
    p.add_argument("--max_image_pixels", type=int, default=MAX_IMAGE_PIXELS,
                   help="skip an image of more pixels, width x height, read from its header (0: no limit)")


def build_parser():
    p = OneLineParser(description="Recognise word images with an exported model, or a PaddleOCR inference folder.")
    p.add_argument("--image_dir", required=True, help="an image file or a folder of images")
    p.add_argument("--rec_model_dir", required=True, help="folder written by tools/export_model.py, or PaddleOCR's; "
                                                           "with --use_onnx True also an .onnx file")
    p.add_argument("--rec_image_shape", type=image_shape, default=None,
                   help="C, H, W; checked against inference.yml (a PaddleOCR folder: '3, 48, 320')")
    p.add_argument("--rec_char_dict_path", default=None, help="checked against the charset in inference.yml "
                                                              "(a PaddleOCR folder: ./ppocr/utils/ppocr_keys_v1.txt)")
    p.add_argument("--rec_algorithm", default=None, help="e.g. STARNet or SPIN; checked against inference.yml "
                                                         "(a PaddleOCR folder: SVTR_LCNet, read as STARNet is)")
    p.add_argument("--use_space_char", type=checked_bool, default=None,
                   help="checked against inference.yml (a PaddleOCR folder: True)")
    p.add_argument("--max_text_length", type=int, default=None, help="a PaddleOCR folder's (25)")
    p.add_argument("--rec_batch_num", type=int, default=6)
    _engine_flags(p)
    _run_flags(p)
    others = p.add_argument_group("flags of PaddleOCR's other tools (accepted; they do not apply to recognition)")
    for names in OTHER_TASKS.values():
        for name in names:
            others.add_argument(f"--{name}", default=argparse.SUPPRESS, metavar="VALUE")
    return p


def not_applying(args):
    """One line naming the flags of the other tools that were given, or None."""
    given = [(name, task) for task, names in OTHER_TASKS.items() for name in names if hasattr(args, name)]
    if not given:
        return None
    tasks = sorted({task for _, task in given}, key=list(OTHER_TASKS).index)
    return (f"{', '.join('--' + name for name, _ in given)}: PaddleOCR's flags for {', '.join(tasks)}; "
            "they do not apply to recognition and are ignored")
