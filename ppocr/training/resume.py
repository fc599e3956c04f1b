"""Resuming training from a checkpoint (``Global.checkpoints``): what its ``.states`` restores,
a better best metric already on disk, and a learning-rate schedule edited in the config since.

The weights and the optimizer (moments and the schedule's position) come back through
``load_checkpoint``; this module restores the rest, so a resumed run takes the same steps,
with the same learning rates, as one that was never interrupted.
"""
import copy
import os

import paddle

from ppocr.trained_model.checkpoint import read_states, recover


def schedule_of(config, steps_per_epoch, epoch_num):
    """Everything that decides the learning rate of each step (the config's ``Optimizer.lr``, the
    run's ``Global.epoch_num`` and steps per epoch); saved in ``.states`` so that a resume can tell
    whether the schedule changed since."""
    return {"lr": copy.deepcopy((config.get("Optimizer") or {}).get("lr") or {}),
            "epoch_num": int(epoch_num), "steps_per_epoch": int(steps_per_epoch)}


def restore_states(saved, states):
    """``states`` with each of its keys taken from the checkpoint's ``saved`` states."""
    out = dict(states)
    for key in out:
        if key in saved:
            out[key] = saved[key]
    if "step_in_epoch" not in saved and "epoch" in saved:  # reference files: saved at the end of an epoch
        out["epoch"], out["step_in_epoch"] = saved["epoch"] + 1, 0
    return out


def best_so_far(best, save_dir, key):
    """The better of the restored ``best`` and the one of ``save_dir/best_accuracy``.

    ``best_accuracy`` is written just before ``latest``: a crash between the two leaves ``latest``
    with the previous best, and comparing with it alone would overwrite a better model.
    """
    prefix = os.path.join(save_dir, "best_accuracy")
    recover(prefix)
    on_disk = read_states(prefix).get("best_model_dict") or {}
    if key in on_disk and (key not in (best or {}) or on_disk[key] > best[key]):
        return on_disk
    return best or {}


def schedule_changed(saved, current):
    """True if the config's learning-rate schedule differs from the one the checkpoint ran with."""
    if "lr_schedule" in saved:
        return saved["lr_schedule"] != current
    old = saved.get("config_lr")  # checkpoints of earlier versions saved only the rate itself
    lr_cfg = current["lr"]
    return old is not None and old != lr_cfg.get("learning_rate", lr_cfg.get("values"))


def apply_schedule(lr, global_step, changed):
    """Put the schedule at ``global_step`` computed from the config if it ``changed`` (or if the
    optimizer file did not hold its position); otherwise keep the restored value, bit for bit.

    ``lr`` is the schedule the optimizer was built with from the current config (a float for a
    constant rate, which ``.pdopt`` does not hold: the config's value is then already in use).
    A schedule that starts after ``Optimizer.lr.last_epoch`` is at ``global_step`` plus its ``first_step``.
    """
    if not isinstance(lr, paddle.optimizer.lr.LRScheduler):
        return
    position = global_step + getattr(lr, "first_step", 0)
    if changed or lr.last_epoch != position:
        # the closed form at the step, for Cosine inside or outside a warm-up alike
        lr.step(position)
