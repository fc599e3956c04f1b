"""``tools/convert_public_set.py`` (``ppocr-convert-public-set``): a public set's training split, in
its own format, into an LMDB with a report.

Example::

    convert_public(public_set_args(["--format", "icdar", "--gt", "gt.txt", "--out", "/tmp/ic15"]))
"""
import argparse

from ppocr.synth.public_sets import FORMATS, NORMALISE, convert_public_set, read_name_list
from ppocr.utils.logging import get_logger

DESCRIPTION = """Convert the training split of a public word-crop set, as its authors distribute it, to an LMDB.

    # ICDAR 2015 incidental text, word recognition, training crops (gt.txt beside the images)
    python tools/convert_public_set.py --format icdar --gt ch4_training_word_images_gt/gt.txt \\
        --out train_data/real/training/ic15 --normalise alnum36 --val_fraction 0.1
    # IIIT5K (traindata.mat needs scipy), Street View Text (crops cut from the scenes by train.xml)
    python tools/convert_public_set.py --format iiit5k --gt IIIT5K/traindata.mat --out train_data/real/training/iiit5k
    python tools/convert_public_set.py --format svt --gt svt1/train.xml --out train_data/real/training/svt
    # ICDAR 2013 born-digital: words cut by the boxes of one gt_img_N.txt per image; ICDAR 2003 words.xml
    python tools/convert_public_set.py --format icdar13_boxes --gt Challenge1_Training_Task1_GT \\
        --images Challenge1_Training_Task12_Images --out train_data/real/training/ic13bd
    python tools/convert_public_set.py --format icdar03_xml --gt SceneTrialTrain/words.xml --out train_data/real/training/ic03
    # COCO-Text: legible machine-printed English words of the train images
    python tools/convert_public_set.py --format cocotext --gt cocotext.v2.json --images train2014 \\
        --out train_data/real/training/cocotext

The report says how many samples were kept (for training and validation) and how many were
dropped and why (do-not-care ###, empty or over-long labels, unreadable images, boxes outside
the image, listed by --exclude), and is written to OUT/report.json. doc/tools/convert_public_set.md
lists where the sets come from and their licences. Convert training splits only: the test splits
are for reporting, and tools/find_leaks.py lists the training words that are test words (--exclude).
"""


def public_set_args(argv=None, description=None):
    """The command line of ``tools/convert_public_set.py``."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", required=True, choices=FORMATS, help="how the set's ground truth is written")
    parser.add_argument("--gt", required=True, help="the ground-truth file (gt.txt, traindata.mat, train.xml, "
                                                    "words.xml, COCO_Text.json, or a path<TAB>label file), or "
                                                    "the folder of gt_<image>.txt files (icdar13_boxes)")
    parser.add_argument("--images", default=None, help="folder the ground truth's image names are relative to "
                                                       "(default: the ground-truth file's folder)")
    parser.add_argument("--out", required=True, help="folder of the new LMDB (OUT/train and OUT/val with --val_fraction)")
    parser.add_argument("--normalise", choices=NORMALISE, default="none",
                        help="alnum36: lower-case and keep only 0-9a-z, as the 36-character models read "
                             "(default: none, the labels as written)")
    parser.add_argument("--max_len", type=int, default=25, help="drop longer labels (default 25)")
    parser.add_argument("--val_fraction", type=float, default=0.0,
                        help="keep this random part of the samples apart as a validation set (default 0)")
    parser.add_argument("--seed", type=int, default=0, help="which samples go to validation")
    parser.add_argument("--exclude", action="append", default=[], metavar="FILE",
                        help="leave out the samples this list names, one a line (the exclude_<set>.txt of "
                             "tools/find_leaks.py); repeatable")
    return parser.parse_args(argv)


def convert_public(args):
    """``tools/convert_public_set.py``: one public set into an LMDB, with a report."""
    get_logger()
    exclude = set().union(*(read_name_list(path) for path in args.exclude))
    report = convert_public_set(args.format, args.gt, args.out, images=args.images, normalise=args.normalise,
                                max_len=args.max_len, val_fraction=args.val_fraction, seed=args.seed,
                                exclude=exclude, progress=True)
    print(report)
    print(f"written to {args.out} (report.json beside the LMDB)")
    return report


def main(argv=None):
    return convert_public(public_set_args(argv, description=DESCRIPTION))
