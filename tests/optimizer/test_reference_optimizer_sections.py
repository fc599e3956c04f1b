"""Every Optimizer section of the reference's recognition configs (its 84 configs/rec files, copied
as data into tests/fixtures/reference_optimizer_sections.yml) builds here, optimizer and schedule:
the options its optimizers swallow are accepted with one notice each, ``last_epoch`` starts the
schedule where Paddle's scheduler would, and a typo is still refused."""
import logging
import math

import paddle
import pytest
import yaml

from ppocr.config import merge_config
from ppocr.config_check import check_config
from ppocr.errors import UserError
from ppocr.optimizer import build_optimizer
from ppocr.training.resume import apply_schedule

FIXTURE = "tests/fixtures/reference_optimizer_sections.yml"


@pytest.fixture(scope="module")
def sections(repo_root):
    return yaml.safe_load((repo_root / FIXTURE).read_text(encoding="utf-8"))["optimizer_sections"]


def _loaded(tmp_path, section):
    """``section`` as the tools read it: a config file loaded and its values checked."""
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump({"Optimizer": section}), encoding="utf-8")
    return check_config(merge_config(str(path), []))["Optimizer"]


def test_every_optimizer_section_of_the_reference_builds(sections, caplog, tmp_path):
    assert len(sections) == 84
    model = paddle.nn.Linear(4, 3)
    with caplog.at_level(logging.INFO, logger="ppocr"):
        for name, section in sections.items():
            section = _loaded(tmp_path, section)
            optimizer, lr = build_optimizer(section, epochs=10, step_each_epoch=50, model=model)
            assert type(optimizer).__name__ == section["name"], name
            rate = section["lr"].get("learning_rate", section["lr"].get("max_lr", (section["lr"].get("values") or [0])[0]))
            assert 0 <= optimizer.get_lr() <= rate, name
    # the two sections with options the reference's optimizers swallow, each said once
    notices = sorted(m.split(" has no effect")[0] for m in caplog.messages if "has no effect on" in m)
    assert notices == ["Optimizer.group_lr=True", "Optimizer.momentum=0.9", "Optimizer.training_step='LA'",
                       "Optimizer.weight_deacy=0.0"]


def test_last_epoch_starts_the_schedule_after_that_step():
    model = paddle.nn.Linear(2, 2)
    section = {"name": "Adam", "lr": {"name": "Cosine", "learning_rate": 0.1, "last_epoch": 9}}
    optimizer, lr = build_optimizer(section, epochs=2, step_each_epoch=10, model=model)
    # cosine over N = 20 steps, the first step of the run at t = 10
    assert optimizer.get_lr() == pytest.approx(0.1 * (1 + math.cos(math.pi * 10 / 20)) / 2)
    lr.step()
    assert optimizer.get_lr() == pytest.approx(0.1 * (1 + math.cos(math.pi * 11 / 20)) / 2)
    # a resume at global step 1 keeps the offset: the schedule stays at t = 11
    apply_schedule(lr, global_step=1, changed=True)
    assert optimizer.get_lr() == pytest.approx(0.1 * (1 + math.cos(math.pi * 11 / 20)) / 2)


def test_last_epoch_on_a_constant_rate_is_a_notice(caplog):
    with caplog.at_level(logging.INFO, logger="ppocr"):
        _, lr = build_optimizer({"name": "Adam", "lr": {"learning_rate": 0.01, "last_epoch": 3}}, 1, 5,
                                paddle.nn.Linear(2, 2))
    assert lr == 0.01
    assert "Optimizer.lr.last_epoch=3 has no effect on a constant rate" in caplog.messages


@pytest.mark.parametrize("section, message", [
    # an option with no effect is never the hint for a typo, a real option is
    ({"name": "Adam", "group_lrr": True, "lr": {"learning_rate": 0.1}}, "optimizer Adam has no option 'group_lrr'; its"),
    ({"name": "Adadelta", "weight_decy": 0.1, "lr": {"learning_rate": 0.1}},
     "optimizer Adadelta has no option 'weight_decy' \\(did you mean weight_decay\\?\\)"),
    ({"name": "Adam", "lr": {"name": "Cosine", "learning_rate": 0.1, "last_epoc": 3}},
     "lr schedule Cosine has no option 'last_epoc'"),
    ({"name": "Adam", "lr": {"name": "Cosine", "learning_rate": 0.1, "last_epoch": -2}},
     "Optimizer.lr.last_epoch must be an integer >= -1"),
])
def test_typos_and_wrong_values_are_still_refused(section, message):
    with pytest.raises(UserError, match=message):
        build_optimizer(section, 1, 5, paddle.nn.Linear(2, 2))
