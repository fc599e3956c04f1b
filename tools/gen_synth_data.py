"""Generate synthetic word images for training or testing a recogniser.

    python tools/gen_synth_data.py --num 20000 --seed 0 --lmdb train_data/synth_lmdb/training/synth
    python tools/gen_synth_data.py --num 500 --seed 1 --out_dir train_data/synth_eval --workers 2

The same --seed gives the same bytes, whatever --workers. --lmdb writes the MJSynth layout read
by LMDBDataSet; --out_dir writes images plus a label file (default OUT_DIR/labels.txt) of
``path<TAB>label`` lines read by SimpleDataSet (data_dir: OUT_DIR).
"""
import argparse

import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.engine.program import run
from ppocr.utils.synth import generate


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--num", type=int, required=True, help="number of images")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same images")
    parser.add_argument("--lmdb", default=None, help="write an LMDB in this (new) folder")
    parser.add_argument("--out_dir", default=None, help="write image files and a label file here")
    parser.add_argument("--label_file", default=None, help="label file path (default OUT_DIR/labels.txt)")
    parser.add_argument("--fonts", default=None, help="glob of .ttf fonts (default: matplotlib's fonts)")
    parser.add_argument("--case", choices=("lower", "mixed"), default="lower", help="letter case of the words")
    parser.add_argument("--max_len", type=int, default=25, help="longest word, in characters")
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    count = generate(args.num, seed=args.seed, lmdb_dir=args.lmdb, out_dir=args.out_dir,
                     label_file=args.label_file, fonts=args.fonts, case=args.case, max_len=args.max_len,
                     workers=args.workers, progress=True)
    where = " and ".join(p for p in (args.lmdb, args.out_dir) if p)
    print(f"wrote {count} word images to {where}")


if __name__ == "__main__":
    run(main)
