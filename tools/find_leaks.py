"""Find the training crops that are test crops, before anything is trained on them.

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
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.data_tools import find_leaks, leak_args
from ppocr.cli.startup import run


def main(argv=None):
    return find_leaks(leak_args(argv, description=__doc__))


if __name__ == "__main__":
    run(main)
