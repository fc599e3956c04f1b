"""Convert the training split of a public word-crop set to an LMDB.

``python tools/convert_public_set.py --help`` shows the options and examples; the command line is
ppocr/cli/convert_public_set.py, which a pip install also gives as ``ppocr-convert-public-set``.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.convert_public_set import main
from ppocr.cli.startup import run

if __name__ == "__main__":
    run(main)
