"""``tools/export_model.py`` (``ppocr-export``): a config's trained weights written as a Paddle
inference model (and, with ``--onnx``, as ONNX) into ``Global.save_inference_dir``."""
from ppocr.cli.startup import config_in_model_folder, setup
from ppocr.export.exporter import export

DESCRIPTION = """Export trained weights to a Paddle inference model (+ inference.yml) for predict_rec;
``--onnx`` (or ``-o Global.export_onnx=True``) also writes inference.onnx (pip install '.[onnx]').

    python tools/export_model.py -c configs/rec/rec_r34_vd_tps_bilstm_ctc.yml \\
        -o Global.pretrained_model=./rec_r34_vd_tps_bilstm_ctc_v2.0_train/best_accuracy \\
           Global.save_inference_dir=./inference/rec_starnet --onnx
"""


def onnx_flag(parser):
    parser.add_argument("--onnx", action="store_true",
                        help="also write inference.onnx with paddle2onnx (same as -o Global.export_onnx=True)")


def main(argv=None):
    config, settings, args = setup(argv, DESCRIPTION, extra_args=onnx_flag, config_copy=config_in_model_folder,
                                    output_folders=("save_inference_dir",))
    return export(config, onnx=args.onnx, settings=settings)
