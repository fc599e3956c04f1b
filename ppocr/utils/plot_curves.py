"""Training curves: loss, accuracy and learning rate against steps, drawn from ``train_log.jsonl``.

The trainer appends one JSON record per log line (``kind: train``: loss, acc, lr) and per
evaluation (``kind: eval``: acc, norm_edit_dis); ``refresh_curves`` redraws
``save_model_dir/train_curves.png`` from that file after each evaluation. The figure is drawn
with matplotlib's object API on an Agg canvas (no pyplot state, no display needed).

Example::

    from ppocr.utils.plot_curves import plot_curves
    plot_curves("output/rec/demo_mv3_tps_bilstm_ctc/train_log.jsonl")   # -> .../train_curves.png
"""
import json
import logging
import os

from ppocr.utils.io import atomic_save

logger = logging.getLogger("ppocr")
CURVES_NAME = "train_curves.png"


def read_log(path):
    """``{'train': [...], 'eval': [...]}`` records of a train_log.jsonl, ordered by step.

    After a resume the log holds the replayed steps twice; the later record of a step wins.
    A line cut short by a crash is left out.
    """
    runs = {"train": {}, "eval": {}}
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            kind, step = record.get("kind"), record.get("global_step")
            if kind in runs and isinstance(step, int):
                runs[kind][step] = record
    return {kind: [records[s] for s in sorted(records)] for kind, records in runs.items()}


def _series(records, key):
    points = [(r["global_step"], r[key]) for r in records if isinstance(r.get(key), (int, float))]
    return [p[0] for p in points], [p[1] for p in points]


def plot_curves(log_path, out_path=None, size=(8.0, 7.5), dpi=100):
    """Draw the three panels into ``out_path`` (default: ``train_curves.png`` beside the log);
    returns the path, or None when the log has no record yet."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    runs = read_log(log_path)
    if not runs["train"] and not runs["eval"]:
        return None
    out_path = out_path or os.path.join(os.path.dirname(os.path.abspath(log_path)), CURVES_NAME)
    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    loss_ax, acc_ax, lr_ax = fig.subplots(3, 1, sharex=True)
    loss_ax.plot(*_series(runs["train"], "loss"), color="tab:red", label="train loss (smoothed)")
    loss_ax.set_ylabel("loss")
    acc_ax.plot(*_series(runs["train"], "acc"), color="tab:blue", alpha=0.5, label="train batch accuracy")
    steps, acc = _series(runs["eval"], "acc")
    acc_ax.plot(steps, acc, color="tab:green", marker="o", label="validation accuracy")
    if acc:
        best = max(range(len(acc)), key=acc.__getitem__)
        acc_ax.annotate(f"best {acc[best]:.3f}", xy=(steps[best], acc[best]), xytext=(0, -14),
                        textcoords="offset points", ha="center", fontsize=8)
    acc_ax.set_ylim(-0.02, 1.02)
    acc_ax.set_ylabel("word accuracy")
    lr_ax.plot(*_series(runs["train"], "lr"), color="tab:purple", label="learning rate")
    lr_ax.set_ylabel("learning rate")
    lr_ax.set_xlabel("step")
    lr_ax.ticklabel_format(axis="y", style="sci", scilimits=(-2, 3))
    for ax in (loss_ax, acc_ax, lr_ax):
        ax.grid(True, alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="best", fontsize=8)
    fig.suptitle(os.path.basename(os.path.dirname(os.path.abspath(log_path))) or "training", fontsize=10)
    fig.tight_layout()
    atomic_save(fig, out_path, lambda figure, tmp: figure.savefig(tmp, format="png"))
    return out_path


def refresh_curves(save_dir):
    """Redraw ``save_dir/train_curves.png``; a failure is a warning, since a picture must never stop training."""
    log_path = os.path.join(save_dir, "train_log.jsonl")
    if not os.path.isfile(log_path):
        return None
    try:
        return plot_curves(log_path)
    except Exception as e:  # noqa: BLE001  (matplotlib missing or broken: keep training)
        logger.warning("could not draw the training curves in %s: %s", save_dir, e)
        return None
