"""``tools/find_leaks.py`` (``ppocr-find-leaks``): the training crops that are test crops, and an
exclusion list per training set.

Example::

    find_leaks(leak_args(["--train", "train.txt", "--test", "test.txt", "--out", "/tmp/leaks"]))
"""
import argparse

from ppocr.errors import UserError
from ppocr.synth.crop_sets import CropSet
from ppocr.synth.leak_report import draw_sheet, write_reports
from ppocr.synth.leaks import find_leaks as check_sets
from ppocr.utils.logging import get_logger
from ppocr.utils.progress import logging_above_bars

DESCRIPTION = """Find the training crops that are test crops, before anything is trained on them.

    # the classic training splits against the seven test sets (path<TAB>label files or LMDB folders)
    python tools/find_leaks.py --train lists/iiit5k_train.txt lists/svt_train.txt lists/ic15_train.txt \\
        --test lists/iiit5k_test.txt lists/svt_test.txt lists/ic03_test.txt lists/ic13_test.txt \\
               lists/ic15_test.txt lists/svtp_test.txt lists/cute80_test.txt --out leaks/classic --sheet leaks/classic.png
    # words cut from scenes (a converted LMDB keeps each word's name): re-cut words too, and whole scenes
    python tools/find_leaks.py --train leaks/ic03/ic03_all --test lists/ic03_test.txt lists/ic13_test.txt \\
        --recut 0.85 --whole_scenes --out leaks/ic03
    python tools/convert_public_set.py --format icdar03_xml --gt SceneTrialTrain/words.xml --out train_data/real/ic03 \\
        --exclude leaks/ic03/exclude_ic03_all.txt

Exact duplicates (the same decoded pixels) and near ones (grey 32x12 thumbnails correlating at
--threshold or more, 0.94 by default, with the same word once lower-cased to 0-9a-z) are leaks;
with --recut, so are two cuts of the same word by different boxes, and with --whole_scenes every
other word of a leak's scene. OUT/exclude_<set>.txt names them for convert_public_set.py
--exclude. A crop that correlates as much with a different word is a look-alike: reported in
OUT/leaks.tsv, never excluded. doc/tools/find_leaks.md says more.
"""


def leak_args(argv=None, description=None):
    """The command line of ``tools/find_leaks.py``."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", nargs="+", required=True, metavar="SET",
                        help="training crops: path<TAB>label files or folders of LMDBs, each checked on its own")
    parser.add_argument("--test", nargs="+", required=True, metavar="SET",
                        help="test crops, in the same forms: every training crop is compared with all of them")
    parser.add_argument("--out", required=True, help="folder for leaks.tsv, report.json and exclude_<set>.txt")
    parser.add_argument("--threshold", type=float, default=0.94,
                        help="thumbnail correlation from which two crops of the same word are one (default 0.94)")
    parser.add_argument("--recut", type=float, default=None, metavar="CORRELATION",
                        help="also compare each pair of the same word (4 characters or more) as cut by different "
                             "boxes, and count it a leak from this registered correlation (e.g. 0.85; off by "
                             "default: slower, about 6 ms a pair)")
    parser.add_argument("--whole_scenes", action="store_true",
                        help="exclude every crop of a scene that has a leak (crops named scene#k, as "
                             "convert_public_set.py names the words it cuts from scenes)")
    parser.add_argument("--sheet", default=None, metavar="PNG",
                        help="also draw the pairs side by side in this picture, to confirm them by eye")
    parser.add_argument("--sheet_max", type=int, default=400, help="pairs on the sheet at most (default 400)")
    return parser.parse_args(argv)


def find_leaks(args):
    """``tools/find_leaks.py``: training crops that are test crops, and an exclusion list per training set."""
    get_logger()
    with logging_above_bars():
        keep = args.recut is not None
        tests = [CropSet.load(path, keep_grey=keep, progress=True) for path in args.test]
        trains = [CropSet.load(path, keep_grey=keep, progress=True) for path in args.train]
    names = [s.name for s in trains + tests]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise UserError(f"two sets are both called {repeated[0]!r} (named after their file or folder): give each "
                        "set a path of its own name, e.g. a link")
    with logging_above_bars():
        check = check_sets(trains, tests, threshold=args.threshold, recut=args.recut, whole_scenes=args.whole_scenes,
                           progress=True)
    print(check)
    written = write_reports(check, args.out)
    if args.sheet:
        drawn = draw_sheet(check, args.sheet, max_pairs=args.sheet_max)
        more = f" (the first {drawn} of {len(check.matches)})" if drawn < len(check.matches) else ""
        written.append(f"{args.sheet}{more}" if drawn else "no sheet: no pair to draw")
    print("written: " + ", ".join(written))
    return check


def main(argv=None):
    return find_leaks(leak_args(argv, description=DESCRIPTION))
