"""Recognise the text of word images with trained (dygraph) weights.

    python tools/infer_rec.py -c configs/rec/rec_r34_vd_tps_bilstm_ctc.yml \
        -o Global.pretrained_model=output/rec/r34/best_accuracy Global.infer_img=doc/imgs_words_en/

Prints ``infer_img: PATH`` and ``result: TEXT<TAB>SCORE`` per image and writes
``PATH<TAB>TEXT<TAB>SCORE`` lines to ``Global.save_res_path``.
"""
import logging
import os

import _bootstrap  # noqa: F401  (puts the repository on sys.path)
import paddle

from ppocr.charset import build_charset
from ppocr.data import SkipSample
from ppocr.engine.checkpoint import load_weights
from ppocr.engine.inference import Preprocessor, image_transforms, list_images, read_bytes
from ppocr.engine.program import run, setup
from ppocr.errors import UserError
from ppocr.modeling import build_model
from ppocr.postprocess import build_postprocess
from ppocr.utils.io import atomic_write_bytes

logger = logging.getLogger("ppocr")


def main(argv=None):
    config, _ = setup(argv, __doc__)
    g = config["Global"]
    weights = g.get("checkpoints") or g.get("pretrained_model")
    if not weights:
        raise UserError("no weights given: set -o Global.pretrained_model=PATH/best_accuracy")
    charset = build_charset(config)
    model = build_model(config, charset)
    load_weights(model, weights, skip_mismatched=bool(g.get("skip_mismatched_tensors", False)))
    model.eval()
    preprocess = Preprocessor(image_transforms(config))
    postprocess = build_postprocess(config, charset)
    lines = []
    with paddle.no_grad():
        for path in list_images(g.get("infer_img")):
            print(f"infer_img: {path}")
            try:
                image = preprocess(read_bytes(path))
            except SkipSample as e:
                print(f"skipped: {e.reason}")
                continue
            text, score = postprocess(model(paddle.to_tensor(image[None])))[0]
            print(f"result: {text}\t{score}")
            lines.append(f"{path}\t{text}\t{score}\n")
    if not lines:
        raise UserError(f"none of the images of Global.infer_img={g.get('infer_img')!r} could be read "
                        "(each is named above): give image files that OpenCV decodes (png, jpg, bmp, ...)")
    save_res_path = g.get("save_res_path")
    if save_res_path:
        atomic_write_bytes(save_res_path, "".join(lines).encode("utf-8"))
        logger.info("results written to %s", os.path.abspath(save_res_path))
    return lines


if __name__ == "__main__":
    run(main)
