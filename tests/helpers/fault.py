"""Fault injection for the crash-safety tests: kill a real training run at an exact place.

    python tests/helpers/fault.py POINT:N[:SIGNAL][,POINT:N[:SIGNAL]...] tools/train.py -c ... -o ...

runs the tool as ``python tools/train.py -c ...`` would, after patching seams of the library so
that the process sends itself SIGNAL (default SIGKILL) the N-th time it reaches POINT. A timer
would hit such places (between two files of a checkpoint, inside an evaluation) only by chance.
Nothing of this is in the library: the seams are its ordinary functions.

Points:
    train_step          after the forward pass and the loss, before the backward pass and the update
                        (with CPU model replicas: the main thread's slice)
    checkpoint_write    after each file of a checkpoint is staged (before the journal commits them)
    checkpoint_commit   after each staged file of a committed checkpoint is renamed into place
    eval_batch          after an evaluation batch is scored
"""
import os
import runpy
import signal
import sys
import threading

POINTS = ("train_step", "checkpoint_write", "checkpoint_commit", "eval_batch")


class FaultPlan:
    """Where to fault: {point: (n, signal)}; ``hit(point)`` counts and fires on the n-th call."""

    def __init__(self, spec):
        self.plan, self.counts = {}, {}
        for item in filter(None, (part.strip() for part in spec.split(","))):
            fields = item.split(":")
            if len(fields) not in (2, 3) or fields[0] not in POINTS or not fields[1].isdigit() or int(fields[1]) < 1:
                raise ValueError(f"bad fault {item!r}: expected POINT:N[:SIGNAL] with POINT one of "
                                 f"{', '.join(POINTS)} and N >= 1")
            name = fields[2] if len(fields) == 3 else "SIGKILL"
            if name not in signal.Signals.__members__:
                raise ValueError(f"unknown signal {name!r} in {item!r}, e.g. SIGKILL or SIGTERM")
            self.plan[fields[0]] = (int(fields[1]), signal.Signals[name])

    def hit(self, point):
        if point not in self.plan:
            return
        self.counts[point] = self.counts.get(point, 0) + 1
        n, sig = self.plan[point]
        if self.counts[point] == n:
            os.kill(os.getpid(), sig)  # SIGKILL never returns; SIGTERM/SIGINT go to the trainer's handler


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


def install(plan):
    """Patch the library's seams so that ``plan`` fires at its points."""
    from ppocr.trained_model import checkpoint
    from ppocr.training import trainer

    stage, stage_copy, commit = checkpoint._stage, checkpoint._stage_copy, checkpoint._commit
    build_loss, build_dataloader = trainer.build_loss, trainer.build_dataloader

    def staged(path, obj):
        out = stage(path, obj)
        plan.hit("checkpoint_write")
        return out

    def staged_copy(path, source):  # a checkpoint of the state just saved copies its files
        out = stage_copy(path, source)
        plan.hit("checkpoint_write")
        return out

    def committed(tmp, final):
        done = commit(tmp, final)
        if done:
            plan.hit("checkpoint_commit")
        return done

    def loss_then_fault(config, charset):
        loss_fn = build_loss(config, charset)

        def wrapped(*args, **kwargs):
            out = loss_fn(*args, **kwargs)
            if threading.current_thread() is threading.main_thread():  # once a step with CPU model replicas
                plan.hit("train_step")
            return out

        return wrapped

    def eval_loader_that_faults(config, mode, charset, seed=0):
        loader = build_dataloader(config, mode, charset, seed=seed)
        return HitEachBatch(loader, plan, "eval_batch") if mode == "Eval" else loader

    checkpoint._stage, checkpoint._stage_copy, checkpoint._commit = staged, staged_copy, committed
    trainer.build_loss, trainer.build_dataloader = loss_then_fault, eval_loader_that_faults


def main():
    spec, tool, *args = sys.argv[1:]
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.path[:0] = [os.path.dirname(os.path.abspath(tool)), repo]  # as `python tools/x.py` would have it
    install(FaultPlan(spec))
    sys.argv = [tool, *args]
    runpy.run_path(tool, run_name="__main__")


if __name__ == "__main__":
    main()
