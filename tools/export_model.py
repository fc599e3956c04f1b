"""Export trained weights to a Paddle inference model (+ inference.yml) for predict_rec.

    python tools/export_model.py -c configs/rec/rec_r34_vd_tps_bilstm_ctc.yml \
        -o Global.pretrained_model=./rec_r34_vd_tps_bilstm_ctc_v2.0_train/best_accuracy \
           Global.save_inference_dir=./inference/rec_starnet
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.engine.export import export
from ppocr.engine.program import run, setup


def main(argv=None):
    config, _ = setup(argv, __doc__)
    return export(config)


if __name__ == "__main__":
    run(main)
