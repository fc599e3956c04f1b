"""Export trained weights to a Paddle inference model (+ inference.yml, and ONNX).

``python tools/export_model.py --help`` shows the options and examples; the command line is
ppocr/cli/export_model.py, which a pip install also gives as ``ppocr-export``.
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.export_model import main
from ppocr.cli.startup import run

if __name__ == "__main__":
    run(main)
