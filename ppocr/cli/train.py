"""``tools/train.py``: a config (with its ``-o`` options) trained, one process or many."""
from ppocr.cli.startup import setup
from ppocr.training.trainer import Trainer


def train(argv=None, description=None):
    config, settings, _ = setup(argv, description, log_name="train.log", output_folders=("save_model_dir",))
    Trainer(config, settings).train()
