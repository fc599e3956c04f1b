"""What ``tools/infer_rec.py`` (``ppocr-infer``) does: read ``Global.infer_img`` with a config's
trained weights, through the inference pipeline with the dygraph model as its backend."""
import logging
import os

from ppocr.cli.startup import config_beside_results, setup
from ppocr.data.preprocess import list_images
from ppocr.errors import UserError
from ppocr.global_settings import GlobalSettings
from ppocr.inference.pipeline import Skipped, dygraph_pipeline
from ppocr.trained_model.from_config import TrainedModel
from ppocr.utils.io import atomic_write_bytes

logger = logging.getLogger("ppocr")
DESCRIPTION = """Recognise the text of word images with trained (dygraph) weights.

    python tools/infer_rec.py -c configs/rec/rec_r34_vd_tps_bilstm_ctc.yml \\
        -o Global.pretrained_model=output/rec/r34/best_accuracy Global.infer_img=doc/imgs_words_en/

Prints ``infer_img: PATH`` and ``result: TEXT<TAB>SCORE`` per image and writes
``PATH<TAB>TEXT<TAB>SCORE`` lines to ``Global.save_res_path``. Unreadable images are named and
skipped; when none could be read the exit status is 2.
"""


def infer_images(config, batch_size=1, settings=None):
    """Read ``Global.infer_img`` (an image or a folder), print ``infer_img: PATH`` and
    ``result: TEXT<TAB>SCORE`` per image, write ``PATH<TAB>TEXT<TAB>SCORE`` lines to
    ``Global.save_res_path``. Unreadable images (and images of more than ``Global.max_image_pixels``
    pixels, 0: no limit) are named and skipped; none readable is a UserError. Returns the lines.
    ``settings``: the config's ``GlobalSettings`` when the caller has them.

    Example::

        config = merge_config("configs/rec/demo_mv3_tps_bilstm_ctc.yml",
                              ["Global.pretrained_model=pretrained/rec_mv3_tps_bilstm_ctc_synth/best_accuracy",
                               "Global.infer_img=doc/imgs_words_en/word_10.png"])
        infer_images(config)   # ['doc/imgs_words_en/word_10.png\\tdefaults\\t0.99...\\n']
    """
    g = settings or GlobalSettings.of(config)
    pipeline = dygraph_pipeline(TrainedModel.from_config(config, settings=g), batch_size=batch_size,
                                max_image_pixels=g.max_image_pixels or None)
    paths = list_images(g.infer_img)
    lines = []
    for start in range(0, len(paths), batch_size):
        chunk = paths[start : start + batch_size]
        for path, result in zip(chunk, pipeline(chunk)):
            print(f"infer_img: {path}")
            if isinstance(result, Skipped):
                print(f"skipped: {result.reason}")
                continue
            text, score = result
            print(f"result: {text}\t{score}")
            lines.append(f"{path}\t{text}\t{score}\n")
    if not lines:
        raise UserError(f"none of the images of Global.infer_img={g.infer_img!r} could be read "
                        "(each is named above): give image files that OpenCV decodes (png, jpg, bmp, ...)")
    if g.save_res_path:
        atomic_write_bytes(g.save_res_path, "".join(lines).encode("utf-8"))
        logger.info("results written to %s", os.path.abspath(g.save_res_path))
    return lines


def main(argv=None):
    config, settings, _ = setup(argv, DESCRIPTION, config_copy=config_beside_results)
    return infer_images(config, settings=settings)
