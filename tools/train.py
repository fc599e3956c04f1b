"""Train a recogniser from a YAML config.

    python tools/train.py -c configs/rec/rec_mv3_tps_bilstm_ctc.yml -o Global.epoch_num=10
    python -m paddle.distributed.launch --gpus 0,1,2,3 tools/train.py -c configs/rec/rec_r34_vd_tps_bilstm_ctc.yml
    python -m paddle.distributed.launch --nproc_per_node 2 tools/train.py -c ... -o Global.use_gpu=False
"""
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.startup import run
from ppocr.cli.train import train


def main(argv=None):
    return train(argv, description=__doc__)


if __name__ == "__main__":
    run(main)
