"""``tools/train.py`` (``ppocr-train``): a config (with its ``-o`` options) trained, one process or many."""
from ppocr.cli.startup import setup
from ppocr.training.trainer import Trainer

DESCRIPTION = """Train a recogniser from a YAML config.

    python tools/train.py -c configs/rec/rec_mv3_tps_bilstm_ctc.yml -o Global.epoch_num=10
    python -m paddle.distributed.launch --gpus 0,1,2,3 tools/train.py -c configs/rec/rec_r34_vd_tps_bilstm_ctc.yml
    python -m paddle.distributed.launch --nproc_per_node 2 tools/train.py -c ... -o Global.use_gpu=False
"""


def main(argv=None):
    config, settings, _ = setup(argv, DESCRIPTION, log_name="train.log", output_folders=("save_model_dir",))
    Trainer(config, settings).train()
