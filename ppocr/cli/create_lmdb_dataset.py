"""``tools/create_lmdb_dataset.py`` (``ppocr-create-lmdb``): a label file and its images into an LMDB.

Example::

    create_lmdb(lmdb_args(["--label_file", "words/labels.txt", "--out", "/tmp/words_lmdb"]))
"""
import argparse

from ppocr.synth.create_lmdb import create_lmdb_dataset
from ppocr.utils.logging import get_logger

DESCRIPTION = """Convert a folder of word images plus a label file (SimpleDataSet format) into an LMDB.

    python tools/create_lmdb_dataset.py --label_file train_data/words/labels.txt \\
        --out train_data/words_lmdb/training/words
    python tools/create_lmdb_dataset.py --label_file lists/val.txt --data_dir images/ --out train_data/val_lmdb

Each line of the label file is ``image_path<TAB>label``, the path relative to --data_dir
(default: the label file's folder). The LMDB has the standard layout read by LMDBDataSet
(``num-samples``, ``image-%09d``, ``label-%09d``, numbered from 1). Lines whose image is
missing or does not decode, and malformed lines, are reported with their line numbers,
counted and skipped.
"""


def lmdb_args(argv=None, description=None):
    """The command line of ``tools/create_lmdb_dataset.py``."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label_file", required=True, help="file of 'image_path<TAB>label' lines")
    parser.add_argument("--out", required=True, help="folder of the new LMDB (must not hold one already)")
    parser.add_argument("--data_dir", default=None, help="folder the image paths are relative to "
                                                         "(default: the label file's folder)")
    parser.add_argument("--delimiter", default="\t", help="between image path and label (default: a tab)")
    parser.add_argument("--chunk_size", type=int, default=1000, help="samples per LMDB write transaction")
    return parser.parse_args(argv)


def create_lmdb(args):
    """``tools/create_lmdb_dataset.py``: convert a label file and its images into an LMDB."""
    get_logger()
    summary = create_lmdb_dataset(args.label_file, args.out, data_dir=args.data_dir, chunk_size=args.chunk_size,
                                  delimiter=args.delimiter, progress=True)
    print(summary)
    return summary


def main(argv=None):
    return create_lmdb(lmdb_args(argv, description=DESCRIPTION))
