"""The reference's RMSProp and Adadelta (ppocr/optimizer/optimizers.py): three updates of a weight
vector equal the update rules of their docstrings computed here, with the reference's defaults
and with every option set."""
import logging

import numpy as np
import paddle
import pytest

from ppocr.errors import UserError
from ppocr.optimizer import build_optimizer

W0 = np.array([1.0, -2.0, 0.5, 0.25])


class Weights(paddle.nn.Layer):
    def __init__(self):
        super().__init__()
        self.w = self.create_parameter([len(W0)], default_initializer=paddle.nn.initializer.Assign(W0))


def _grad(w):
    return 3 * w**2 + 2 * w  # of the loss sum(w**3 + w**2)


def _train(optimizer_cfg, steps=3):
    """The weights after each of ``steps`` updates by the optimizer ``optimizer_cfg`` builds."""
    model = Weights()
    optimizer, lr = build_optimizer(optimizer_cfg, 1, 10, model)
    seen = []
    for _ in range(steps):
        (model.w**3 + model.w**2).sum().backward()
        optimizer.step()
        optimizer.clear_grad()
        if isinstance(lr, paddle.optimizer.lr.LRScheduler):
            lr.step()
        seen.append(model.w.numpy().astype(np.float64))
    return seen


def _rmsprop(lr, rho, epsilon, momentum, decay=0.0, steps=3):
    w, r, v, seen = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), []
    for _ in range(steps):
        g = _grad(w) + decay * w  # L2 decay adds factor * w to the gradient
        r = rho * r + (1 - rho) * g**2
        v = momentum * v + lr * g / np.sqrt(r + epsilon)
        w = w - v
        seen.append(w)
    return seen


def _adadelta(lr, rho, epsilon, steps=3):
    w, eg, ed, seen = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), []
    for _ in range(steps):
        g = _grad(w)
        eg = rho * eg + (1 - rho) * g**2
        d = -np.sqrt((ed + epsilon) / (eg + epsilon)) * g
        ed = rho * ed + (1 - rho) * d**2
        w = w + lr * d
        seen.append(w)
    return seen


def test_rmsprop_with_the_reference_defaults_follows_its_update_rule():
    got = _train({"name": "RMSProp", "lr": {"learning_rate": 0.01}})
    np.testing.assert_allclose(got, _rmsprop(0.01, rho=0.95, epsilon=1e-6, momentum=0.0), rtol=2e-6)


def test_rmsprop_options_and_weight_decay_follow_its_update_rule():
    got = _train({"name": "RMSProp", "momentum": 0.5, "rho": 0.9, "epsilon": 1e-4,
                  "regularizer": {"name": "L2", "factor": 0.1}, "lr": {"learning_rate": 0.01}})
    np.testing.assert_allclose(got, _rmsprop(0.01, rho=0.9, epsilon=1e-4, momentum=0.5, decay=0.1), rtol=2e-6)


def test_adadelta_with_the_reference_defaults_follows_its_update_rule():
    got = _train({"name": "Adadelta", "lr": {"learning_rate": 1.0}})
    np.testing.assert_allclose(got, _adadelta(1.0, rho=0.95, epsilon=1e-8), rtol=2e-6)


def test_adadelta_options_follow_its_update_rule():
    got = _train({"name": "Adadelta", "rho": 0.8, "epsilon": 1e-4, "lr": {"learning_rate": 0.5}})
    np.testing.assert_allclose(got, _adadelta(0.5, rho=0.8, epsilon=1e-4), rtol=2e-6)


def test_the_rate_of_the_schedule_drives_the_update():
    # Piecewise at 1.0 for the first step, then 0.1, as the reference's Adadelta configs use it
    got = _train({"name": "Adadelta", "lr": {"name": "Piecewise", "boundaries": [1], "values": [1.0, 0.1]}}, steps=2)
    eg = 0.05 * _grad(W0) ** 2
    d1 = -np.sqrt(1e-8 / (eg + 1e-8)) * _grad(W0)
    w1 = W0 + d1
    assert got[0] == pytest.approx(w1, rel=2e-6)
    eg2 = 0.95 * eg + 0.05 * _grad(w1) ** 2
    d2 = -np.sqrt((0.05 * d1**2 + 1e-8) / (eg2 + 1e-8)) * _grad(w1)
    assert got[1] == pytest.approx(w1 + 0.1 * d2, rel=2e-6)


def test_an_option_of_another_optimizer_is_a_one_line_error():
    with pytest.raises(UserError, match="optimizer Adadelta has no option 'beta1'"):
        _train({"name": "Adadelta", "beta1": 0.9, "lr": {"learning_rate": 1.0}}, steps=0)


def test_the_reference_configs_adadelta_momentum_is_accepted_with_a_notice_and_changes_nothing(caplog):
    """rec_resnet_stn_bilstm_att.yml gives its Adadelta ``momentum`` and ``weight_deacy``, which the
    reference's Adadelta swallows: the same updates as without them, one notice line each."""
    with caplog.at_level(logging.INFO, logger="ppocr"):
        got = _train({"name": "Adadelta", "momentum": 0.9, "weight_deacy": 0.0, "lr": {"learning_rate": 1.0}})
    np.testing.assert_allclose(got, _adadelta(1.0, rho=0.95, epsilon=1e-8), rtol=2e-6)
    notices = [m for m in caplog.messages if "has no effect on Adadelta" in m]
    assert [m.split(" has")[0] for m in notices] == ["Optimizer.momentum=0.9", "Optimizer.weight_deacy=0.0"]


def test_a_typo_of_an_adadelta_option_is_still_refused():
    with pytest.raises(UserError, match="optimizer Adadelta has no option 'rhoo' \\(did you mean rho\\?\\)"):
        _train({"name": "Adadelta", "rhoo": 0.9, "lr": {"learning_rate": 1.0}}, steps=0)
