"""Convert a folder of word images plus a label file (SimpleDataSet format) into an LMDB.

    python tools/create_lmdb_dataset.py --label_file train_data/words/labels.txt \
        --out train_data/words_lmdb/training/words
    python tools/create_lmdb_dataset.py --label_file lists/val.txt --data_dir images/ --out train_data/val_lmdb

Each line of the label file is ``image_path<TAB>label``, the path relative to --data_dir
(default: the label file's folder). The LMDB has the standard layout read by LMDBDataSet
(``num-samples``, ``image-%09d``, ``label-%09d``, numbered from 1). Lines whose image is
missing or does not decode, and malformed lines, are reported with their line numbers,
counted and skipped.
"""
import argparse

import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.engine.program import run
from ppocr.synth.create_lmdb import create_lmdb_dataset
from ppocr.utils.logging import get_logger


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label_file", required=True, help="file of 'image_path<TAB>label' lines")
    parser.add_argument("--out", required=True, help="folder of the new LMDB (must not hold one already)")
    parser.add_argument("--data_dir", default=None, help="folder the image paths are relative to "
                                                         "(default: the label file's folder)")
    parser.add_argument("--delimiter", default="\t", help="between image path and label (default: a tab)")
    parser.add_argument("--chunk_size", type=int, default=1000, help="samples per LMDB write transaction")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    get_logger()
    summary = create_lmdb_dataset(args.label_file, args.out, data_dir=args.data_dir, chunk_size=args.chunk_size,
                                  delimiter=args.delimiter, progress=True)
    print(summary)
    return summary


if __name__ == "__main__":
    run(main)
