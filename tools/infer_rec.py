"""Recognise the text of word images with trained (dygraph) weights.

``python tools/infer_rec.py --help`` shows the options and examples; the command line is
ppocr/cli/infer_rec.py, which a pip install also gives as ``ppocr-infer``.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.infer_rec import main
from ppocr.cli.startup import run

if __name__ == "__main__":
    run(main)
