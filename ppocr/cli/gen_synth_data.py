"""``tools/gen_synth_data.py`` (``ppocr-gen-synth-data``): synthetic word images for training or
validating a recogniser, as the command line asks.

Example::

    gen_synth_data(synth_args(["--num", "200", "--seed", "0", "--lmdb", "/tmp/synth"]))
"""
import argparse

from ppocr.synth import SPLITS, find_fonts, generate, group_by_family, is_held_out
from ppocr.synth.generator import WORDS_FILE, generate_per_case, settings_for
from ppocr.synth.text import CASE_CHOICES

DESCRIPTION = """Generate synthetic word images for training or validating a recogniser.

    python tools/gen_synth_data.py --num 20000 --seed 0 --workers 2 --lmdb train_data/synth/training/synth
    # the recipe (doc/tools/gen_synth_data.md): fonts of many families, the held-out ones kept out
    python tools/gen_synth_data.py --num 200000 --seed 1 --workers 2 --fonts /usr/share/fonts \\
        --fonts /usr/share/texmf/fonts/opentype --split train --lmdb train_data/synth/training/synth
    # validation in the held-out families, one set per case: DIR/lower, DIR/title, DIR/upper
    python tools/gen_synth_data.py --num 700 --seed 2 --fonts /usr/share/fonts \\
        --fonts /usr/share/texmf/fonts/opentype --split heldout --per_case --lmdb train_data/synth/validation
    python tools/gen_synth_data.py --list_families --fonts /usr/share/fonts

The same --seed gives the same bytes, whatever --workers. --lmdb writes the MJSynth layout read
by LMDBDataSet (plus meta-%09d keys: font, family, case); --out_dir writes images, a label file
(default OUT_DIR/labels.txt) of ``path<TAB>label`` lines read by SimpleDataSet (data_dir:
OUT_DIR) and meta.jsonl.
"""


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


def main(argv=None):
    return gen_synth_data(synth_args(argv, description=DESCRIPTION))
