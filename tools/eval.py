"""Evaluate trained weights on the config's Eval sets: one table of accuracy and normalised edit
distance per set, the sample-weighted total and the mean of the sets.

    python tools/eval.py -c configs/rec/rec_r34_vd_tps_bilstm_ctc.yml -o Eval.dataset.data_dir=./evaluation/ \\
        Global.pretrained_model=output/rec/r34/best_accuracy
    python tools/eval.py -c ... -o "Eval.dataset.data_dir=[data/IIIT5k_3000, data/SVT]" --save_failures
    python -m paddle.distributed.launch --nproc_per_node 2 tools/eval.py -c ... -o Global.use_gpu=False ...

``Eval.dataset.data_dir`` may be a list (one set per entry) or a folder whose sub-folders are
LMDBs (one set per sub-folder); a single LMDB is one set. The table is printed and written
beside the weights as ``<weights>.eval.md`` and ``<weights>.eval.json`` (or ``--save_table PREFIX``
gives PREFIX.md and PREFIX.json); the last line printed
is the JSON of the sample-weighted total. ``Metric.protocol`` selects the scoring (doc/evaluation.md).
"""
import json
import logging
import os

import _bootstrap  # noqa: F401  (puts the repository on sys.path)
import paddle.distributed as dist

from ppocr.charset import build_charset
from ppocr.data import build_set_loaders
from ppocr.engine.checkpoint import load_weights
from ppocr.engine.evaluator import evaluate_sets
from ppocr.engine.failures import FailureLog
from ppocr.engine.program import run, setup
from ppocr.errors import UserError
from ppocr.metrics import build_metric
from ppocr.modeling import build_model
from ppocr.postprocess import build_postprocess

logger = logging.getLogger("ppocr")


def add_eval_args(parser):
    parser.add_argument("--save_failures", nargs="?", const="", default=None, metavar="DIR",
                        help="write the wrongly read samples (failures.tsv and a PNG contact sheet per set) "
                             "to DIR (default: <weights>.failures beside the weights)")
    parser.add_argument("--max_tiles", type=int, default=400, metavar="N",
                        help="failures drawn on each set's contact sheet (the TSV lists all); default 400")
    parser.add_argument("--save_table", default=None, metavar="PREFIX",
                        help="write the table to PREFIX.md and PREFIX.json (default: <weights>.eval beside "
                             "the weights)")


def main(argv=None):
    config, args = setup(argv, __doc__, extra_args=add_eval_args)
    g = config["Global"]
    weights = g.get("checkpoints") or g.get("pretrained_model")
    if not weights:
        raise UserError("no weights to evaluate: set -o Global.pretrained_model=PATH/best_accuracy")
    prefix = weights[: -len(".pdparams")] if weights.endswith(".pdparams") else weights
    charset = build_charset(config)
    model = build_model(config, charset)
    load_weights(model, weights, skip_mismatched=bool(g.get("skip_mismatched_tensors", False)))
    loaders = build_set_loaders(config, "Eval", charset)
    failures = FailureLog(max_tiles=args.max_tiles) if args.save_failures is not None else None
    report = evaluate_sets(model, loaders, build_postprocess(config, charset), build_metric(config), charset,
                           failures=failures, weights=weights, config=args.config)
    if failures is not None:
        failures.write(args.save_failures or prefix + ".failures")
    if dist.get_rank() != 0:
        return report.total()
    for s in report.sets:
        logger.info("%s: %s", s.name, ", ".join(f"{k}: {v}" for k, v in s.as_dict().items()))
        if s.unusable or s.unencodable_labels:
            logger.warning("%s: %d unusable samples scored as wrong, %d labels the charset cannot encode "
                           "scored against their text", s.name, s.unusable, s.unencodable_labels)
    try:
        table = args.save_table or prefix + ".eval"
        os.makedirs(os.path.dirname(os.path.abspath(table)), exist_ok=True)
        paths = report.write(table)
        logger.info("evaluation table written to %s", " and ".join(paths))
    except OSError as e:  # read-only weights folder: the printed table is still the result
        logger.warning("could not write the evaluation table beside %s: %s", os.path.abspath(prefix), e)
    print(report.markdown())
    print(json.dumps(report.total()))  # the machine-readable last line
    return report.total()


if __name__ == "__main__":
    run(main)
