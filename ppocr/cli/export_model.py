"""``tools/export_model.py``: a config's trained weights written as a Paddle inference model (and,
with ``--onnx``, as ONNX) into ``Global.save_inference_dir``."""
from ppocr.cli.startup import config_in_model_folder, setup
from ppocr.export.exporter import export


def onnx_flag(parser):
    parser.add_argument("--onnx", action="store_true",
                        help="also write inference.onnx with paddle2onnx (same as -o Global.export_onnx=True)")


def export_model(argv=None, description=None):
    config, settings, args = setup(argv, description, extra_args=onnx_flag, config_copy=config_in_model_folder,
                                    output_folders=("save_inference_dir",))
    return export(config, onnx=args.onnx, settings=settings)
