"""A config naming each of the reference's optimizers, schedules and the RecConAug data op, loaded
as a tool loads it, builds the trainer and trains a step (the STAR-Net MobileNetV3 seed config
on the tiny generated data); the formulas themselves are checked in tests/optimizer/ and
tests/data/imaug/test_rec_con_aug.py."""
import numpy as np
import paddle
import pytest
import yaml

from ppocr.optimizer import decays
from tests.helpers.tiny import CONFIG, make_data, tiny_opts

LR = paddle.optimizer.lr
# case: (the config's Optimizer section, the paddle optimizer and schedule the trainer must hold)
CASES = {
    "RMSProp": ({"name": "RMSProp", "rho": 0.9, "lr": {"name": "Const", "learning_rate": 0.001}},
                paddle.optimizer.RMSProp, float),
    "Adadelta": ({"name": "Adadelta", "lr": {"name": "Piecewise", "decay_epochs": [1, 2], "values": [1.0, 0.1, 0.01]}},
                 paddle.optimizer.Adadelta, LR.PiecewiseDecay),
    "Linear": ({"name": "Adam", "lr": {"name": "Linear", "learning_rate": 0.001, "warmup_epoch": 1}},
               paddle.optimizer.Adam, LR.LinearWarmup),
    "Step": ({"name": "Adam", "lr": {"name": "Step", "learning_rate": 0.001, "step_size": 1, "gamma": 0.1}},
             paddle.optimizer.Adam, LR.StepDecay),
    "MultiStepDecay": ({"name": "Adam", "lr": {"name": "MultiStepDecay", "learning_rate": 0.001, "milestones": [1, 2],
                                               "gamma": 0.1, "warmup_epoch": 0.5}},
                       paddle.optimizer.Adam, LR.LinearWarmup),
    "OneCycle": ({"name": "Adam", "lr": {"name": "OneCycle", "max_lr": 0.001}}, paddle.optimizer.Adam, LR.OneCycleLR),
    "CyclicalCosine": ({"name": "Momentum", "momentum": 0.9, "lr": {"name": "CyclicalCosine", "learning_rate": 0.001,
                                                                    "cycle": 1}},
                       paddle.optimizer.Momentum, decays.CyclicalCosineDecay),
    "LinearWarmupCosine": ({"name": "AdamW", "lr": {"name": "LinearWarmupCosine", "learning_rate": 0.001}},
                           paddle.optimizer.AdamW, LR.LinearWarmup),
    "TwoStepCosine": ({"name": "Momentum", "momentum": 0.9, "clip_norm_global": 100.0,
                       "lr": {"name": "TwoStepCosine", "learning_rate": 0.001}},
                      paddle.optimizer.Momentum, decays.TwoStepCosineDecay),
}
REC_CON_AUG = {"RecConAug": {"prob": 1.0, "ext_data_num": 1, "image_shape": [32, 320, 3], "max_text_length": 25}}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_data(tmp_path_factory.mktemp("reference_components") / "data", train=8, val=4)


def _trainer(data, tmp_path, repo_root, optimizer=None, train_transforms=None):
    """A Trainer built by the tools' config path from the seed config with these sections replaced."""
    from ppocr.cli.startup import setup
    from ppocr.training.trainer import Trainer

    config = yaml.safe_load((repo_root / CONFIG).read_text())
    if optimizer is not None:
        config["Optimizer"] = optimizer
    if train_transforms is not None:
        config["Train"]["dataset"]["transforms"] = train_transforms
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(config))
    opts = [o for o in tiny_opts(data, str(tmp_path / "out"), Global__cpu_replicas=1) if not o.startswith("Optimizer.")]
    config, _, _ = setup(["-c", str(path), "-o", *opts], "trainer")
    return Trainer(config)


def _one_step(trainer):
    batch = next(iter(trainer.train_loader))
    before = [p.numpy().copy() for p in trainer.model.parameters()]
    loss, _ = trainer.train_step.step(batch)
    moved = sum(not np.array_equal(b, p.numpy()) for b, p in zip(before, trainer.model.parameters()))
    return batch, float(loss), moved


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_config_naming_it_trains_a_step(name, data, tmp_path, repo_root):
    section, optimizer_type, schedule_type = CASES[name]
    trainer = _trainer(data, tmp_path, repo_root, optimizer=section)
    assert type(trainer.optimizer) is optimizer_type and type(trainer.lr) is schedule_type
    _, loss, moved = _one_step(trainer)
    assert np.isfinite(loss) and moved > 0
    if schedule_type is not float:
        assert trainer.lr.last_epoch == 1, "the schedule must advance once per step"


def test_a_config_with_rec_con_aug_trains_on_joined_words(data, tmp_path, repo_root):
    config = yaml.safe_load((repo_root / CONFIG).read_text())
    transforms = config["Train"]["dataset"]["transforms"]
    trainer = _trainer(data, tmp_path, repo_root, train_transforms=[transforms[0], REC_CON_AUG, *transforms[1:]])
    dataset = trainer.train_loader.dataset
    stored = set()
    for i in range(len(dataset)):
        sample = {}
        dataset.read_sample(i, sample)
        stored.add(sample["label"])
    batch, loss, moved = _one_step(trainer)
    assert np.isfinite(loss) and moved > 0
    normalised = {trainer.charset.normalise(s) for s in stored}
    for text in batch["text"]:
        joined = trainer.charset.normalise(text)
        assert any(joined == a + b for a in normalised for b in normalised), (text, stored)
