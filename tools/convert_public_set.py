"""Convert the training split of a public word-crop set, as its authors distribute it, to an LMDB.

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
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.data_tools import convert_public, public_set_args
from ppocr.cli.startup import run


def main(argv=None):
    return convert_public(public_set_args(argv, description=__doc__))


if __name__ == "__main__":
    run(main)
