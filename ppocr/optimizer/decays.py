"""The two rate curves Paddle does not ship, as ``LRScheduler``s whose rate is a closed form of the
step, so stepping one at a time, jumping to a step (a resume, the end of a warm-up) and restoring a
saved state all give the same rate."""
import math

from paddle.optimizer.lr import LRScheduler

from ppocr.errors import UserError


def _half_cosine(base_lr, step, period):
    return base_lr * (1.0 + math.cos(math.pi * step / period)) / 2.0


class CyclicalCosineDecay(LRScheduler):
    """``lr(t) = base * (1 + cos(pi * (t mod cycle) / cycle)) / 2``: back to ``base`` every ``cycle`` steps.

    Example::

        from ppocr.optimizer.decays import CyclicalCosineDecay
        lr = CyclicalCosineDecay(learning_rate=0.1, cycle=4)   # 0.1, 0.0854, 0.05, 0.0146, 0.1, ...
    """

    def __init__(self, learning_rate, cycle, last_epoch=-1):
        if not isinstance(cycle, int) or cycle <= 0:
            raise UserError(f"CyclicalCosineDecay: cycle must be a positive number of steps, got {cycle!r}")
        self.cycle = cycle
        super().__init__(learning_rate, last_epoch)

    def get_lr(self):
        return _half_cosine(self.base_lr, self.last_epoch % self.cycle, self.cycle)


class TwoStepCosineDecay(LRScheduler):
    """``lr(t) = base * (1 + cos(pi * t / T)) / 2`` with ``T = first_steps`` while ``t <= first_steps``,
    then ``T = total_steps``.

    The reference computes this step by step from the previous rate, which is exactly 0 at
    ``t = first_steps`` and so stays 0 for the rest of the run when no warm-up precedes it (behind
    a warm-up it used this closed form); here the closed form holds throughout.

    Example::

        from ppocr.optimizer.decays import TwoStepCosineDecay
        lr = TwoStepCosineDecay(learning_rate=0.01, first_steps=200, total_steps=300)
    """

    def __init__(self, learning_rate, first_steps, total_steps, last_epoch=-1):
        for name, value in (("first_steps", first_steps), ("total_steps", total_steps)):
            if not isinstance(value, int) or value <= 0:
                raise UserError(f"TwoStepCosineDecay: {name} must be a positive number of steps, got {value!r}")
        self.first_steps, self.total_steps = first_steps, total_steps
        super().__init__(learning_rate, last_epoch)

    def get_lr(self):
        period = self.first_steps if self.last_epoch <= self.first_steps else self.total_steps
        return _half_cosine(self.base_lr, self.last_epoch, period)
