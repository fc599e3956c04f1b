"""Evaluate trained weights on the config's Eval sets.

``python tools/eval.py --help`` shows the options and examples; the command line is
ppocr/cli/evaluate.py, which a pip install also gives as ``ppocr-eval``.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.evaluate import main
from ppocr.cli.startup import run

if __name__ == "__main__":
    run(main)
