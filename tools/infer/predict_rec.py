"""Recognise word images with an exported inference model (paddle.inference; onnxruntime with
--use_onnx True on a folder exported with --onnx).

    python tools/infer/predict_rec.py --image_dir="./doc/imgs_words_en/word_336.png" \\
        --rec_model_dir="./inference/rec_starnet/" --rec_image_shape="3, 32, 100" \\
        --rec_char_dict_path="./ppocr/utils/ic15_dict.txt"

Preprocessing and the charset come from the model folder's inference.yml; the flags that
describe them are checked against it, and a disagreement is an error, never ignored. A crash
inside native code (Paddle, onnxruntime, OpenCV) ends the tool with one line and exit status 128 + the signal.
A pip install also gives it as ``ppocr-predict``.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _bootstrap  # noqa: E402,F401  (puts the repository on sys.path)

from ppocr.cli.crash_guard import run_guarded  # noqa: E402

if __name__ == "__main__":
    run_guarded("ppocr.cli.predict_rec:main", doing="predict_rec")
