"""Learning-rate schedules of ``Optimizer.lr``, under the reference's names, option names and defaults.

Each returns a float (a constant rate) or a paddle ``LRScheduler`` stepped once per training step.
In the formulas ``t`` is the number of steps taken (0 for the first step), ``S`` the steps of one
epoch (``step_each_epoch``), ``N = epochs * S``; options counted in epochs become steps by ``* S``.

``warmup_epoch`` (all but LinearWarmupCosine, which warms up its own way) prepends a linear climb
from 0 to the schedule's peak over ``W = round(warmup_epoch * S)`` steps, and the schedule starts
when it ends, as in the reference: ``lr(t) = peak * t / W`` for ``t < W``, else ``schedule(t - W)``.
"""
import logging

from paddle.optimizer import lr as paddle_lr

from ppocr.errors import UserError
from ppocr.optimizer.decays import CyclicalCosineDecay, TwoStepCosineDecay
from ppocr.registry import LR_SCHEDULES

logger = logging.getLogger("ppocr")


def warm_up(schedule, warmup_epoch, step_each_epoch, peak):
    """``schedule`` after a linear climb from 0 to ``peak`` over ``round(warmup_epoch * step_each_epoch)``
    steps (unchanged for no warm-up)."""
    steps = int(round(float(warmup_epoch or 0) * step_each_epoch))
    if steps <= 0:
        return schedule
    return paddle_lr.LinearWarmup(learning_rate=schedule, warmup_steps=steps, start_lr=0.0, end_lr=float(peak))


def _steps(epochs, step_each_epoch, option, schedule):
    """``epochs`` (an option counted in epochs) as a positive whole number of steps."""
    steps = int(round(float(epochs) * step_each_epoch))
    if steps <= 0:
        raise UserError(f"Optimizer.lr {schedule}: {option}={epochs!r} epochs is {steps} steps at {step_each_epoch} "
                        "steps an epoch; give a positive number of epochs")
    return steps


@LR_SCHEDULES.register("Const")
def constant_lr(learning_rate, step_each_epoch, warmup_epoch=0):
    """``lr(t) = learning_rate``."""
    return warm_up(float(learning_rate), warmup_epoch, step_each_epoch, learning_rate)


@LR_SCHEDULES.register("Cosine")
def cosine_lr(learning_rate, epochs, step_each_epoch, warmup_epoch=0):
    """``lr(t) = learning_rate * (1 + cos(pi * t / N)) / 2``."""
    schedule = paddle_lr.CosineAnnealingDecay(learning_rate=float(learning_rate),
                                              T_max=max(1, epochs * step_each_epoch))
    return warm_up(schedule, warmup_epoch, step_each_epoch, learning_rate)


@LR_SCHEDULES.register("Piecewise")
def piecewise_lr(values, step_each_epoch, decay_epochs=None, boundaries=None, warmup_epoch=0):
    """``lr(t) = values[i]``, ``i`` the number of boundaries ``<= t``; the boundaries are
    ``decay_epochs * S`` (or ``boundaries``, in steps). The warm-up climbs to ``values[0]``."""
    if boundaries is None:
        if decay_epochs is None:
            raise UserError("Optimizer.lr Piecewise needs decay_epochs (or boundaries in steps)")
        boundaries = [int(e * step_each_epoch) for e in decay_epochs]
    if len(values) != len(boundaries) + 1:
        raise UserError(
            f"Optimizer.lr Piecewise: {len(values)} values for {len(boundaries)} boundaries; "
            "give one value more than decay_epochs"
        )
    values = [float(v) for v in values]
    schedule = paddle_lr.PiecewiseDecay(boundaries=boundaries, values=values)
    return warm_up(schedule, warmup_epoch, step_each_epoch, values[0])


@LR_SCHEDULES.register("Linear")
def linear_lr(learning_rate, epochs, step_each_epoch, end_lr=0.0, power=1.0, warmup_epoch=0):
    """Polynomial decay: ``lr(t) = (learning_rate - end_lr) * (1 - min(t, N) / N) ** power + end_lr``
    (a straight line for ``power: 1``)."""
    if float(power) <= 0:
        raise UserError(f"Optimizer.lr Linear: power must be above 0 for the rate to decay, got {power!r}")
    schedule = paddle_lr.PolynomialDecay(learning_rate=float(learning_rate),
                                         decay_steps=max(1, epochs * step_each_epoch),
                                         end_lr=float(end_lr), power=float(power))
    return warm_up(schedule, warmup_epoch, step_each_epoch, learning_rate)


@LR_SCHEDULES.register("Step")
def step_lr(learning_rate, step_size, gamma, step_each_epoch, warmup_epoch=0):
    """``lr(t) = learning_rate * gamma ** floor(t / P)``, ``P = round(step_size * S)``: multiplied by
    ``gamma`` every ``step_size`` epochs."""
    schedule = paddle_lr.StepDecay(learning_rate=float(learning_rate),
                                   step_size=_steps(step_size, step_each_epoch, "step_size", "Step"),
                                   gamma=_gamma(gamma, "Step"))
    return warm_up(schedule, warmup_epoch, step_each_epoch, learning_rate)


@LR_SCHEDULES.register("MultiStepDecay")
def multistep_lr(learning_rate, milestones, gamma, step_each_epoch, warmup_epoch=0):
    """``lr(t) = learning_rate * gamma ** k``, ``k`` the number of ``milestones`` (epochs) with
    ``milestone * S <= t``."""
    bounds = [float(m) * step_each_epoch for m in milestones]  # fractional steps, as the reference passes them
    if not bounds or any(b >= c for b, c in zip(bounds, bounds[1:])):
        raise UserError(f"Optimizer.lr MultiStepDecay: milestones must be increasing epochs, e.g. [12, 15]; "
                        f"got {milestones!r}")
    schedule = paddle_lr.MultiStepDecay(learning_rate=float(learning_rate), milestones=bounds,
                                        gamma=_gamma(gamma, "MultiStepDecay"))
    return warm_up(schedule, warmup_epoch, step_each_epoch, learning_rate)


