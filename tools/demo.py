"""The whole loop on synthetic words (``make demo``).

``python tools/demo.py --help`` shows the options and examples; the command line is
ppocr/cli/demo.py, which a pip install also gives as ``ppocr-demo``.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.demo import main
from ppocr.cli.startup import run

if __name__ == "__main__":
    run(main)
