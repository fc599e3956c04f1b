"""One training step, whatever runs it: ``step(batch) -> (loss, preds)``.

``build_train_step`` chooses one of three implementations, once, when the trainer is built:

- ``ModelStep``: the model itself, in this process;
- ``DataParallelStep``: the model in ``paddle.DataParallel``, one process per device under
  ``paddle.distributed.launch`` (its backward all-reduces the gradients);
- ``ReplicaStep``: one process on the CPU with a model replica per core (replicas.py).

A step is forward (the model under mixed precision's ``autocast`` when the run has one, amp.py),
the loss in float32, backward (from the scaled loss under mixed precision), the optimizer's update
(through the gradient scaler under mixed precision), the gradients freed and the learning-rate
schedule advanced: written once here, for the three. ``net`` is the model the step trains (the
model, or the replicas that split the images between them); ``eval_net`` is what evaluation calls
on images (``net``, under ``autocast`` with mixed precision).

Example::

    from ppocr.training.train_step import build_train_step
    train_step = build_train_step(model, optimizer, lr, loss_fn)
    for batch in loader:
        loss, preds = train_step.step(batch)
"""
import paddle

from ppocr.training.amp import to_float32
from ppocr.training.replicas import CpuReplicas, concat_outputs, slice_sizes

NOT_TARGETS = ("image", "text", "valid", "skipped")  # batch keys the model and the loss are not given


def targets_of(batch):
    """What the model (in training) and the loss take besides the images: label ids, lengths..."""
    return {key: value for key, value in batch.items() if key not in NOT_TARGETS}


class TrainStep:
    """The shared part of the three steps. ``on_phase``: None, or a function called with
    ``"forward"``, ``"backward"`` and ``"optimizer"`` as each phase of a step ends (how
    benchmark/train_speed.py splits the step's time)."""

    def __init__(self, net, optimizer, lr, loss_fn, amp=None):
        self.net, self.optimizer, self.lr, self.loss_fn, self.amp = net, optimizer, lr, loss_fn, amp
        self.eval_net = net if amp is None else amp.inference(net)
        self.on_phase = None

    def step(self, batch):
        """Train on ``batch``; returns its loss and the model's predictions."""
        raise NotImplementedError

    def _forward_backward(self, net, batch, timed=True):
        """Loss and predictions of ``batch``, gradients accumulated; also the loss backward ran from."""
        targets = targets_of(batch)
        if self.amp is None:
            preds = net(batch["image"], targets)
        else:
            with self.amp.autocast():
                preds = net(batch["image"], targets)
            preds = to_float32(preds)  # the loss outside autocast, in float32, as the reference computes it
        loss = self.loss_fn(preds, targets)["loss"]
        if timed:
            self._phase_done("forward")
        scaled = loss if self.amp is None else self.amp.scale(loss)
        scaled.backward()
        return loss, preds

    def _update(self):
        """The optimizer's step from the gradients backward left (unscaled first under mixed precision)."""
        if self.amp is None:
            self.optimizer.step()
        else:
            self.amp.step(self.optimizer)

    def _next_step(self):
        # freed, not zeroed: the next forward never holds the activations and a set of gradients at once
        self.optimizer.clear_grad(set_to_zero=False)
        if isinstance(self.lr, paddle.optimizer.lr.LRScheduler):
            self.lr.step()

    def _phase_done(self, name):
        if self.on_phase is not None:
            self.on_phase(name)


class ModelStep(TrainStep):
    """The model trained as it is, in this process."""

    def step(self, batch):
        loss, preds = self._forward_backward(self.net, batch)
        self._phase_done("backward")
        self._update()
        self._next_step()
        self._phase_done("optimizer")
        return loss, preds


class DataParallelStep(ModelStep):
    """The model in ``paddle.DataParallel`` (the parallel environment already initialised): each
    process's backward all-reduces the gradients, so every process takes the same update."""

    def __init__(self, model, optimizer, lr, loss_fn, amp=None, find_unused_parameters=False):
        super().__init__(paddle.DataParallel(model, find_unused_parameters=find_unused_parameters), optimizer, lr,
                         loss_fn, amp)


class ReplicaStep(TrainStep):
    """``count`` model replicas on their own threads, each on its slice of the batch; the step is
    the whole batch's (replicas.py). ``on_phase``: ``forward`` ends with the first replica's,
    ``backward`` when every replica's has."""

    def __init__(self, model, count, optimizer, lr, loss_fn, amp=None, threads_after=None):
        super().__init__(CpuReplicas(model, count, threads_after=threads_after), optimizer, lr, loss_fn, amp)

    def step(self, batch):
        first = self.net.model
        results = self.net.run(lambda model, part: self._forward_backward(model, part, timed=model is first), batch)
        self._phase_done("backward")
        samples = slice_sizes(len(batch["image"]), self.net.count)
        self.net.reduce_gradients(samples)
        self._update()  # from the averaged gradients, as one model's would be
        self.net.sync()
        loss = sum(r[0].detach() * (n / sum(samples)) for r, n in zip(results, samples))
        preds = concat_outputs([r[1] for r in results])
        self._next_step()
        self._phase_done("optimizer")
        return loss, preds


def build_train_step(model, optimizer, lr, loss_fn, world=1, replicas=1, amp=None, threads_after=None,
                     find_unused_parameters=False):
    """The step for ``world`` processes and ``replicas`` model replicas in this one (more than one
    of each is refused: replicas are for one process on the CPU); ``amp``: the run's
    ``MixedPrecision`` (amp.py) or None; ``find_unused_parameters``: DataParallel's."""
    if world > 1 and replicas > 1:
        raise ValueError(f"CPU model replicas ({replicas}) are for one process, not one of {world}: "
                         "set Global.cpu_replicas=1 under paddle.distributed.launch")
    if replicas > 1:
        return ReplicaStep(model, replicas, optimizer, lr, loss_fn, amp, threads_after)
    if world > 1:
        return DataParallelStep(model, optimizer, lr, loss_fn, amp, find_unused_parameters)
    return ModelStep(model, optimizer, lr, loss_fn, amp)