@LR_SCHEDULES.register("OneCycle")
def one_cycle_lr(max_lr, epochs, step_each_epoch, anneal_strategy="cos", three_phase=False, warmup_epoch=0):
    """One cycle (Smith & Topin, 2017, arXiv:1708.07120), fixed as in the reference: starts at
    ``a = max_lr / 25``, ends at ``z = a / 1e4``, rises for 30 % of ``N``. With the anneal
    ``f(x, y, p) = y + (x - y) * (1 + cos(pi * p)) / 2`` (``cos``) or ``x + (y - x) * p``
    (``linear``) and ``e1 = 0.3 * N - 1``:

    - two phases: ``f(a, max_lr, t / e1)`` for ``t <= e1``, else ``f(max_lr, z, (t - e1) / (N - 1 - e1))``;
    - ``three_phase``: with ``e2 = 0.6 * N - 2``, ``f(a, max_lr, t / e1)`` for ``t <= e1``,
      ``f(max_lr, a, (t - e1) / (e2 - e1))`` for ``t <= e2``, else ``f(a, z, (t - e2) / (N - 1 - e2))``.

    The warm-up climbs to ``max_lr`` and the cycle then starts at ``a``, as in the reference.
    """
    if anneal_strategy not in ("cos", "linear"):
        raise UserError(f"Optimizer.lr OneCycle: anneal_strategy must be cos or linear, got {anneal_strategy!r}")
    max_lr = float(max_lr)
    schedule = paddle_lr.OneCycleLR(max_learning_rate=max_lr, total_steps=max(1, epochs * step_each_epoch),
                                    divide_factor=25.0, end_learning_rate=max_lr / 25.0 / 1e4, phase_pct=0.3,
                                    anneal_strategy=anneal_strategy, three_phase=bool(three_phase))
    return warm_up(schedule, warmup_epoch, step_each_epoch, max_lr)


@LR_SCHEDULES.register("CyclicalCosine")
def cyclical_cosine_lr(learning_rate, cycle, step_each_epoch, warmup_epoch=0):
    """Cosine restarts every ``cycle`` epochs (Gao et al., 2020, arXiv:2012.12645):
    ``lr(t) = learning_rate * (1 + cos(pi * (t mod C) / C)) / 2``, ``C = round(cycle * S)``."""
    schedule = CyclicalCosineDecay(learning_rate=float(learning_rate),
                                   cycle=_steps(cycle, step_each_epoch, "cycle", "CyclicalCosine"))
    return warm_up(schedule, warmup_epoch, step_each_epoch, learning_rate)


@LR_SCHEDULES.register("LinearWarmupCosine")
def linear_warmup_cosine_lr(learning_rate, epochs, step_each_epoch, warmup_steps=5000, start_lr=1e-5, min_lr=1e-8,
                            warmup_epoch=0):
    """A climb from ``start_lr`` over ``warmup_steps`` steps (not epochs), then a cosine to ``min_lr``:
    ``lr(t) = start_lr + (learning_rate - start_lr) * t / warmup_steps`` for ``t < warmup_steps``, else
    ``min_lr + (learning_rate - min_lr) * (1 + cos(pi * (t - warmup_steps) / N)) / 2``.
    The reference ignores ``warmup_epoch`` here; so does this, with a warning."""
    learning_rate, start_lr, min_lr = float(learning_rate), float(start_lr), float(min_lr)
    if warmup_epoch:
        logger.warning("Optimizer.lr LinearWarmupCosine warms up over warmup_steps (%s steps); warmup_epoch=%s is "
                       "ignored, as in the reference: set warmup_steps instead", warmup_steps, warmup_epoch)
    schedule = paddle_lr.CosineAnnealingDecay(learning_rate=learning_rate, T_max=max(1, epochs * step_each_epoch),
                                              eta_min=min_lr)
    warmup_steps = int(warmup_steps)
    if warmup_steps <= 0:
        return schedule
    if not start_lr < learning_rate:
        raise UserError(f"Optimizer.lr LinearWarmupCosine: start_lr ({start_lr}) must be below learning_rate "
                        f"({learning_rate}), or set warmup_steps: 0")
    return paddle_lr.LinearWarmup(learning_rate=schedule, warmup_steps=warmup_steps, start_lr=start_lr,
                                  end_lr=learning_rate)


@LR_SCHEDULES.register("TwoStepCosine")
def two_step_cosine_lr(learning_rate, epochs, step_each_epoch, warmup_epoch=0):
    """A cosine over 200 epochs, then one over the whole run, as the reference fixes them:
    ``lr(t) = learning_rate * (1 + cos(pi * t / T)) / 2`` with ``T = 200 * S`` for ``t <= 200 * S``,
    else ``T = N``."""
    schedule = TwoStepCosineDecay(learning_rate=float(learning_rate), first_steps=200 * step_each_epoch,
                                  total_steps=max(1, epochs * step_each_epoch))
    return warm_up(schedule, warmup_epoch, step_each_epoch, learning_rate)


def _gamma(gamma, schedule):
    gamma = float(gamma)
    if not 0 < gamma < 1:
        raise UserError(f"Optimizer.lr {schedule}: gamma is the factor the rate is multiplied by, in (0, 1); "
                        f"got {gamma}")
    return gamma

