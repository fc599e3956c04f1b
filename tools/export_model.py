"""Export trained weights to a Paddle inference model (+ inference.yml) for predict_rec;
``--onnx`` (or ``-o Global.export_onnx=True``) also writes inference.onnx (pip install '.[onnx]').

    python tools/export_model.py -c configs/rec/rec_r34_vd_tps_bilstm_ctc.yml \
        -o Global.pretrained_model=./rec_r34_vd_tps_bilstm_ctc_v2.0_train/best_accuracy \
           Global.save_inference_dir=./inference/rec_starnet --onnx
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.engine.export import export
from ppocr.engine.program import config_in_model_folder, run, setup


def onnx_flag(parser):
    parser.add_argument("--onnx", action="store_true",
                        help="also write inference.onnx with paddle2onnx (same as -o Global.export_onnx=True)")


def main(argv=None):
    config, args = setup(argv, __doc__, extra_args=onnx_flag, config_copy=config_in_model_folder)
    if args.onnx:
        config["Global"]["export_onnx"] = True
    return export(config)


if __name__ == "__main__":
    run(main)
