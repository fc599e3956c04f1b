"""Checkpoint files (ppocr/trained_model/checkpoint.py): a crash at any point of a write leaves either the
old checkpoint or, once recovered, the new one, never a mix; damaged or ill-fitting files are
one-line errors; the test-side fault plan (tests/helpers/fault.py) parses strictly."""
import json
import os
from pathlib import Path

import paddle
import pytest

from ppocr.errors import UserError
from ppocr.trained_model import checkpoint
from ppocr.trained_model.checkpoint import load_checkpoint, load_weights, read_states, save_checkpoint
from tests.helpers.fault import FaultPlan


class Crash(Exception):
    pass


def _model(out=3):
    paddle.seed(0)
    return paddle.nn.Linear(4, out)


def _crash_at(monkeypatch, seam, n):
    """Raise Crash after the n-th call of ``checkpoint.<seam>`` that did its work."""
    original, calls = getattr(checkpoint, seam), []

    def seam_then_crash(*args):
        done = original(*args)
        if done:
            calls.append(args)
            if len(calls) == n:
                raise Crash(f"{seam}:{n}")
        return done

    monkeypatch.setattr(checkpoint, seam, seam_then_crash)


def _files(prefix):
    return {s: open(prefix + s, "rb").read() for s in (".pdparams", ".pdopt", ".states")}


@pytest.fixture
def old_and_new(tmp_path):
    """A checkpoint at step 1 on disk, and a model and optimizer whose state is step 2."""
    prefix = str(tmp_path / "latest")
    model = _model()
    optimizer = paddle.optimizer.Adam(parameters=model.parameters())
    _step(model, optimizer)
    save_checkpoint(prefix, model, optimizer, {"global_step": 1})
    old = _files(prefix)
    _step(model, optimizer)
    return prefix, model, optimizer, old


def _step(model, optimizer):
    model(paddle.ones([1, 4])).sum().backward()
    optimizer.step()
    optimizer.clear_grad()


@pytest.mark.parametrize("n", [1, 2, 3])
def test_crash_while_staging_leaves_the_old_checkpoint(old_and_new, n, monkeypatch):
    prefix, model, optimizer, old = old_and_new
    _crash_at(monkeypatch, "_stage", n)
    with pytest.raises(Crash):
        save_checkpoint(prefix, model, optimizer, {"global_step": 2})
    monkeypatch.undo()
    load_checkpoint(prefix, _model(), None)
    assert _files(prefix) == old and read_states(prefix) == {"global_step": 1}
    save_checkpoint(prefix, model, optimizer, {"global_step": 2})  # the next save clears what the crash left
    assert sorted(os.listdir(os.path.dirname(prefix))) == ["latest.pdopt", "latest.pdparams", "latest.states"]


@pytest.mark.parametrize("n", [1, 2, 3])
def test_crash_while_renaming_is_completed_by_the_next_load(old_and_new, n, monkeypatch):
    prefix, model, optimizer, _ = old_and_new
    _crash_at(monkeypatch, "_commit", n)
    with pytest.raises(Crash):
        save_checkpoint(prefix, model, optimizer, {"global_step": 2})
    monkeypatch.undo()
    fresh = _model()
    assert load_checkpoint(prefix, fresh, None) == {"global_step": 2}
    assert all(paddle.equal_all(a, b) for a, b in zip(fresh.parameters(), model.parameters()))
    assert not os.path.exists(prefix + ".commit")


def test_files_are_readable_like_any_new_file(old_and_new):
    prefix = old_and_new[0]
    umask = os.umask(0o022)
    os.umask(umask)
    for suffix in (".pdparams", ".pdopt", ".states"):
        assert os.stat(prefix + suffix).st_mode & 0o777 == 0o666 & ~umask, suffix


