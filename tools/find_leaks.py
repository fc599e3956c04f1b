"""Find the training crops that are test crops.

``python tools/find_leaks.py --help`` shows the options and examples; the command line is
ppocr/cli/find_leaks.py, which a pip install also gives as ``ppocr-find-leaks``.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.find_leaks import main
from ppocr.cli.startup import run

if __name__ == "__main__":
    run(main)
