"""Evaluate trained weights on the config's Eval set (accuracy and normalised edit distance).

    python tools/eval.py -c configs/rec/rec_r34_vd_tps_bilstm_ctc.yml -o Global.pretrained_model=output/rec/r34/best_accuracy
    python -m paddle.distributed.launch --nproc_per_node 2 tools/eval.py -c ... -o Global.use_gpu=False ...
"""
import json
import logging

import _bootstrap  # noqa: F401  (puts the repository on sys.path)
import paddle.distributed as dist

from ppocr.charset import build_charset
from ppocr.data import build_dataloader
from ppocr.engine.checkpoint import load_weights
from ppocr.engine.evaluator import evaluate
from ppocr.engine.program import run, setup
from ppocr.errors import UserError
from ppocr.metrics import build_metric
from ppocr.modeling import build_model
from ppocr.postprocess import build_postprocess


def main(argv=None):
    config, _ = setup(argv, __doc__)
    g = config["Global"]
    weights = g.get("checkpoints") or g.get("pretrained_model")
    if not weights:
        raise UserError("no weights to evaluate: set -o Global.pretrained_model=PATH/best_accuracy")
    charset = build_charset(config)
    model = build_model(config, charset)
    load_weights(model, weights, skip_mismatched=bool(g.get("skip_mismatched_tensors", False)))
    loader = build_dataloader(config, "Eval", charset)
    result = evaluate(model, loader, build_postprocess(config, charset), build_metric(config), charset)
    if dist.get_rank() == 0:
        logging.getLogger("ppocr").info("metric eval ***************")
        for key, value in result.items():
            logging.getLogger("ppocr").info("%s: %s", key, value)
        print(json.dumps(result))
    return result


if __name__ == "__main__":
    run(main)