@pytest.mark.parametrize("suffix, message", [
    (".pdparams", "cannot read weights file"),
    (".pdopt", "cannot read optimizer state"),
    (".states", "cannot read training states"),
])
def test_a_damaged_file_is_a_user_error_naming_it(old_and_new, suffix, message):
    prefix, model, optimizer, _ = old_and_new
    with open(prefix + suffix, "r+b") as f:
        size = f.seek(0, os.SEEK_END)
        f.truncate(size // 2)
    with pytest.raises(UserError, match=message) as e:
        load_checkpoint(prefix, model, optimizer)
    assert prefix + suffix in str(e.value)


def test_a_tensor_of_another_shape_names_it_and_both_shapes(old_and_new, caplog):
    prefix = old_and_new[0]
    with pytest.raises(UserError) as e:
        load_weights(_model(out=5), prefix)
    assert "'weight'" in str(e.value) and "[4, 3]" in str(e.value) and "[4, 5]" in str(e.value)
    assert "Global.skip_mismatched_tensors=True" in str(e.value)
    load_weights(_model(out=5), prefix, skip_mismatched=True)
    assert "skipped tensor 'weight'" in caplog.text


def test_the_moments_follow_the_parameters_into_a_model_built_later_in_the_process(old_and_new, caplog):
    prefix, model, optimizer, _ = old_and_new
    load_checkpoint(prefix, model, optimizer)  # back to step 1 under the names it was saved with
    _step(model, optimizer)
    expected = model.weight.numpy()
    other = _model()  # built later in this process: paddle names its parameters linear_<n+1>...
    assert [p.name for p in other.parameters()] != [p.name for p in model.parameters()]
    other_optimizer = paddle.optimizer.Adam(parameters=other.parameters())
    load_checkpoint(prefix, other, other_optimizer)
    _step(other, other_optimizer)
    assert (other.weight.numpy() == expected).all()  # Adam's moments were restored, not restarted
    assert "restart from zero" not in caplog.text


def test_optimizer_state_of_parameters_it_cannot_place_is_reported(old_and_new, caplog):
    prefix = old_and_new[0]
    states = json.loads(Path(prefix + ".states").read_text())
    del states[checkpoint.PARAMETER_NAMES]  # a checkpoint of another program: no names to map
    Path(prefix + ".states").write_text(json.dumps(states))
    other = _model()
    load_checkpoint(prefix, other, paddle.optimizer.Adam(parameters=other.parameters()))
    assert "optimizer tensors in" in caplog.text and "restart from zero" in caplog.text
    caplog.clear()
    load_checkpoint(prefix, old_and_new[1], old_and_new[2])
    assert "optimizer tensors in" not in caplog.text


@pytest.mark.parametrize("spec", ["train_step", "train_step:0", "nowhere:1", "eval_batch:2:SIGNOPE", "a:b:c:d"])
def test_fault_plan_rejects_malformed_specs(spec):
    with pytest.raises(ValueError, match="bad fault|unknown signal"):
        FaultPlan(spec)


def test_fault_plan_reads_several_points():
    plan = FaultPlan("checkpoint_write:3, eval_batch:1:SIGTERM")
    assert {k: (n, s.name) for k, (n, s) in plan.plan.items()} == {"checkpoint_write": (3, "SIGKILL"),
                                                                   "eval_batch": (1, "SIGTERM")}
    plan.hit("train_step")  # not planned: nothing happens
    assert json.dumps(plan.counts) == "{}"


def test_a_checkpoint_of_the_same_state_copies_the_files_instead_of_serialising(old_and_new, monkeypatch):
    prefix, model, optimizer, _ = old_and_new
    best = os.path.join(os.path.dirname(prefix), "best_accuracy")
    save_checkpoint(best, model, optimizer, {"global_step": 2, "name": "best"})
    monkeypatch.setattr(checkpoint.paddle, "save", lambda *a, **k: pytest.fail("serialised again"))
    save_checkpoint(prefix, model, optimizer, {"global_step": 2}, same_as=best)
    for suffix in (".pdparams", ".pdopt"):
        assert Path(prefix + suffix).read_bytes() == Path(best + suffix).read_bytes(), suffix
    assert read_states(prefix) == {"global_step": 2}
    fresh = _model()
    load_checkpoint(prefix, fresh, None)
    assert all(paddle.equal_all(a, b) for a, b in zip(fresh.parameters(), model.parameters()))


def test_a_linked_checkpoint_keeps_its_bytes_when_the_other_name_is_rewritten(old_and_new):
    """latest of best_accuracy's state shares its files; the next best_accuracy (another state)
    replaces the name, so latest still holds, and loads, the state it was written with."""
    prefix, model, optimizer, _ = old_and_new
    best = os.path.join(os.path.dirname(prefix), "best_accuracy")
    save_checkpoint(best, model, optimizer, {"global_step": 2})
    save_checkpoint(prefix, model, optimizer, {"global_step": 2}, same_as=best)
    assert all(os.path.samefile(prefix + s, best + s) for s in (".pdparams", ".pdopt"))
    written = _files(prefix)
    weights = [p.numpy().copy() for p in model.parameters()]
    _step(model, optimizer)
    save_checkpoint(best, model, optimizer, {"global_step": 3})
    assert _files(prefix) == written and _files(best)[".pdparams"] != written[".pdparams"]
    fresh = _model()
    load_checkpoint(prefix, fresh, None)
    assert all((p.numpy() == w).all() for p, w in zip(fresh.parameters(), weights))


def test_without_hard_links_the_files_are_copied(old_and_new, monkeypatch):
    prefix, model, optimizer, _ = old_and_new
    best = os.path.join(os.path.dirname(prefix), "best_accuracy")
    save_checkpoint(best, model, optimizer, {"global_step": 2})

    def no_links(*_):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(checkpoint.os, "link", no_links)
    save_checkpoint(prefix, model, optimizer, {"global_step": 2}, same_as=best)
    for suffix in (".pdparams", ".pdopt"):
        assert not os.path.samefile(prefix + suffix, best + suffix)
        assert Path(prefix + suffix).read_bytes() == Path(best + suffix).read_bytes()


def test_a_checkpoint_rewritten_at_the_same_step_leaves_no_staged_file(old_and_new):
    """The epoch's end writes latest again right after an evaluation wrote it (same_as itself)."""
    prefix, model, optimizer, _ = old_and_new
    save_checkpoint(prefix, model, optimizer, {"global_step": 2})
    written = _files(prefix)
    save_checkpoint(prefix, model, optimizer, {"global_step": 2, "epoch": 2}, same_as=prefix)
    assert sorted(os.listdir(os.path.dirname(prefix))) == ["latest" + s for s in (".pdopt", ".pdparams", ".states")]
    assert {s: b for s, b in _files(prefix).items() if s != ".states"} == {s: written[s] for s in (".pdparams", ".pdopt")}
    assert read_states(prefix) == {"global_step": 2, "epoch": 2}


@pytest.mark.parametrize("n", [1, 2])
def test_crash_while_copying_leaves_the_old_checkpoint(old_and_new, n, monkeypatch):
    prefix, model, optimizer, old = old_and_new
    best = os.path.join(os.path.dirname(prefix), "best_accuracy")
    save_checkpoint(best, model, optimizer, {"global_step": 2})
    _crash_at(monkeypatch, "_stage_copy", n)
    with pytest.raises(Crash):
        save_checkpoint(prefix, model, optimizer, {"global_step": 2}, same_as=best)
    monkeypatch.undo()
    load_checkpoint(prefix, _model(), None)
    assert _files(prefix) == old and read_states(prefix) == {"global_step": 1}


def test_training_serialises_a_state_once_however_many_checkpoints_name_it(tmp_path, monkeypatch):
    """An evaluation at the last step of an epoch writes best_accuracy and latest, then the epoch's
    end writes latest and iter_epoch_1: four checkpoints of one state, serialised once."""
    from ppocr.config import merge_config
    from ppocr.synth import generate
    from ppocr.training.trainer import Trainer
    from tests.helpers.e2e import REPO

    generate(8, seed=31, lmdb_dir=str(tmp_path / "train"))
    generate(4, seed=32, lmdb_dir=str(tmp_path / "val"))
    save_dir = tmp_path / "out"
    opts = {"Global.use_gpu": False, "Global.save_model_dir": save_dir, "Global.epoch_num": 1,
            "Global.eval_batch_step": "[0,2]", "Global.save_epoch_step": 1, "Global.pretrained_model": "",
            "Train.dataset.data_dir": tmp_path / "train", "Eval.dataset.data_dir": tmp_path / "val",
            "Train.loader.batch_size_per_card": 4, "Train.loader.num_workers": 0,
            "Eval.loader.batch_size_per_card": 4, "Eval.loader.num_workers": 0}
    config = merge_config(str(REPO / "configs" / "rec" / "demo_mv3_tps_bilstm_ctc.yml"),
                          [f"{k}={v}" for k, v in opts.items()])
    serialised, original = [], checkpoint.paddle.save
    monkeypatch.setattr(checkpoint.paddle, "save", lambda obj, path, *a, **k: serialised.append(path) or original(obj, path, *a, **k))
    Trainer(config).train()
    assert len(serialised) == 2, serialised  # .pdparams and .pdopt of best_accuracy
    for name in ("latest", "iter_epoch_1"):
        for suffix in (".pdparams", ".pdopt"):
            assert (save_dir / (name + suffix)).read_bytes() == (save_dir / ("best_accuracy" + suffix)).read_bytes()
    assert json.loads((save_dir / "latest.states").read_text())["epoch"] == 2  # the states are each checkpoint's own
    assert json.loads((save_dir / "best_accuracy.states").read_text())["epoch"] == 1
