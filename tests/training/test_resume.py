"""Resume bookkeeping (ppocr/training/resume.py): the learning-rate schedule comes back exactly, or,
when the config's schedule was edited since the checkpoint, is recomputed from the config at the
restored step; the states and the best metric come back, a better best on disk wins."""
import json

import paddle
import pytest

from ppocr.optimizer import build_optimizer
from ppocr.training.resume import apply_schedule, best_so_far, restore_states, schedule_changed, schedule_of

EPOCHS, STEPS_PER_EPOCH, DONE = 4, 5, 7
SCHEDULES = {
    "Const": ({"name": "Const", "learning_rate": 0.1}, {"learning_rate": 0.05}),
    "Cosine": ({"name": "Cosine", "learning_rate": 0.1}, {"learning_rate": 0.05}),
    "Piecewise": ({"name": "Piecewise", "values": [0.1, 0.01], "decay_epochs": [1]}, {"values": [0.2, 0.02]}),
    "Cosine+warmup": ({"name": "Cosine", "learning_rate": 0.1, "warmup_epoch": 2}, {"learning_rate": 0.05}),
    "Const+warmup": ({"name": "Const", "learning_rate": 0.1, "warmup_epoch": 2}, {"learning_rate": 0.05}),
    "Piecewise+warmup": ({"name": "Piecewise", "values": [0.1, 0.01], "decay_epochs": [1], "warmup_epoch": 1},
                         {"values": [0.2, 0.02]}),
    "Linear": ({"name": "Linear", "learning_rate": 0.1, "end_lr": 0.01}, {"learning_rate": 0.05}),
    "Step+warmup": ({"name": "Step", "learning_rate": 0.1, "step_size": 0.5, "gamma": 0.5, "warmup_epoch": 0.4},
                    {"learning_rate": 0.05}),
    "MultiStepDecay": ({"name": "MultiStepDecay", "learning_rate": 0.1, "milestones": [1, 3], "gamma": 0.5},
                       {"learning_rate": 0.05}),
    "OneCycle": ({"name": "OneCycle", "max_lr": 0.1}, {"max_lr": 0.05}),
    "OneCycle+warmup": ({"name": "OneCycle", "max_lr": 0.1, "three_phase": True, "warmup_epoch": 1}, {"max_lr": 0.05}),
    "CyclicalCosine": ({"name": "CyclicalCosine", "learning_rate": 0.1, "cycle": 1}, {"learning_rate": 0.05}),
    "LinearWarmupCosine": ({"name": "LinearWarmupCosine", "learning_rate": 0.1, "warmup_steps": 3},
                           {"learning_rate": 0.05}),
    "TwoStepCosine+warmup": ({"name": "TwoStepCosine", "learning_rate": 0.1, "warmup_epoch": 1}, {"learning_rate": 0.05}),
}


def _optimizer(lr_cfg, steps=0):
    paddle.seed(0)
    model = paddle.nn.Linear(2, 2)
    optimizer, lr = build_optimizer({"name": "Adam", "lr": dict(lr_cfg)}, EPOCHS, STEPS_PER_EPOCH, model)
    for _ in range(steps):  # one optimizer step and one schedule step per training step, as the trainer does
        model(paddle.ones([1, 2])).sum().backward()
        optimizer.step()
        optimizer.clear_grad()
        if isinstance(lr, paddle.optimizer.lr.LRScheduler):
            lr.step()
    return optimizer, lr


