"""One training step, whatever runs it: ``step(batch) -> (loss, preds)`` and ``close()``.

``build_train_step`` chooses one of three implementations, once, when the trainer is built:

- ``ModelStep``: the model itself, in this process;
- ``DataParallelStep``: the model in ``paddle.DataParallel``, one process per device under
  ``paddle.distributed.launch`` (its backward all-reduces the gradients);
- ``ReplicaStep``: one process on the CPU with a model replica per core (replicas.py).

A step is forward (model and loss, under AMP's autocast if on), backward, the optimizer's
update (through the AMP gradient scaler if there is one), the gradients freed and the
learning-rate schedule advanced. ``net`` is what evaluation calls on images (the model, or the
replicas that split the images between them); ``close()`` ends any threads the step started.

Example::

    from ppocr.training.train_step import build_train_step
    train_step = build_train_step(model, optimizer, lr, loss_fn)
    try:
        for batch in loader:
            loss, preds = train_step.step(batch)
    finally:
        train_step.close()
"""
import paddle

from ppocr.training.replicas import CpuReplicas, concat_outputs, slice_sizes

NOT_TARGETS = ("image", "text", "valid", "skipped")  # batch keys the model and the loss are not given


def targets_of(batch):
    """What the model (in training) and the loss take besides the images: label ids, lengths..."""
    return {key: value for key, value in batch.items() if key not in NOT_TARGETS}


class TrainStep:
    """The shared part of the three steps. ``on_phase``: None, or a function called with
    ``"forward"``, ``"backward"`` and ``"optimizer"`` as each phase of a step ends (how
    benchmark/train_speed.py splits the step's time)."""

    def __init__(self, net, optimizer, lr, loss_fn, use_amp=False, scaler=None):
        self.net, self.optimizer, self.lr, self.loss_fn = net, optimizer, lr, loss_fn
        self.use_amp, self.scaler = use_amp, scaler
        self.on_phase = None

    def step(self, batch):
        """Train on ``batch``; returns its loss and the model's predictions."""
        raise NotImplementedError

    def close(self):
        """Release what the step holds besides the model (nothing here)."""

    def _forward_backward(self, net, batch, timed=True):
        """Loss and predictions of ``batch``, gradients accumulated; also the loss backward ran from."""
        targets = targets_of(batch)
        with paddle.amp.auto_cast(enable=self.use_amp):
            preds = net(batch["image"], targets)
            loss = self.loss_fn(preds, targets)["loss"]
        if timed:
            self._phase_done("forward")
        scaled = loss if self.scaler is None else self.scaler.scale(loss)
        scaled.backward()
        return loss, preds, scaled

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
        loss, preds, scaled = self._forward_backward(self.net, batch)
        self._phase_done("backward")
        if self.scaler is not None:
            self.scaler.minimize(self.optimizer, scaled)
        else:
            self.optimizer.step()
        self._next_step()
        self._phase_done("optimizer")
        return loss, preds


class DataParallelStep(ModelStep):
    """The model in ``paddle.DataParallel`` (the parallel environment already initialised): each
    process's backward all-reduces the gradients, so every process takes the same update."""

    def __init__(self, model, optimizer, lr, loss_fn, use_amp=False, scaler=None):
        super().__init__(paddle.DataParallel(model), optimizer, lr, loss_fn, use_amp, scaler)


class ReplicaStep(TrainStep):
    """``count`` model replicas on their own threads, each on its slice of the batch; the step is
    the whole batch's (replicas.py). ``on_phase``: ``forward`` ends with the first replica's,
    ``backward`` when every replica's has."""

    def __init__(self, model, count, optimizer, lr, loss_fn, use_amp=False, scaler=None, threads_after=None):
        super().__init__(CpuReplicas(model, count, threads_after=threads_after), optimizer, lr, loss_fn,
                         use_amp, scaler)

    def step(self, batch):
        first = self.net.model
        results = self.net.run(lambda model, part: self._forward_backward(model, part, timed=model is first), batch)
        self._phase_done("backward")
        samples = slice_sizes(len(batch["image"]), self.net.count)
        self.net.reduce_gradients(samples)
        if self.scaler is not None:  # the averaged gradients unscaled, as one model's would be
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            self.optimizer.step()
        self.net.sync()
        loss = sum(r[0].detach() * (n / sum(samples)) for r, n in zip(results, samples))
        preds = concat_outputs([r[1] for r in results])
        self._next_step()
        self._phase_done("optimizer")
        return loss, preds

    def close(self):
        self.net.close()


def build_train_step(model, optimizer, lr, loss_fn, world=1, replicas=1, use_amp=False, scaler=None,
                     threads_after=None):
    """The step for ``world`` processes and ``replicas`` model replicas in this one (more than one
    of each is refused: replicas are for one process on the CPU)."""
    if world > 1 and replicas > 1:
        raise ValueError(f"CPU model replicas ({replicas}) are for one process, not one of {world}: "
                         "set Global.cpu_replicas=1 under paddle.distributed.launch")
    if replicas > 1:
        return ReplicaStep(model, replicas, optimizer, lr, loss_fn, use_amp, scaler, threads_after)
    if world > 1:
        return DataParallelStep(model, optimizer, lr, loss_fn, use_amp, scaler)
    return ModelStep(model, optimizer, lr, loss_fn, use_amp, scaler)
