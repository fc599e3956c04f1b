"""Convert word images and a label file into an LMDB.

``python tools/create_lmdb_dataset.py --help`` shows the options and examples; the command line is
ppocr/cli/create_lmdb_dataset.py, which a pip install also gives as ``ppocr-create-lmdb``.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.create_lmdb_dataset import main
from ppocr.cli.startup import run

if __name__ == "__main__":
    run(main)
