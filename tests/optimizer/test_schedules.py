"""The learning-rate schedules (ppocr/optimizer/schedules.py): each rate, step by step, equals the
formula of its docstring computed here, with and without the warm-up, and a jump to a step (a
resume, the end of a warm-up) gives the rate of stepping there one step at a time."""
import logging
import math

import paddle
import pytest

from ppocr.errors import UserError
from ppocr.optimizer import build_optimizer

EPOCHS, S = 3, 4  # 3 epochs of 4 steps: N = 12
N = EPOCHS * S


def _cos_anneal(start, end, pct):
    return end + (start - end) * (1 + math.cos(math.pi * pct)) / 2


def _one_cycle(t, max_lr, three_phase=False, anneal=_cos_anneal):
    a = max_lr / 25
    z = a / 1e4
    e1 = 0.3 * N - 1
    if t <= e1:
        return anneal(a, max_lr, t / e1)
    if not three_phase:
        return anneal(max_lr, z, (t - e1) / (N - 1 - e1))
    e2 = 0.6 * N - 2
    if t <= e2:
        return anneal(max_lr, a, (t - e1) / (e2 - e1))
    return anneal(a, z, (t - e2) / (N - 1 - e2))


# name: (the lr section, its peak (where a warm-up climbs to), the rate at step t from the docstring)
SCHEDULES = {
    "Linear": ({"name": "Linear", "learning_rate": 0.1, "end_lr": 0.01, "power": 2.0}, 0.1,
               lambda t: (0.1 - 0.01) * (1 - min(t, N) / N) ** 2.0 + 0.01),
    "Step": ({"name": "Step", "learning_rate": 0.1, "step_size": 1, "gamma": 0.5}, 0.1,
             lambda t: 0.1 * 0.5 ** math.floor(t / (1 * S))),
    "MultiStepDecay": ({"name": "MultiStepDecay", "learning_rate": 0.1, "milestones": [1, 2.3], "gamma": 0.1}, 0.1,
                       lambda t: 0.1 * 0.1 ** sum(m * S <= t for m in (1, 2.3))),
    "OneCycle": ({"name": "OneCycle", "max_lr": 0.1}, 0.1, lambda t: _one_cycle(t, 0.1)),
    "OneCycle three_phase linear": (
        {"name": "OneCycle", "max_lr": 0.1, "three_phase": True, "anneal_strategy": "linear"}, 0.1,
        lambda t: _one_cycle(t, 0.1, True, anneal=lambda x, y, p: x + (y - x) * p)),
    "CyclicalCosine": ({"name": "CyclicalCosine", "learning_rate": 0.1, "cycle": 1.25}, 0.1,
                       lambda t: 0.1 * (1 + math.cos(math.pi * (t % 5) / 5)) / 2),  # C = round(1.25 * 4) = 5
    "TwoStepCosine": ({"name": "TwoStepCosine", "learning_rate": 0.1}, 0.1,
                      lambda t: 0.1 * (1 + math.cos(math.pi * t / (200 * S if t <= 200 * S else N))) / 2),
    "LinearWarmupCosine": (
        {"name": "LinearWarmupCosine", "learning_rate": 0.1, "warmup_steps": 3, "start_lr": 0.01, "min_lr": 0.001},
        None, lambda t: 0.01 + (0.1 - 0.01) * t / 3 if t < 3
        else 0.001 + (0.1 - 0.001) * (1 + math.cos(math.pi * (t - 3) / N)) / 2),
    "Const": ({"name": "Const", "learning_rate": 0.1}, 0.1, lambda t: 0.1),
    "Cosine": ({"name": "Cosine", "learning_rate": 0.1}, 0.1, lambda t: 0.1 * (1 + math.cos(math.pi * t / N)) / 2),
    "Piecewise": ({"name": "Piecewise", "values": [0.1, 0.01, 0.001], "decay_epochs": [1, 2]}, 0.1,
                  lambda t: [0.1, 0.01, 0.001][sum(b <= t for b in (S, 2 * S))]),
}


def _rates(lr_cfg, steps, epochs=EPOCHS):
    """The optimizer's rate at steps 0..steps-1, the schedule stepped once per step as the trainer does."""
    optimizer, lr = build_optimizer({"name": "Adam", "lr": dict(lr_cfg)}, epochs, S, paddle.nn.Linear(2, 2))
    rates = []
    for _ in range(steps):
        rates.append(optimizer.get_lr())
        if isinstance(lr, paddle.optimizer.lr.LRScheduler):
            lr.step()
    return rates


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_each_rate_is_the_formula_of_the_docstring(name):
    lr_cfg, _, formula = SCHEDULES[name]
    steps = N if name.startswith("OneCycle") else N + 6  # OneCycle ends at N, as in the reference
    assert _rates(lr_cfg, steps) == pytest.approx([formula(t) for t in range(steps)], rel=1e-6, abs=1e-12)


@pytest.mark.parametrize("name", sorted(n for n in SCHEDULES if SCHEDULES[n][1] is not None))
def test_a_warm_up_climbs_to_the_peak_then_the_schedule_starts(name):
    lr_cfg, peak, formula = SCHEDULES[name]
    warmup_steps = 6  # round(1.5 * 4)
    got = _rates({**lr_cfg, "warmup_epoch": 1.5}, N)
    want = [peak * t / warmup_steps if t < warmup_steps else formula(t - warmup_steps) for t in range(N)]
    assert got == pytest.approx(want, rel=1e-6, abs=1e-12)


