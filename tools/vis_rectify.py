"""Draw what a model's rectifier makes of word images: a PNG grid, one row per image.

    python tools/vis_rectify.py -c configs/rec/demo_mv3_tps_bilstm_ctc.yml \\
        -o Global.pretrained_model=pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy \\
           Global.infer_img=doc/imgs_words_en/ --out output/rectify_starnet.png
    python tools/vis_rectify.py -c configs/rec/rec_r32_gaspin_bilstm_att.yml \\
        -o Global.pretrained_model=PATH/best_accuracy Global.infer_img=doc/imgs_words_en/ --out rectify_spin.png

Columns: the model input with the predicted TPS fiducial points, for SPIN the
colour-transformed image (before the geometric warp), the rectified image, the reading.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.startup import run
from ppocr.cli.vis_rectify import vis_rectify


def main(argv=None):
    return vis_rectify(argv, description=__doc__)


if __name__ == "__main__":
    run(main)
