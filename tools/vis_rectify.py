"""Draw what a model's rectifier makes of word images.

``python tools/vis_rectify.py --help`` shows the options and examples; the command line is
ppocr/cli/vis_rectify.py, which a pip install also gives as ``ppocr-vis-rectify``.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.startup import run
from ppocr.cli.vis_rectify import main

if __name__ == "__main__":
    run(main)
