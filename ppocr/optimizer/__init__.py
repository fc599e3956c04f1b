"""The optimizer and its learning-rate schedule, built from the ``Optimizer`` section.

Optimizers and regularisers are in ``optimizers.py``, schedules in ``schedules.py`` (the formula
of each in its docstring); schedules advance once per training step, options counted in epochs
are turned into steps with the number of batches per epoch.

Example::

    from ppocr.optimizer import build_optimizer
    optimizer, lr = build_optimizer(config["Optimizer"], epochs=72, step_each_epoch=1000, model=model)
"""
import copy
import logging

import paddle

from ppocr.errors import UserError
from ppocr.optimizer import optimizers, schedules  # noqa: F401  (register the components)
from ppocr.optimizer.optimizers import NO_EFFECT
from ppocr.registry import LR_SCHEDULES, OPTIMIZERS, REGULARIZERS, UnknownName, check_options

logger = logging.getLogger("ppocr")
SECTION_KEYS = ("lr", "weight_decay", "regularizer", "clip_norm", "clip_norm_global")  # read here for every optimizer
BUILDER_ARGS = ("model", "learning_rate", "weight_decay", "grad_clip")


def build_lr(lr_cfg, epochs, step_each_epoch):
    """A schedule (or a float) from ``Optimizer.lr``; ``Const`` when it has no ``name``.

    ``epochs`` and ``step_each_epoch`` are the run's: the reference overwrites the same keys of
    the section with them (some of its configs repeat ``epochs`` there), and so does this.
    ``last_epoch`` (every schedule of the reference takes it, for Paddle's scheduler): the first
    step of the run takes the rate of step ``last_epoch + 1`` (``start_after``).
    """
    lr_cfg = {"name": "Const", **(lr_cfg or {})}
    last_epoch = lr_cfg.pop("last_epoch", -1)
    run = {"epochs": epochs, "step_each_epoch": step_each_epoch}
    for key, value in run.items():
        given = lr_cfg.pop(key, None)
        if given is not None and given != value:
            logger.warning("Optimizer.lr.%s=%s is replaced by the run's %s, as in the reference", key, given, value)
    return start_after(LR_SCHEDULES.build(lr_cfg, context=run), last_epoch)


def start_after(schedule, last_epoch):
    """``schedule`` put at step ``last_epoch + 1``, as Paddle's schedulers built with ``last_epoch``
    start, but at the closed-form rate of that step (Paddle's recursive cosine would scale the
    first rate instead); ``schedule.first_step`` keeps the offset for a resume. A constant rate has
    no steps: one notice line."""
    if isinstance(last_epoch, bool) or not isinstance(last_epoch, int) or last_epoch < -1:
        raise UserError(f"Optimizer.lr.last_epoch must be an integer >= -1 (the step before the first), "
                        f"got {last_epoch!r}")
    if last_epoch == -1:
        return schedule
    if not isinstance(schedule, paddle.optimizer.lr.LRScheduler):
        logger.info("Optimizer.lr.last_epoch=%d has no effect on a constant rate", last_epoch)
        return schedule
    schedule.step(last_epoch + 1)
    schedule.first_step = last_epoch + 1
    return schedule


def build_optimizer(config, epochs, step_each_epoch, model):
    """``(optimizer, lr)`` where ``lr`` is the schedule (an LRScheduler) or a float."""
    _check_names(config)
    config = copy.deepcopy(config)
    try:
        lr = build_lr(config.pop("lr", None), epochs, step_each_epoch)
        weight_decay = config.pop("weight_decay", None)
        reg = config.pop("regularizer", None)
        if reg:
            weight_decay = REGULARIZERS.build(reg)
        grad_clip = None
        clip_norm, clip_norm_global = config.pop("clip_norm", None), config.pop("clip_norm_global", None)
        if clip_norm is not None:
            grad_clip = paddle.nn.ClipGradByNorm(clip_norm=float(clip_norm))
        elif clip_norm_global is not None:
            grad_clip = paddle.nn.ClipGradByGlobalNorm(clip_norm=float(clip_norm_global))
        optimizer = OPTIMIZERS.build(config, model=model, learning_rate=lr, weight_decay=weight_decay,
                                     grad_clip=grad_clip)
    except UnknownName as e:
        raise UserError(f"Optimizer: {e}") from None
    except (TypeError, ValueError) as e:
        raise UserError(f"Optimizer: bad option ({e})") from None
    return optimizer, lr


def _check_names(config):
    """An unknown option of the section is a one-line error whose hint is an option that does
    something: the section's own keys count, the ones accepted with no effect (``NO_EFFECT``) never
    stand in for a typo of a real one."""
    name = config.get("name") if isinstance(config, dict) else None
    if name not in OPTIMIZERS:
        return  # the registry's error names the optimizers
    taken = OPTIMIZERS.options(name) - set(BUILDER_ARGS)
    unknown = [key for key in config if key != "name" and key not in taken and key not in SECTION_KEYS]
    if unknown:
        check_options("optimizer", name, unknown, (taken - set(NO_EFFECT.get(name, ()))) | set(SECTION_KEYS))
