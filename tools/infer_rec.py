"""Recognise the text of word images with trained (dygraph) weights.

    python tools/infer_rec.py -c configs/rec/rec_r34_vd_tps_bilstm_ctc.yml \\
        -o Global.pretrained_model=output/rec/r34/best_accuracy Global.infer_img=doc/imgs_words_en/

Prints ``infer_img: PATH`` and ``result: TEXT<TAB>SCORE`` per image and writes
``PATH<TAB>TEXT<TAB>SCORE`` lines to ``Global.save_res_path``. Unreadable images are named and
skipped; when none could be read the exit status is 2.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.infer_rec import infer_images
from ppocr.cli.startup import config_beside_results, run, setup


def main(argv=None):
    config, settings, _ = setup(argv, __doc__, config_copy=config_beside_results)
    return infer_images(config, settings=settings)


if __name__ == "__main__":
    run(main)
