"""``tools/vis_rectify.py`` (``ppocr-vis-rectify``): what a model's rectifier makes of word images,
drawn as a PNG grid."""
from ppocr.cli.startup import setup
from ppocr.inference.rectification import add_vis_args, draw_rectification

DESCRIPTION = """Draw what a model's rectifier makes of word images: a PNG grid, one row per image.

    python tools/vis_rectify.py -c configs/rec/demo_mv3_tps_bilstm_ctc.yml \\
        -o Global.pretrained_model=pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy \\
           Global.infer_img=doc/imgs_words_en/ --out output/rectify_starnet.png
    python tools/vis_rectify.py -c configs/rec/rec_r32_gaspin_bilstm_att.yml \\
        -o Global.pretrained_model=PATH/best_accuracy Global.infer_img=doc/imgs_words_en/ --out rectify_spin.png

Columns: the model input with the predicted TPS fiducial points, for SPIN the
colour-transformed image (before the geometric warp), the rectified image, the reading.
"""


def main(argv=None):
    config, settings, args = setup(argv, DESCRIPTION, extra_args=add_vis_args)
    return draw_rectification(config, args.out, max_images=args.max_images, scale=args.scale, settings=settings)
