import paddle
import pytest

from ppocr.errors import UserError
from ppocr.optimizer import build_optimizer


def _model():
    paddle.seed(0)
    return paddle.nn.Linear(4, 2)


def test_piecewise_with_warmup_follows_epochs_in_steps():
    opt, lr = build_optimizer({"name": "AdamW", "clip_norm": 5,
                               "lr": {"name": "Piecewise", "decay_epochs": [2, 3], "values": [1e-3, 1e-4, 1e-5],
                                      "warmup_epoch": 1}}, epochs=4, step_each_epoch=10, model=_model())
    seen = []
    for _ in range(50):
        seen.append(opt.get_lr())
        lr.step()
    assert seen[0] == 0.0 and 0 < seen[5] < 1e-3       # warming up
    # as in the reference, the schedule starts after the warm-up: boundaries shift by 1 epoch
    assert seen[15] == pytest.approx(1e-3) and seen[25] == pytest.approx(1e-3)
    assert seen[35] == pytest.approx(1e-4)
    assert seen[45] == pytest.approx(1e-5)


def test_cosine_decays_to_zero_and_constant_stays():
    opt, lr = build_optimizer({"name": "Adam", "lr": {"name": "Cosine", "learning_rate": 0.1}}, 1, 10, _model())
    for _ in range(10):
        lr.step()
    assert opt.get_lr() == pytest.approx(0.0, abs=1e-9)
    opt, lr = build_optimizer({"name": "Momentum", "lr": {"learning_rate": 0.01},
                               "regularizer": {"name": "L2", "factor": 1e-4}}, 1, 10, _model())
    assert opt.get_lr() == pytest.approx(0.01) and isinstance(lr, float)


def test_unknown_optimizer_lists_registered_ones():
    with pytest.raises(UserError, match="Adam, AdamW, Momentum"):
        build_optimizer({"name": "Adamm", "lr": {"learning_rate": 0.1}}, 1, 10, _model())