def test_one_cycle_warms_up_to_max_lr_then_drops_to_its_start_as_the_reference():
    got = _rates({"name": "OneCycle", "max_lr": 0.1, "warmup_epoch": 1}, S + 1)
    assert got[S - 1] == pytest.approx(0.1 * 3 / 4) and got[S] == pytest.approx(0.1 / 25)


def test_two_step_cosine_switches_to_the_whole_run_after_200_epochs():
    epochs = 250
    optimizer, lr = build_optimizer({"name": "Adam", "lr": {"name": "TwoStepCosine", "learning_rate": 0.1}},
                                    epochs, 1, paddle.nn.Linear(2, 2))
    for t, want in ((200, 0.0), (201, 0.1 * (1 + math.cos(math.pi * 201 / 250)) / 2), (249, None)):
        lr.step(t)
        want = 0.1 * (1 + math.cos(math.pi * t / 250)) / 2 if want is None else want
        assert optimizer.get_lr() == pytest.approx(want, abs=1e-12), t
    assert optimizer.get_lr() > 0.0


@pytest.mark.parametrize("name", sorted(SCHEDULES))
@pytest.mark.parametrize("warmup_epoch", [0, 1])
def test_jumping_to_a_step_gives_the_rate_of_stepping_there(name, warmup_epoch):
    lr_cfg, _, _ = SCHEDULES[name]
    lr_cfg = {**lr_cfg, "warmup_epoch": warmup_epoch} if name != "LinearWarmupCosine" else lr_cfg
    stepped = _rates(lr_cfg, N)
    for t in (1, 5, N - 1):
        optimizer, lr = build_optimizer({"name": "Adam", "lr": dict(lr_cfg)}, EPOCHS, S, paddle.nn.Linear(2, 2))
        if isinstance(lr, paddle.optimizer.lr.LRScheduler):
            lr.step(t)
        assert optimizer.get_lr() == pytest.approx(stepped[t], rel=1e-9, abs=1e-15), t


@pytest.fixture
def warnings_of_ppocr():
    seen = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = lambda record: seen.append(record.getMessage())
    logger = logging.getLogger("ppocr")
    logger.addHandler(handler)
    yield seen
    logger.removeHandler(handler)


def test_linear_warmup_cosine_ignores_warmup_epoch_with_a_warning(warnings_of_ppocr):
    lr_cfg, _, formula = SCHEDULES["LinearWarmupCosine"]
    assert _rates({**lr_cfg, "warmup_epoch": 2}, 8) == pytest.approx([formula(t) for t in range(8)], rel=1e-6)
    assert any("warmup_epoch=2 is ignored" in m for m in warnings_of_ppocr), warnings_of_ppocr


def test_linear_warmup_cosine_reference_defaults():
    got = _rates({"name": "LinearWarmupCosine", "learning_rate": 0.1}, 2, epochs=3000)
    assert got == pytest.approx([1e-5, 1e-5 + (0.1 - 1e-5) / 5000])  # warmup_steps 5000 from start_lr 1e-5


def test_the_sections_epochs_are_the_runs_as_in_the_reference(warnings_of_ppocr):
    # the reference's KIE configs repeat `epochs` in the lr section; the run's epoch count wins
    got = _rates({"name": "Linear", "learning_rate": 0.1, "epochs": 99}, 3)
    assert got == pytest.approx([0.1 * (1 - t / N) for t in range(3)])
    assert any("Optimizer.lr.epochs=99 is replaced by the run's 3" in m for m in warnings_of_ppocr)


@pytest.mark.parametrize("lr_cfg, message", [
    ({"name": "Step", "learning_rate": 0.1, "step_size": 0.1, "gamma": 0.5}, "step_size=0.1 epochs is 0 steps"),
    ({"name": "Step", "learning_rate": 0.1, "step_size": 1, "gamma": 2}, "gamma is the factor"),
    ({"name": "Step", "learning_rate": 0.1, "step_size": 1}, "missing a required argument: 'gamma'"),
    ({"name": "MultiStepDecay", "learning_rate": 0.1, "milestones": [3, 2], "gamma": 0.1}, "must be increasing"),
    ({"name": "CyclicalCosine", "learning_rate": 0.1, "cycle": 0}, "cycle=0 epochs is 0 steps"),
    ({"name": "OneCycle", "max_lr": 0.1, "anneal_strategy": "cosine"}, "anneal_strategy must be cos or linear"),
    ({"name": "OneCycle", "learning_rate": 0.1}, "lr schedule OneCycle has no option 'learning_rate'"),
    ({"name": "LinearWarmupCosine", "learning_rate": 1e-6}, r"start_lr \(1e-05\) must be below learning_rate"),
])
def test_a_wrong_option_is_a_one_line_error(lr_cfg, message):
    with pytest.raises(UserError, match=message) as caught:
        build_optimizer({"name": "Adam", "lr": lr_cfg}, EPOCHS, S, paddle.nn.Linear(2, 2))
    assert "\n" not in str(caught.value)
