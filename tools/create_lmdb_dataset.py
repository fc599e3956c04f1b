"""Convert a folder of word images plus a label file (SimpleDataSet format) into an LMDB.

    python tools/create_lmdb_dataset.py --label_file train_data/words/labels.txt \\
        --out train_data/words_lmdb/training/words
    python tools/create_lmdb_dataset.py --label_file lists/val.txt --data_dir images/ --out train_data/val_lmdb

Each line of the label file is ``image_path<TAB>label``, the path relative to --data_dir
(default: the label file's folder). The LMDB has the standard layout read by LMDBDataSet
(``num-samples``, ``image-%09d``, ``label-%09d``, numbered from 1). Lines whose image is
missing or does not decode, and malformed lines, are reported with their line numbers,
counted and skipped.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.data_tools import create_lmdb, lmdb_args
from ppocr.cli.startup import run


def main(argv=None):
    return create_lmdb(lmdb_args(argv, description=__doc__))


if __name__ == "__main__":
    run(main)
