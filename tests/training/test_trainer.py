"""The trainer in-process (ppocr/training/trainer.py): its step is chosen once from the config, and
its CPU replicas run on the process's worker threads, which no run ends or adds to however it ends
(done, failed, stopped by a signal): the next run takes the same ones."""
import json
import signal
import threading

import pytest

from ppocr.errors import Interrupted
from ppocr.training import train_step as ts
from ppocr.training.replicas import THREAD_PREFIX
from tests.helpers.tiny import CONFIG, make_data, tiny_opts


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_data(tmp_path_factory.mktemp("trainer") / "data", train=8, val=4)


@pytest.fixture
def build(data, tmp_path, repo_root):
    """``build(**opts)``: a Trainer of one epoch of 2 steps, evaluated after the second, with ``opts``."""
    from ppocr.cli.startup import setup
    from ppocr.training.trainer import Trainer

    def make(**extra):
        opts = tiny_opts(data, str(tmp_path / "out"), Global__epoch_num=1, Global__eval_batch_step="[0,2]", **extra)
        config, _, _ = setup(["-c", str(repo_root / CONFIG), "-o", *opts], "trainer")
        return Trainer(config)

    return make


def _watch(trainer, seen, on_step=None):
    """Record the replica threads alive after each step (and run ``on_step(step number)``)."""
    step = trainer.train_step.step

    def watched(batch):
        out = step(batch)
        seen.append(len(_daemon_workers()))
        if on_step is not None:
            on_step(len(seen))
        return out

    trainer.train_step.step = watched


def test_the_step_is_chosen_once_from_the_config(build):
    single = build(Global__cpu_replicas=1)
    assert type(single.train_step) is ts.ModelStep and single.train_step.net is single.model
    replicas = build(Global__cpu_replicas=2)
    assert type(replicas.train_step) is ts.ReplicaStep and replicas.train_step.net.count == 2
    assert replicas.train_step.net.model is replicas.model, "the optimizer and checkpoints must see the first replica"
    assert replicas.train_step.optimizer is replicas.optimizer and replicas.train_step.lr is replicas.lr


def _daemon_workers():
    workers = [t for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX)]
    assert all(t.daemon for t in workers), "a replica worker would keep the process from exiting"
    return sorted(t.name for t in workers)


def _trains_on_the_same_workers(build, workers):
    trainer = build()
    seen = []
    _watch(trainer, seen)
    assert trainer.train()["global_step"] == 2
    assert seen == [len(workers)] * 2 and _daemon_workers() == workers


def test_training_runs_the_replicas_on_the_process_workers(build, tmp_path):
    trainer = build()
    seen = []
    _watch(trainer, seen)
    states = trainer.train()
    workers = _daemon_workers()
    assert len(workers) >= 1 and seen == [len(workers)] * 2, "the replicas' threads never ran"
    assert states["global_step"] == 2 and states["best_model_dict"]["samples"] == 4
    records = [json.loads(line) for line in (tmp_path / "out" / "train_log.jsonl").read_text().splitlines()]
    assert [r["global_step"] for r in records if r["kind"] == "train"] == [1, 2]
    assert (tmp_path / "out" / "latest.pdparams").is_file()
    _trains_on_the_same_workers(build, workers)


def test_a_failing_step_leaves_the_workers_to_the_next_run(build):
    trainer = build()
    loss_fn = trainer.train_step.loss_fn
    calls = []

    def failing(preds, targets):
        calls.append(1)
        if len(calls) > 2:  # the second step's first slice
            raise FloatingPointError("loss diverged")
        return loss_fn(preds, targets)

    trainer.train_step.loss_fn = failing
    with pytest.raises(FloatingPointError, match="loss diverged"):
        trainer.train()
    assert len(calls) >= 3
    _trains_on_the_same_workers(build, _daemon_workers())


def test_a_stop_signal_saves_latest_and_leaves_the_workers_to_the_next_run(build, tmp_path):
    trainer = build()
    seen = []
    _watch(trainer, seen, on_step=lambda n: signal.raise_signal(signal.SIGTERM) if n == 1 else None)
    with pytest.raises(Interrupted, match="received SIGTERM: saved .*global step 1"):
        trainer.train()
    assert seen == [seen[0]] and seen[0] >= 1
    assert json.loads((tmp_path / "out" / "latest.states").read_text())["global_step"] == 1
    _trains_on_the_same_workers(build, _daemon_workers())


@pytest.mark.training_e2e
def test_eval_batch_epoch_and_calc_epoch_interval_as_the_reference(data, tmp_path, repo_root):
    """Evaluation every ``eval_batch_epoch`` epochs' steps from the start (over eval_batch_step);
    the training batches' accuracy only in the epochs divisible by ``calc_epoch_interval``."""
    from ppocr.cli.startup import setup
    from ppocr.training.trainer import Trainer

    opts = tiny_opts(data, str(tmp_path / "out"), Global__epoch_num=3, Global__eval_batch_step="[0,100]",
                     Global__eval_batch_epoch=2, Global__calc_epoch_interval=2, Global__cpu_replicas=1)
    Trainer(setup(["-c", str(repo_root / CONFIG), "-o", *opts], "trainer")[0]).train()
    records = [json.loads(line) for line in (tmp_path / "out" / "train_log.jsonl").read_text().splitlines()]
    assert [r["global_step"] for r in records if r["kind"] == "eval"] == [4]  # 2 steps an epoch: after epoch 2
    assert [(r["epoch"], "acc" in r) for r in records if r["kind"] == "train"] == [
        (1, False), (1, False), (2, True), (2, True), (3, False), (3, False)]
