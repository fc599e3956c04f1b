"""The data-production tools' work: ``tools/gen_synth_data.py`` (synthetic word images),
``tools/create_lmdb_dataset.py`` (a label file and its images into an LMDB),
``tools/convert_public_set.py`` (a public set's own format into an LMDB) and
``tools/find_leaks.py`` (training crops that are test crops); the tools only parse their
command line here and call these.

Example::

    gen_synth_data(synth_args(["--num", "200", "--seed", "0", "--lmdb", "/tmp/synth"]))
    create_lmdb(lmdb_args(["--label_file", "words/labels.txt", "--out", "/tmp/words_lmdb"]))
    find_leaks(leak_args(["--train", "train.txt", "--test", "test.txt", "--out", "/tmp/leaks"]))
"""
import argparse

from ppocr.errors import UserError
from ppocr.synth import SPLITS, find_fonts, generate, group_by_family, is_held_out
from ppocr.synth.create_lmdb import create_lmdb_dataset
from ppocr.synth.generator import WORDS_FILE, generate_per_case, settings_for
from ppocr.synth.leak_report import draw_sheet, write_reports
from ppocr.synth.crop_sets import CropSet
from ppocr.synth.leaks import find_leaks as check_sets
from ppocr.synth.public_sets import FORMATS, NORMALISE, convert_public_set, read_name_list
from ppocr.synth.text import CASE_CHOICES
from ppocr.utils.logging import get_logger
from ppocr.utils.progress import logging_above_bars


def synth_args(argv=None, description=None):
    """The command line of ``tools/gen_synth_data.py``."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--num", type=int, help="number of images (per case with --per_case)")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same images")
    parser.add_argument("--lmdb", default=None, help="write an LMDB in this (new) folder")
    parser.add_argument("--out_dir", default=None, help="write image files, a label file and meta.jsonl here")
    parser.add_argument("--label_file", default=None, help="label file path (default OUT_DIR/labels.txt)")
    parser.add_argument("--fonts", action="append", default=None,
                        help="font folder, glob or file (.ttf/.otf/.ttc); repeat it or separate with commas "
                             "(default: matplotlib's fonts)")
    parser.add_argument("--backgrounds", action="append", default=None,
                        help="folder, glob or file of photographs and textures (.jpg/.png/.webp/.pat) to write "
                             "words on; repeat it or separate with commas (default: procedural scenes only)")
    parser.add_argument("--split", choices=SPLITS, default="all",
                        help="train: without the held-out families; heldout: only them (ppocr/synth/split.py)")
    parser.add_argument("--families", default=None, help="only these families (comma-separated)")
    parser.add_argument("--exclude_families", default=None, help="not these families (comma-separated)")
    parser.add_argument("--case", choices=CASE_CHOICES, default="mixed",
                        help="letter case; mixed: 45%% lower, 30%% Title, 25%% UPPER")
    parser.add_argument("--per_case", action="store_true",
                        help="one set per case in LMDB/lower, LMDB/title, LMDB/upper (and OUT_DIR/...): "
                             "the same words, fonts and effects in each")
    parser.add_argument("--punctuation", action="store_true",
                        help="punctuation in some words and numbers (about 9%% of the labels): for a charset "
                             "that has it, as SPIN's; the 0-9a-z charset would skip those samples")
    parser.add_argument("--words", default=None,
                        help="word list, one word per line (default: the bundled 3000 common English words; "
                             "a larger lexicon, e.g. /usr/share/dict/words, gives more varied training text)")
    parser.add_argument("--max_len", type=int, default=25, help="longest word, in characters")
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--list_families", action="store_true", help="print the families found, then stop")
    args = parser.parse_args(argv)
    if args.num is None and not args.list_families:
        parser.error("the following arguments are required: --num (or give --list_families)")
    return args


def list_families(args):
    faces = find_fonts(args.fonts, split=args.split, families=args.families, exclude_families=args.exclude_families)
    grouped = group_by_family(faces)
    for family, members in grouped.items():
        mark = "\theld out" if is_held_out(family) else ""
        print(f"{family}\t{len(members)} faces{mark}")
    print(f"{len(grouped)} families, {len(faces)} faces (split {args.split})")


def gen_synth_data(args):
    """``tools/gen_synth_data.py``: render the sets ``args`` asks for; returns the number written."""
    if args.list_families:
        return list_families(args)
    options = dict(seed=args.seed, lmdb_dir=args.lmdb, out_dir=args.out_dir, fonts=args.fonts, split=args.split,
                   families=args.families, exclude_families=args.exclude_families, max_len=args.max_len,
                   backgrounds=args.backgrounds,
                   workers=args.workers, progress=True, settings=settings_for(punctuation=args.punctuation),
                   words_file=args.words or WORDS_FILE)
    if args.per_case:
        counts = generate_per_case(args.num, **options)
        count = sum(counts.values())
    else:
        count = generate(args.num, label_file=args.label_file, case=args.case, **options)
    where = " and ".join(p for p in (args.lmdb, args.out_dir) if p)
    print(f"wrote {count} word images to {where}")
    return count


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
