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
import _bootstrap  # noqa: F401  (puts the repository on sys.path)

from ppocr.cli.evaluate import add_eval_args, evaluate_config
from ppocr.cli.startup import run, setup


def main(argv=None):
    config, settings, args = setup(argv, __doc__, extra_args=add_eval_args)
    return evaluate_config(config, save_failures=args.save_failures, max_tiles=args.max_tiles,
                           save_table=args.save_table, config_path=args.config, settings=settings)


if __name__ == "__main__":
    run(main)
