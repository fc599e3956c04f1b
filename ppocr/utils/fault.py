"""TEST-ONLY fault injection: ``PPOCR_FAULT=point:n[:SIGNAL][,point:n[:SIGNAL]...]`` makes the
process send itself SIGNAL (default SIGKILL) the n-th time it reaches ``point``.

The crash-safety tests (tests/engine/test_crash_safety.py) need to kill training at exact places,
between two files of a checkpoint or in the middle of an evaluation, that a timer would hit only
by chance. Users never set this variable. It is read once, when the trainer is built; unset, the
trainer wraps and checks nothing, so training pays nothing for it.

Points:
    train_step          after the forward pass and the loss, before the backward pass and the update
    checkpoint_write    after each file of a checkpoint is staged (before the journal commits them)
    checkpoint_commit   after a checkpoint's journal is written and its first file renamed
    eval_batch          after an evaluation batch is scored

Example::

    PPOCR_FAULT=checkpoint_write:4 python tools/train.py -c ...   # killed while writing a checkpoint
    PPOCR_FAULT=train_step:9:SIGTERM python tools/train.py -c ... # as if a scheduler stopped the job
"""
import os
import signal

from ppocr.errors import UserError

ENV_VAR = "PPOCR_FAULT"
POINTS = ("train_step", "checkpoint_write", "checkpoint_commit", "eval_batch")


class FaultPlan:
    """Where to fault: {point: (n, signal)}; ``hit(point)`` counts and fires on the n-th call."""

    def __init__(self, spec):
        self.plan, self.counts = {}, {}
        for item in filter(None, (part.strip() for part in spec.split(","))):
            fields = item.split(":")
            if len(fields) not in (2, 3) or fields[0] not in POINTS or not fields[1].isdigit() or int(fields[1]) < 1:
                raise UserError(f"{ENV_VAR}: bad item {item!r}: expected POINT:N[:SIGNAL] with POINT one of "
                                f"{', '.join(POINTS)} and N >= 1 (this variable is for tests only: unset it)")
            name = fields[2] if len(fields) == 3 else "SIGKILL"
            if name not in signal.Signals.__members__:
                raise UserError(f"{ENV_VAR}: unknown signal {name!r} in {item!r}, e.g. SIGKILL or SIGTERM")
            self.plan[fields[0]] = (int(fields[1]), signal.Signals[name])

    @classmethod
    def from_env(cls, environ=None):
        """The plan of ``$PPOCR_FAULT``, or None when unset (the normal case)."""
        spec = (os.environ if environ is None else environ).get(ENV_VAR, "")
        return cls(spec) if spec.strip() else None

    def hit(self, point):
        if point not in self.plan:
            return
        self.counts[point] = self.counts.get(point, 0) + 1
        n, sig = self.plan[point]
        if self.counts[point] == n:
            os.kill(os.getpid(), sig)  # SIGKILL never returns; SIGTERM/SIGINT go to the trainer's handler


def after_each(fn, plan, point):
    """``fn`` that calls ``plan.hit(point)`` after each call (used to fault mid-step)."""

    def wrapped(*args, **kwargs):
        out = fn(*args, **kwargs)
        plan.hit(point)
        return out

    return wrapped


class HitEachBatch:
    """A loader whose every batch, once the consumer has used it, calls ``plan.hit(point)``."""

    def __init__(self, loader, plan, point):
        self.loader, self.plan, self.point = loader, plan, point

    def __len__(self):
        return len(self.loader)

    def __getattr__(self, name):  # batch_sampler, dataset, ...: the evaluator may read them
        return getattr(self.loader, name)

    def __iter__(self):
        for batch in self.loader:
            yield batch
            self.plan.hit(self.point)
