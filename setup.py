"""Install the ppocr library (the tools run from the repository: python tools/train.py ...)."""
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
)
