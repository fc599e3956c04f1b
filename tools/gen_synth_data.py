"""Generate synthetic word images for training or validating a recogniser.

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
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.data_tools import gen_synth_data, synth_args
from ppocr.cli.startup import run


def main(argv=None):
    return gen_synth_data(synth_args(argv, description=__doc__))


if __name__ == "__main__":
    run(main)
