"""Generate synthetic word images.

``python tools/gen_synth_data.py --help`` shows the options and examples; the command line is
ppocr/cli/gen_synth_data.py, which a pip install also gives as ``ppocr-gen-synth-data``.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.gen_synth_data import main
from ppocr.cli.startup import run

if __name__ == "__main__":
    run(main)
