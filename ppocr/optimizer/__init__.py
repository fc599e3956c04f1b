"""Optimizers, learning-rate schedules and regularisers, built from the ``Optimizer`` section.

Schedules advance once per training step; epochs in the config are turned into steps with
the number of batches per epoch.

Example::

    optimizer, lr = build_optimizer(config["Optimizer"], epochs=72, step_each_epoch=1000,
                                    model=model)
"""
import copy

import paddle

from ppocr.errors import UserError
from ppocr.registry import LR_SCHEDULES, OPTIMIZERS, REGULARIZERS


# ---- learning-rate schedules: each returns a float or a paddle LRScheduler -------------
@LR_SCHEDULES.register("Const")
def constant_lr(learning_rate):
    return float(learning_rate)


@LR_SCHEDULES.register("Cosine")
def cosine_lr(learning_rate, epochs, step_each_epoch):
    return paddle.optimizer.lr.CosineAnnealingDecay(
        learning_rate=learning_rate, T_max=max(1, epochs * step_each_epoch)
    )


@LR_SCHEDULES.register("Piecewise")
def piecewise_lr(values, step_each_epoch, decay_epochs=None, boundaries=None):
    if boundaries is None:
        if decay_epochs is None:
            raise UserError("Optimizer.lr Piecewise needs decay_epochs (or boundaries in steps)")
        boundaries = [int(e * step_each_epoch) for e in decay_epochs]
    if len(values) != len(boundaries) + 1:
        raise UserError(
            f"Optimizer.lr Piecewise: {len(values)} values for {len(boundaries)} boundaries; "
            "give one value more than decay_epochs"
        )
    return paddle.optimizer.lr.PiecewiseDecay(boundaries=boundaries, values=values)


def build_lr(lr_cfg, epochs, step_each_epoch):
    """A schedule (or a float) from ``Optimizer.lr``, with a linear warm-up if ``warmup_epoch``.

    As in the reference, the wrapped schedule starts when the warm-up ends, so its epochs
    (``decay_epochs``, the cosine period) count from there.
    """
    lr_cfg = {"name": "Const", **(lr_cfg or {})}
    warmup_epoch = lr_cfg.pop("warmup_epoch", 0)
    schedule = LR_SCHEDULES.build(lr_cfg, context={"epochs": epochs, "step_each_epoch": step_each_epoch})
    warmup_steps = int(round(warmup_epoch * step_each_epoch))
    if warmup_steps > 0:
        peak = schedule if isinstance(schedule, float) else schedule.last_lr
        schedule = paddle.optimizer.lr.LinearWarmup(
            learning_rate=schedule, warmup_steps=warmup_steps, start_lr=0.0, end_lr=float(peak)
        )
    return schedule


# ---- regularisers -----------------------------------------------------------------------
@REGULARIZERS.register("L2")
def l2_decay(factor=0.0):
    return paddle.regularizer.L2Decay(coeff=float(factor))


@REGULARIZERS.register("L1")
def l1_decay(factor=0.0):
    return paddle.regularizer.L1Decay(coeff=float(factor))


# ---- optimizers ---------------------------------------------------------------------------
@OPTIMIZERS.register("Adam")
def adam(model, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=None, grad_clip=None):
    return paddle.optimizer.Adam(
        learning_rate=learning_rate, beta1=beta1, beta2=beta2, epsilon=epsilon,
        parameters=_trainable(model), weight_decay=weight_decay, grad_clip=grad_clip,
    )


@OPTIMIZERS.register("AdamW")
def adamw(model, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=None, grad_clip=None,
          no_weight_decay_name=None, one_dim_param_no_weight_decay=False):
    # the reference's AdamW decays by 0.01 unless told otherwise; SPIN's config relies on that
    if weight_decay is None:
        weight_decay = 0.01
    if isinstance(weight_decay, paddle.regularizer.WeightDecayRegularizer):
        weight_decay = weight_decay._coeff
    skip = set((no_weight_decay_name or "").split())
    no_decay = {p.name for n, p in model.named_parameters()
                if any(s in n for s in skip) or (one_dim_param_no_weight_decay and len(p.shape) == 1)}
    return paddle.optimizer.AdamW(
        learning_rate=learning_rate, beta1=beta1, beta2=beta2, epsilon=epsilon,
        parameters=_trainable(model), weight_decay=float(weight_decay), grad_clip=grad_clip,
        apply_decay_param_fun=lambda name: name not in no_decay,
    )


@OPTIMIZERS.register("Momentum")
def momentum(model, learning_rate, momentum=0.9, weight_decay=None, grad_clip=None):
    return paddle.optimizer.Momentum(
        learning_rate=learning_rate, momentum=momentum, parameters=_trainable(model),
        weight_decay=weight_decay, grad_clip=grad_clip,
    )


def _trainable(model):
    return [p for p in model.parameters() if not p.stop_gradient]


def build_optimizer(config, epochs, step_each_epoch, model):
    """``(optimizer, lr)`` where ``lr`` is the schedule (an LRScheduler) or a float."""
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
    except KeyError as e:
        raise UserError(f"Optimizer: {e.args[0] if e.args else e}") from None
    except TypeError as e:
        raise UserError(f"Optimizer: bad option ({e})") from None
    return optimizer, lr
