"""Draw what a model's rectifier makes of word images: a PNG grid, one row per image.

    python tools/vis_rectify.py -c configs/rec/demo_mv3_tps_bilstm_ctc.yml \
        -o Global.pretrained_model=pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy \
           Global.infer_img=doc/imgs_words_en/ --out output/rectify_starnet.png
    python tools/vis_rectify.py -c configs/rec/rec_r32_gaspin_bilstm_att.yml \
        -o Global.pretrained_model=PATH/best_accuracy Global.infer_img=doc/imgs_words_en/ --out rectify_spin.png

Columns: the model input with the predicted TPS fiducial points, for SPIN the
colour-transformed image (before the geometric warp), the rectified image, the reading.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.engine.inference import list_images
from ppocr.engine.program import run, setup
from ppocr.utils.vis_rectify import visualize_rectification


def extra_args(parser):
    parser.add_argument("--out", default="./output/rectify.png", help="PNG file to write")
    parser.add_argument("--max_images", type=int, default=16, help="rows of the grid (the first images, sorted)")
    parser.add_argument("--scale", type=int, default=3, help="upscaling of the 32-pixel-high tiles")


def main(argv=None):
    config, args = setup(argv, __doc__, extra_args=extra_args)
    paths = list_images(config["Global"].get("infer_img"))[: max(1, args.max_images)]
    readings = visualize_rectification(config, paths, args.out, scale=max(1, args.scale))
    for path, text, score in readings:
        print(f"{path}\t{text}\t{score:.4f}")
    print(f"rectification grid written to {args.out}")
    return readings


if __name__ == "__main__":
    run(main)