def _config(lr_cfg):
    return {"Global": {"epoch_num": EPOCHS}, "Optimizer": {"name": "Adam", "lr": lr_cfg}}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_unchanged_schedule_resumes_bit_for_bit(name):
    lr_cfg, _ = SCHEDULES[name]
    before, _ = _optimizer(lr_cfg, DONE)
    saved = {"lr_schedule": schedule_of(_config(lr_cfg), STEPS_PER_EPOCH, EPOCHS)}
    resumed, lr = _optimizer(lr_cfg)
    resumed.set_state_dict(before.state_dict())
    changed = schedule_changed(saved, schedule_of(_config(lr_cfg), STEPS_PER_EPOCH, EPOCHS))
    apply_schedule(lr, DONE, changed)
    assert not changed and resumed.get_lr() == before.get_lr()


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_rate_edited_in_the_config_applies_at_the_restored_step(name):
    lr_cfg, edit = SCHEDULES[name]
    before, _ = _optimizer(lr_cfg, DONE)
    saved = {"lr_schedule": schedule_of(_config(lr_cfg), STEPS_PER_EPOCH, EPOCHS)}
    new_cfg = {**lr_cfg, **edit}
    resumed, lr = _optimizer(new_cfg)
    resumed.set_state_dict(before.state_dict())
    changed = schedule_changed(saved, schedule_of(_config(new_cfg), STEPS_PER_EPOCH, EPOCHS))
    apply_schedule(lr, DONE, changed)
    fresh, _ = _optimizer(new_cfg, DONE)  # what a run with the new rate from the start would use now
    assert changed
    assert resumed.get_lr() == pytest.approx(fresh.get_lr(), rel=1e-12)
    assert resumed.get_lr() != pytest.approx(before.get_lr(), rel=1e-6)


def test_a_changed_epoch_count_reshapes_the_cosine_from_the_restored_step():
    lr_cfg = {"name": "Cosine", "learning_rate": 0.1}
    before, _ = _optimizer(lr_cfg, DONE)
    saved = {"lr_schedule": schedule_of(_config(lr_cfg), STEPS_PER_EPOCH, EPOCHS)}
    longer = schedule_of(_config(lr_cfg), STEPS_PER_EPOCH, 2 * EPOCHS)
    assert schedule_changed(saved, longer)


def test_checkpoints_that_saved_only_the_rate_are_compared_on_it():
    current = schedule_of(_config({"name": "Cosine", "learning_rate": 0.1}), STEPS_PER_EPOCH, EPOCHS)
    assert not schedule_changed({"config_lr": 0.1}, current)
    assert schedule_changed({"config_lr": 0.2}, current)
    assert not schedule_changed({}, current)  # a reference checkpoint: nothing to compare with


def test_schedule_position_is_set_when_the_optimizer_file_had_none():
    _, lr = _optimizer({"name": "Cosine", "learning_rate": 0.1})
    apply_schedule(lr, DONE, changed=False)
    assert lr.last_epoch == DONE


def test_states_are_restored_and_reference_states_resume_at_the_next_epoch():
    fresh = {"epoch": 1, "step_in_epoch": 0, "global_step": 0, "best_model_dict": {}, "skipped": {}}
    saved = {"epoch": 2, "step_in_epoch": 3, "global_step": 9, "best_model_dict": {"acc": 0.5},
             "skipped": {"empty label": 2}, "unrelated": 1}
    assert restore_states(saved, fresh) == {k: v for k, v in saved.items() if k != "unrelated"}
    reference = {"epoch": 5, "global_step": 500, "best_model_dict": {"acc": 0.7}}
    restored = restore_states(reference, fresh)
    assert (restored["epoch"], restored["step_in_epoch"], restored["global_step"]) == (6, 0, 500)


def test_a_better_best_on_disk_wins_over_the_restored_one(tmp_path):
    (tmp_path / "best_accuracy.states").write_text(json.dumps({"best_model_dict": {"acc": 0.6, "global_step": 8}}))
    assert best_so_far({"acc": 0.5, "global_step": 4}, str(tmp_path), "acc")["global_step"] == 8
    assert best_so_far({"acc": 0.7, "global_step": 12}, str(tmp_path), "acc")["global_step"] == 12
    assert best_so_far({}, str(tmp_path), "acc")["global_step"] == 8
    assert best_so_far({"acc": 0.1}, str(tmp_path / "none"), "acc") == {"acc": 0.1}
