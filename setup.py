"""Install the ppocr library and its console scripts (ppocr-train, ... one per tool; in a checkout the
tools also run as python tools/train.py ...)."""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
requirements = [line.strip() for line in (HERE / "requirements.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#")]

# ONNX export (paddle2onnx) and its runtime; the HTTP service of tools/serve.py. The tests cover both (the
# service page in headless Chromium through selenium: .ci/run installs the browser).
ONNX = ["paddle2onnx>=2.0", "onnx", "onnxruntime>=1.16"]
SERVE = ["fastapi>=0.110", "uvicorn>=0.29", "python-multipart>=0.0.9"]
# the training dashboards of Global.use_visualdl and Global.use_wandb (ppocr/training/dashboards.py)
VISUALDL = ["visualdl>=2.5"]
WANDB = ["wandb>=0.17"]

# one console script per tool of tools/ (ppocr/cli/console_scripts.py): ppocr-train is tools/train.py, ...
CONSOLE_SCRIPTS = [
    "ppocr-train = ppocr.cli.console_scripts:train",
    "ppocr-eval = ppocr.cli.console_scripts:evaluate",
    "ppocr-infer = ppocr.cli.console_scripts:infer_rec",
    "ppocr-export = ppocr.cli.console_scripts:export_model",
    "ppocr-predict = ppocr.cli.console_scripts:predict_rec",
    "ppocr-serve = ppocr.cli.console_scripts:serve",
    "ppocr-vis-rectify = ppocr.cli.console_scripts:vis_rectify",
    "ppocr-demo = ppocr.cli.console_scripts:demo",
    "ppocr-gen-synth-data = ppocr.cli.console_scripts:gen_synth_data",
    "ppocr-create-lmdb = ppocr.cli.console_scripts:create_lmdb_dataset",
    "ppocr-convert-public-set = ppocr.cli.console_scripts:convert_public_set",
    "ppocr-find-leaks = ppocr.cli.console_scripts:find_leaks",
]

setup(
    name="ppocr-starnet-spin",
    version="0.1.0",
    description="Train, evaluate, export and serve STAR-Net and SPIN scene-text recognisers on PaddlePaddle 3",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    packages=find_packages(include=["ppocr", "ppocr.*"]),
    package_data={"ppocr": ["utils/*.txt", "utils/dict/*.txt", "synth/*.txt", "ops/*.cc", "serving/*.html"]},
    # itertools.pairwise (the CPU model replicas) is the newest language feature the code uses
    python_requires=">=3.10",
    install_requires=requirements,
    extras_require={"test": ["pytest", "pytest-timeout", "selenium>=4.10", *ONNX, *SERVE, *VISUALDL, *WANDB],
                    "onnx": ONNX, "serve": SERVE, "visualdl": VISUALDL, "wandb": WANDB},
    entry_points={"console_scripts": CONSOLE_SCRIPTS},
)
