"""Train a recogniser from a YAML config.

``python tools/train.py --help`` shows the options and examples; the command line is
ppocr/cli/train.py, which a pip install also gives as ``ppocr-train``.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.startup import run
from ppocr.cli.train import main

if __name__ == "__main__":
    run(main)
