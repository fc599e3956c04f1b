"""The training-step interface (ppocr/training/train_step.py): ``step(batch) -> (loss, preds)``,
the same update whichever of the three implementations runs it, chosen once."""
import threading

import numpy as np
import paddle
import pytest

from ppocr.training import train_step as ts
from ppocr.training.amp import MixedPrecision
from ppocr.training.replicas import THREAD_PREFIX, CpuReplicas
from tests.helpers.small_net import SmallNet


def _loss(preds, targets):
    return {"loss": ((preds - targets["target"]) ** 2).sum(axis=1).mean()}  # a per-sample mean


def _batch(n=6, seed=0):
    rng = np.random.default_rng(seed)
    return {"image": paddle.to_tensor(rng.standard_normal((n, 3, 8, 10)).astype("float32")),
            "target": paddle.to_tensor(rng.standard_normal((n, 5)).astype("float32")),
            "text": [f"w{i}" for i in range(n)], "valid": np.ones(n, bool), "skipped": {}}


def _parts():
    """A model, its Adam optimizer on a stepped schedule; the same numbers on every call."""
    paddle.seed(7)
    model = SmallNet()
    model.eval()  # batch norm on running statistics: one model and its replicas then take the same update
    lr = paddle.optimizer.lr.StepDecay(learning_rate=0.1, step_size=1, gamma=0.5)
    return model, paddle.optimizer.Adam(learning_rate=lr, parameters=model.parameters()), lr


def _replica_threads():
    return [t.name for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX)]


def test_targets_are_every_batch_key_but_the_images_texts_and_bookkeeping():
    assert sorted(ts.targets_of({**_batch(), "length": [1]})) == ["length", "target"]


@pytest.mark.parametrize("replicas", [1, 2, 3])
def test_every_step_takes_the_whole_batch_update(replicas):
    model, optimizer, lr = _parts()
    expected_model, expected_optimizer, expected_lr = _parts()
    batch = _batch()
    for _ in range(2):  # the second step reads Adam's moments and the stepped rate
        targets = {"target": batch["target"]}
        _loss(expected_model(batch["image"]), targets)["loss"].backward()
        expected_optimizer.step()
        expected_optimizer.clear_grad()
        expected_lr.step()

    train_step = ts.build_train_step(model, optimizer, lr, _loss, replicas=replicas)
    assert type(train_step) is (ts.ModelStep if replicas == 1 else ts.ReplicaStep)
    for _ in range(2):
        loss, preds = train_step.step(batch)
    assert preds.shape == [6, 5] and np.isfinite(float(loss))
    for (name, got), want in zip(model.state_dict().items(), expected_model.state_dict().values()):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-6, err_msg=name)
    assert [p.name for p in model.parameters() if p.grad is not None] == [], "gradients kept after the step"
    assert lr.last_epoch == 2 and optimizer.get_lr() == pytest.approx(0.025)


