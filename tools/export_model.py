"""Export trained weights to a Paddle inference model (+ inference.yml) for predict_rec;
``--onnx`` (or ``-o Global.export_onnx=True``) also writes inference.onnx (pip install '.[onnx]').

    python tools/export_model.py -c configs/rec/rec_r34_vd_tps_bilstm_ctc.yml \\
        -o Global.pretrained_model=./rec_r34_vd_tps_bilstm_ctc_v2.0_train/best_accuracy \\
           Global.save_inference_dir=./inference/rec_starnet --onnx
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.export_model import export_model
from ppocr.cli.startup import run


def main(argv=None):
    return export_model(argv, description=__doc__)


if __name__ == "__main__":
    run(main)
