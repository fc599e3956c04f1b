"""The whole loop on synthetic words, in three to five minutes on two CPU cores (``make demo``).

    python tools/demo.py                      # what `make demo` runs after installing
    python tools/demo.py --train_num 12800    # a longer fine-tune

The shipped MobileNetV3 STAR-Net (pretrained/rec_mv3_tps_bilstm_ctc_synth, doc/pretrained.md)
never saw the STIX General typeface. The demo renders a validation set in it (the same words in
lower case, Title case and UPPER case), measures the shipped model there, fine-tunes it on STIX
and DejaVu words (a family it knows, so it keeps it), measures again, exports the model and reads
the bundled sample images with it. Every step is a tool of this repository, printed before it
runs as a user would type it; its whole output goes to output/demo/logs/.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.demo import demo
from ppocr.cli.startup import run


def main(argv=None):
    return demo(argv, description=__doc__)


if __name__ == "__main__":
    run(main)