@pytest.mark.parametrize("replicas", [1, 2])
def test_the_loss_and_predictions_are_the_whole_batch(replicas):
    model, optimizer, lr = _parts()
    batch = _batch(5)
    with paddle.no_grad():
        preds = model(batch["image"])
        loss = _loss(preds, {"target": batch["target"]})["loss"]
    train_step = ts.build_train_step(model, optimizer, lr, _loss, replicas=replicas)
    got_loss, got_preds = train_step.step(batch)
    np.testing.assert_allclose(got_preds.numpy(), preds.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(float(got_loss), float(loss), rtol=1e-5)


@pytest.mark.parametrize("replicas", [1, 2])
def test_phases_are_reported_in_order_once_a_step(replicas):
    model, optimizer, lr = _parts()
    train_step = ts.build_train_step(model, optimizer, lr, _loss, replicas=replicas)
    phases = []
    train_step.on_phase = phases.append
    train_step.step(_batch())
    train_step.step(_batch(seed=1))
    assert phases == ["forward", "backward", "optimizer"] * 2


def test_the_replica_threads_live_for_the_process_and_serve_every_step():
    """No thread ends during a run (replicas.py says why): every step of every replica step runs its
    slices on the caller and the same daemon workers."""
    callers = []

    def loss_fn(preds, targets):
        callers.append(threading.current_thread())
        return _loss(preds, targets)

    for _ in range(2):
        model, optimizer, lr = _parts()
        train_step = ts.build_train_step(model, optimizer, lr, loss_fn, replicas=3)
        train_step.step(_batch())
        train_step.step(_batch(seed=1))
    assert len(callers) == 12
    workers = set(callers) - {threading.current_thread()}
    assert len(workers) == 2, "three replicas: the caller and two workers, the same two for every step"
    assert all(t.name.startswith(THREAD_PREFIX) and t.daemon and t.is_alive() for t in workers)
    assert set(_replica_threads()) >= {t.name for t in workers}


def test_a_failing_slice_raises_and_the_workers_serve_the_next_step():
    model, optimizer, lr = _parts()
    calls = []

    def loss_fn(preds, targets):
        calls.append(threading.current_thread().name)
        if calls[-1].startswith(THREAD_PREFIX) and len(calls) <= 2:
            raise FloatingPointError("bad slice")
        return _loss(preds, targets)

    train_step = ts.build_train_step(model, optimizer, lr, loss_fn, replicas=2)
    with pytest.raises(FloatingPointError, match="bad slice"):
        train_step.step(_batch())
    loss, _ = train_step.step(_batch())
    assert len(calls) == 4 and np.isfinite(float(loss))


def test_evaluation_calls_the_net_on_images_alone():
    model, optimizer, lr = _parts()
    images = _batch(7)["image"]
    with paddle.no_grad():
        expected = model(images).numpy()
    for replicas in (1, 2):
        train_step = ts.build_train_step(model, optimizer, lr, _loss, replicas=replicas)
        with paddle.no_grad():
            np.testing.assert_allclose(train_step.net(images).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_one_implementation_is_chosen_for_the_processes_and_replicas(monkeypatch):
    model, optimizer, lr = _parts()
    wrapped = []

    class FakeDataParallel:  # paddle.DataParallel needs the launcher's environment
        def __init__(self, layer, find_unused_parameters=False):
            wrapped.append((layer, find_unused_parameters))

    monkeypatch.setattr(paddle, "DataParallel", FakeDataParallel)
    train_step = ts.build_train_step(model, optimizer, lr, _loss, world=2)
    assert type(train_step) is ts.DataParallelStep and isinstance(train_step.net, FakeDataParallel)
    ts.build_train_step(model, optimizer, lr, _loss, world=2, find_unused_parameters=True)  # Global's, as given
    assert wrapped == [(model, False), (model, True)]
    assert type(ts.build_train_step(model, optimizer, lr, _loss)) is ts.ModelStep
    replicas = ts.build_train_step(model, optimizer, lr, _loss, replicas=2)
    assert type(replicas) is ts.ReplicaStep and isinstance(replicas.net, CpuReplicas)
    assert replicas.net.model is model
    with pytest.raises(ValueError, match="for one process, not one of 2.*cpu_replicas=1"):
        ts.build_train_step(model, optimizer, lr, _loss, world=2, replicas=2)


@pytest.mark.parametrize("replicas", [1, 2])
def test_the_amp_path_steps_like_float32_where_paddle_has_no_amp(replicas):
    """No GPU here: Paddle turns autocast and the gradient scaler off on the CPU, so the AMP path's
    calls (autocast, scale, step and update) must give the float32 update."""
    model, optimizer, lr = _parts()
    amp_model, amp_optimizer, amp_lr = _parts()
    mixed = MixedPrecision("O1", "bfloat16", scale_loss=2.0**15, dynamic=True)
    plain = ts.build_train_step(model, optimizer, lr, _loss, replicas=replicas)
    amp = ts.build_train_step(amp_model, amp_optimizer, amp_lr, _loss, replicas=replicas, amp=mixed)
    for seed in range(2):
        plain.step(_batch(seed=seed))
        amp.step(_batch(seed=seed))
    for (name, got), want in zip(amp_model.state_dict().items(), model.state_dict().values()):
        np.testing.assert_array_equal(got.numpy(), want.numpy(), err_msg=name)
