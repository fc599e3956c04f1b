"""In-process data parallelism on the CPU (ppocr/training/replicas.py): the replicas' step is the
whole batch's step (the same gradients, batch norm statistics averaged), every replica holds the
updated weights afterwards, and evaluation through the replicas reads what the model reads."""
import numpy as np
import paddle
import pytest

from ppocr.training.replicas import CpuReplicas, concat_outputs, slice_sizes, split_batch
from tests.helpers.tiny import CONFIG, make_data, tiny_opts
from tests.helpers.small_net import SmallNet


def _loss(model, part):
    out = model(part["image"])
    loss = ((out - part["target"]) ** 2).sum(axis=1).mean()  # a per-sample mean, as the recognisers' losses
    loss.backward()
    return loss


def _batch(n, seed=0):
    rng = np.random.default_rng(seed)
    return {"image": paddle.to_tensor(rng.standard_normal((n, 3, 8, 10)).astype("float32")),
            "target": paddle.to_tensor(rng.standard_normal((n, 5)).astype("float32")),
            "text": [f"w{i}" for i in range(n)]}


@pytest.fixture
def net():
    paddle.seed(3)
    return SmallNet()


def test_split_batch_cuts_every_per_sample_value_and_never_leaves_a_slice_empty():
    batch = {**_batch(5), "valid": np.ones(5, bool), "skipped": {"unreadable": 1}}
    parts = split_batch(batch, 2)
    assert [len(p["image"]) for p in parts] == slice_sizes(5, 2) == [2, 3]  # np.linspace rounds 2.5 to even
    assert [p["text"] for p in parts] == [["w0", "w1"], ["w2", "w3", "w4"]]
    assert [len(p["valid"]) for p in parts] == [2, 3] and parts[1]["skipped"] == {"unreadable": 1}
    assert slice_sizes(1, 4) == [1] and len(split_batch(_batch(1), 4)) == 1


@pytest.mark.parametrize("n", [6, 5])
def test_reduced_gradients_are_the_whole_batch_gradients(net, n):
    batch = _batch(n)
    net.eval()  # batch norm on running statistics: the slices' gradients then add up to the batch's exactly
    _loss(net, batch)
    expected = {p.name: p.grad.numpy().copy() for p in net.parameters() if p.grad is not None}
    assert len(expected) >= 4
    net.clear_gradients(set_to_zero=False)

    replicas = CpuReplicas(net, 2)
    replicas.eval()
    replicas.run(_loss, batch)
    replicas.reduce_gradients(slice_sizes(n, 2))
    assert {p.name for p in net.parameters() if p.grad is not None} == set(expected)
    for p in net.parameters():
        if p.grad is not None:
            np.testing.assert_allclose(p.grad.numpy(), expected[p.name], rtol=1e-5, atol=1e-6, err_msg=p.name)
    assert all(p.grad is None for p in replicas.replicas[1].parameters()), "the replica kept its gradients"


def test_batch_norm_statistics_are_averaged_and_every_replica_ends_equal(net):
    replicas = CpuReplicas(net, 2)
    replicas.train()
    batch = _batch(8)
    replicas.run(_loss, batch)
    means = [m.bn._mean.numpy().copy() for m in replicas.replicas]
    assert not np.allclose(means[0], means[1]), "the slices should move the running means differently"
    replicas.reduce_gradients([4, 4])
    np.testing.assert_allclose(net.bn._mean.numpy(), (means[0] + means[1]) / 2, rtol=1e-6)

    optimizer = paddle.optimizer.SGD(learning_rate=0.1, parameters=net.parameters())
    before = net.fc.weight.numpy().copy()
    optimizer.step()
    replicas.sync()
    assert not np.array_equal(before, net.fc.weight.numpy())
    for other in replicas.replicas[1:]:
        for (name, a), b in zip(net.state_dict().items(), other.state_dict().values()):
            np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
        trained = [(a, b) for a, b in zip(net.parameters(), other.parameters()) if not a.stop_gradient]
        assert len(trained) == 6 and all(a.data_ptr() == b.data_ptr() for a, b in trained), \
            "the replicas should share the weights' storage, not hold copies"
        assert net.bn._mean.data_ptr() != other.bn._mean.data_ptr()


def test_weights_loaded_into_the_model_reach_every_replica(net):
    replicas = CpuReplicas(net, 3)
    new = np.full(net.fc.weight.shape, 0.25, dtype="float32")
    net.fc.weight.set_value(new)  # what loading a checkpoint does
    replicas.sync()
    for other in replicas.replicas[1:]:
        np.testing.assert_array_equal(other.fc.weight.numpy(), new)


def test_calling_the_replicas_reads_what_the_model_reads(net):
    replicas = CpuReplicas(net, 2)
    replicas.eval()
    images = _batch(7)["image"]
    with paddle.no_grad():
        expected = net(images).numpy()
    np.testing.assert_allclose(replicas(images).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert not replicas.training


def test_concat_outputs_joins_nested_outputs():
    a, b = paddle.ones([2, 3]), paddle.zeros([1, 3])
    out = concat_outputs([{"x": a, "y": (a, a)}, {"x": b, "y": (b, b)}])
    assert out["x"].shape == [3, 3] and [t.shape for t in out["y"]] == [[3, 3], [3, 3]]


def test_a_failing_slice_raises_after_every_thread_has_finished(net):
    replicas = CpuReplicas(net, 2)
    finished = []

    def step(model, part):
        if model is not net:
            raise ValueError("bad slice")
        finished.append(_loss(model, part))

    with pytest.raises(ValueError, match="bad slice"):
        replicas.run(step, _batch(4))
    assert len(finished) == 1


def test_the_trainer_uses_one_replica_per_core_on_the_cpu_and_steps_like_one_model(tmp_path, repo_root, monkeypatch):
    from ppocr.cli.startup import setup
    from ppocr.training.trainer import Trainer

    make_data(tmp_path / "data", train=8, val=4)
    opts = tiny_opts(tmp_path / "data", str(tmp_path / "out"), Global__cpu_replicas=2)
    config, _, _ = setup(["-c", str(repo_root / CONFIG), "-o", *opts], "replicas")
    trainer = Trainer(config)
    replicas = trainer.train_step.net
    assert isinstance(replicas, CpuReplicas) and replicas.count == 2
    replicas.train()
    batch = next(iter(trainer.train_loader))
    before = trainer.model.head.fc.weight.numpy().copy()
    for _ in range(2):  # the warm-up's first rate is 0
        loss, preds = trainer.train_step.step(batch)
    assert np.isfinite(float(loss)) and preds.shape[0] == len(batch["text"])
    assert not np.array_equal(before, trainer.model.head.fc.weight.numpy())
    for replica in replicas.replicas:
        assert [p.name for p in replica.parameters() if p.grad is not None] == []
    other = replicas.replicas[1].state_dict()
    for name, value in trainer.model.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), other[name].numpy(), err_msg=name)

    from ppocr.utils.cpu import available_cores

    monkeypatch.setenv("OMP_NUM_THREADS", "64")  # auto: one replica per thread given, never more than the cores
    assert trainer._replica_count("auto") == available_cores()
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert trainer._replica_count("auto") == 1
    single = tiny_opts(tmp_path / "data", str(tmp_path / "out"), Global__cpu_replicas=1)
    config, _, _ = setup(["-c", str(repo_root / CONFIG), "-o", *single], "replicas")
    assert not isinstance(Trainer(config).train_step.net, CpuReplicas)
