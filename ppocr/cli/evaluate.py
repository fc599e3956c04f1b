"""``tools/eval.py`` (``ppocr-eval``): a trained recogniser scored on every set of a config's Eval section, the
table written beside the weights (or where asked) and printed, failures saved on request.

Example::

    config = merge_config("configs/rec/rec_r34_vd_tps_bilstm_ctc.yml",
                          ["Global.pretrained_model=output/rec/r34/best_accuracy", "Eval.dataset.data_dir=eval/"])
    evaluate_config(config)   # {'acc': ..., 'norm_edit_dis': ..., 'samples': ...}
"""
import json
import logging
import os

import paddle
import paddle.distributed as dist

from ppocr.cli.startup import setup
from ppocr.data import build_set_loaders
from ppocr.evaluation.evaluator import evaluate_sets
from ppocr.evaluation.failures import FailureLog
from ppocr.global_settings import GlobalSettings
from ppocr.metrics import build_metric
from ppocr.trained_model.from_config import TrainedModel
from ppocr.training.amp import build_mixed_precision

logger = logging.getLogger("ppocr")
DESCRIPTION = """Evaluate trained weights on the config's Eval sets: one table of accuracy and normalised edit
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


def add_eval_args(parser):
    """The command-line options of ``tools/eval.py`` beyond ``-c``/``-o``."""
    parser.add_argument("--save_failures", nargs="?", const="", default=None, metavar="DIR",
                        help="write the wrongly read samples (failures.tsv and a PNG contact sheet per set) "
                             "to DIR (default: <weights>.failures beside the weights)")
    parser.add_argument("--max_tiles", type=int, default=400, metavar="N",
                        help="failures drawn on each set's contact sheet (the TSV lists all); default 400")
    parser.add_argument("--save_table", default=None, metavar="PREFIX",
                        help="write the table to PREFIX.md and PREFIX.json (default: <weights>.eval beside "
                             "the weights)")


def evaluate_config(config, save_failures=None, max_tiles=400, save_table=None, config_path=None, settings=None):
    """Score the weights of ``config`` on its Eval sets; returns the sample-weighted total.

    ``save_failures``: None (off), '' (beside the weights) or a folder. ``save_table``: a path
    prefix for the .md and .json tables (default ``<weights>.eval``). ``settings``: the config's
    ``GlobalSettings`` when the caller has them.
    """
    settings = settings or GlobalSettings.of(config)
    trained = TrainedModel.from_config(config, why=" (the weights to evaluate)", settings=settings)
    weights = trained.weights
    prefix = weights[: -len(".pdparams")] if weights.endswith(".pdparams") else weights
    loaders = build_set_loaders(config, "Eval", trained.charset)
    failures = FailureLog(max_tiles=max_tiles) if save_failures is not None else None
    model = trained.model
    amp = build_mixed_precision(settings, paddle.get_device())
    if amp is not None:  # as the reference's eval.py: the model under the config's mixed precision
        model = amp.inference(amp.decorate(model)[0])
    report = evaluate_sets(model, loaders, trained.postprocess, build_metric(config),
                           trained.charset, failures=failures, weights=weights, config=config_path)
    if failures is not None:
        failures.write(save_failures or prefix + ".failures")
    if dist.get_rank() != 0:
        return report.total()
    for s in report.sets:
        logger.info("%s: %s", s.name, ", ".join(f"{k}: {v}" for k, v in s.as_dict().items()))
        if s.unusable or s.unencodable_labels:
            logger.warning("%s: %d unusable samples scored as wrong, %d labels the charset cannot encode "
                           "scored against their text", s.name, s.unusable, s.unencodable_labels)
    try:
        table = save_table or prefix + ".eval"
        os.makedirs(os.path.dirname(os.path.abspath(table)), exist_ok=True)
        logger.info("evaluation table written to %s", " and ".join(report.write(table)))
    except OSError as e:  # read-only weights folder: the printed table is still the result
        logger.warning("could not write the evaluation table beside %s: %s", os.path.abspath(prefix), e)
    print(report.markdown())
    print(json.dumps(report.total()))  # the machine-readable last line
    return report.total()


def main(argv=None):
    config, settings, args = setup(argv, DESCRIPTION, extra_args=add_eval_args)
    return evaluate_config(config, save_failures=args.save_failures, max_tiles=args.max_tiles,
                           save_table=args.save_table, config_path=args.config, settings=settings)
