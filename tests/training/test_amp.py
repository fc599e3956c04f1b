"""Mixed precision (ppocr/training/amp.py, train_step.py, the trainer): on this CPU, O1 and O2 with
bfloat16 are one notice and a float32 run (Paddle's AMP makes no effect on a CPU place, and its CPU
kernels of batch norm, LSTM, grid_sample, CTC and Adam have no bfloat16); the AMP path itself, as
it runs on a GPU, computes the loss in float32 outside autocast, passes the config's levels, lists
and loss scaling to Paddle, and resumes exactly with the scaler's state from the checkpoint."""
import contextlib
import json

import numpy as np
import paddle
import pytest

from ppocr.global_settings import GlobalSettings
from ppocr.training import amp as amp_module
from ppocr.training import train_step as ts
from ppocr.training.amp import CPU_NOTICE, MixedPrecision, build_mixed_precision, to_float32
from tests.helpers.tiny import CONFIG, make_data, tiny_opts, train_records
from tests.helpers.small_net import SmallNet


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_data(tmp_path_factory.mktemp("amp") / "data", train=8, val=4)


def _trainer(data, save_dir, repo_root, **extra):
    from ppocr.cli.startup import setup
    from ppocr.training.trainer import Trainer

    opts = tiny_opts(data, str(save_dir), Global__cpu_replicas=1, **extra)
    config, _, _ = setup(["-c", str(repo_root / CONFIG), "-o", *opts], "amp")
    return Trainer(config)


@pytest.mark.parametrize("level", ["O1", "O2"])
def test_amp_on_the_cpu_is_one_notice_and_a_float32_run(level, data, tmp_path, repo_root, capsys):
    trainer = _trainer(data, tmp_path, repo_root, Global__use_amp=True, Global__amp_level=level,
                       Global__amp_dtype="bfloat16", Global__epoch_num=1, Global__eval_batch_step="[0,100]")
    assert capsys.readouterr().out.count(CPU_NOTICE) == 1
    assert trainer.amp is None and trainer.train_step.amp is None
    losses = []
    step = trainer.train_step.step
    trainer.train_step.step = lambda batch: losses.append(step(batch)) or losses[-1]
    trainer.train()
    assert len(losses) == 2 and all(loss.dtype == paddle.float32 and np.isfinite(float(loss)) for loss, _ in losses)
    assert {str(p.dtype) for p in trainer.model.parameters()} == {"paddle.float32"}


class _HalfOutput(SmallNet):
    """A network whose predictions come out in float16, as a model's do under autocast on a GPU."""

    def forward(self, x, targets=None):
        return super().forward(x).astype("float16")


@contextlib.contextmanager
def _recording_autocast(monkeypatch):
    """paddle.amp.auto_cast, recording its arguments and whether code runs inside it."""
    state = {"inside": False, "calls": []}
    real = paddle.amp.auto_cast

    @contextlib.contextmanager
    def recording(**kwargs):
        state["calls"].append(kwargs)
        with real(**kwargs):
            state["inside"] = True
            try:
                yield
            finally:
                state["inside"] = False

    monkeypatch.setattr(paddle.amp, "auto_cast", recording)
    yield state


def test_the_loss_is_computed_in_float32_outside_autocast(monkeypatch):
    paddle.seed(3)
    model = _HalfOutput()
    optimizer = paddle.optimizer.Adam(learning_rate=0.01, parameters=model.parameters())
    seen = []

    def loss_fn(preds, targets):
        seen.append((state["inside"], preds.dtype))
        return {"loss": ((preds - targets["target"]) ** 2).mean()}

    with _recording_autocast(monkeypatch) as state:
        mixed = MixedPrecision("O2", "bfloat16", white_list=["matmul_v2"], black_list=["softmax"])
        step = ts.build_train_step(model, optimizer, 0.01, loss_fn, amp=mixed)
        rng = np.random.default_rng(0)
        batch = {"image": paddle.to_tensor(rng.standard_normal((4, 3, 8, 10)).astype("float32")),
                 "target": paddle.to_tensor(rng.standard_normal((4, 5)).astype("float32")), "text": ["a"] * 4}
        loss, preds = step.step(batch)
        assert seen == [(False, paddle.float32)], "the loss must see float32 predictions, outside autocast"
        assert loss.dtype == paddle.float32 and preds.dtype == paddle.float32
        assert state["calls"] == [{"level": "O2", "dtype": "bfloat16", "custom_white_list": ["matmul_v2"],
                                   "custom_black_list": ["softmax"]}]
        with paddle.no_grad():
            out = step.eval_net(batch["image"])  # evaluation during training: the same autocast, float32 out
        assert out.dtype == paddle.float32 and len(state["calls"]) == 2


def test_to_float32_casts_every_floating_tensor_of_a_structure():
    half = paddle.ones([2], dtype="float16")
    out = to_float32({"a": half, "b": [half, paddle.ones([1], dtype="int64")], "c": (half,)})
    assert out["a"].dtype == paddle.float32 and out["b"][0].dtype == paddle.float32
    assert out["b"][1].dtype == paddle.int64 and isinstance(out["c"], tuple) and out["c"][0].dtype == paddle.float32


def test_o2_decorates_the_model_with_master_weights_and_float32_checkpoints(monkeypatch):
    calls = []
    monkeypatch.setattr(paddle.amp, "decorate", lambda **kwargs: calls.append(kwargs) or (kwargs["models"], "opt"))
    model = SmallNet()
    assert MixedPrecision("O1", "float16").decorate(model, "optimizer") == (model, "optimizer") and calls == []
    assert MixedPrecision("O2", "bfloat16").decorate(model, "optimizer") == (model, "opt")
    assert calls == [{"models": model, "optimizers": "optimizer", "level": "O2", "master_weight": True,
                      "dtype": "bfloat16", "save_dtype": "float32"}]
    monkeypatch.setattr(paddle.amp, "decorate", lambda **kwargs: kwargs["models"])  # Paddle's answer without optimizer
    assert MixedPrecision("O2", "float16").decorate(model) == (model, None)  # evaluation: the model alone


def test_evaluation_runs_under_the_configs_autocast_as_the_references_eval(tmp_path, repo_root, monkeypatch):
    from ppocr.cli.evaluate import evaluate_config
    from ppocr.config import merge_config
    from ppocr.synth import generate

    generate(6, seed=31, lmdb_dir=str(tmp_path / "eval" / "words"))
    shipped = repo_root / "configs" / "rec" / "demo_mv3_tps_bilstm_ctc.yml"
    weights = repo_root / "pretrained" / "rec_mv3_tps_bilstm_ctc_synth" / "best_accuracy"
    opts = ["Global.use_gpu=False", f"Global.pretrained_model={weights}", f"Eval.dataset.data_dir={tmp_path / 'eval'}",
            "Eval.loader.num_workers=0", "Eval.loader.batch_size_per_card=4", "Global.amp_level=O1",
            "Global.amp_dtype=bfloat16"]
    plain = evaluate_config(merge_config(str(shipped), opts), save_table=str(tmp_path / "plain"))
    monkeypatch.setattr(amp_module, "runs_on", lambda device: True)  # the GPU path, on this CPU
    with _recording_autocast(monkeypatch) as state:
        mixed = evaluate_config(merge_config(str(shipped), [*opts, "Global.use_amp=True"]),
                                save_table=str(tmp_path / "amp"))
    assert [call["dtype"] for call in state["calls"]] == ["bfloat16", "bfloat16"]  # 6 words in batches of 4
    assert mixed == plain  # autocast makes no effect on a CPU place


def test_the_config_keys_reach_paddle_amp_a_plus_override_included(tmp_path, monkeypatch):
    from ppocr.config import merge_config

    made = []
    monkeypatch.setattr(paddle.amp, "GradScaler", lambda **kwargs: made.append(kwargs))
    path = tmp_path / "amp.yml"
    path.write_text("Global:\n  use_amp: True\n  amp_custom_black_list: [matmul_v2, elementwise_add]\n")
    config = merge_config(str(path), ["+Global.scale_loss=1024.0", "Global.use_dynamic_loss_scaling=True",
                                      "Global.amp_level=O1", "Global.amp_dtype=bfloat16"])
    assert config["Global"]["scale_loss"] == 1024.0  # where the reference reads it
    mixed = build_mixed_precision(GlobalSettings.of(config), "xpu:0")
    assert made == [{"init_loss_scaling": 1024.0, "use_dynamic_loss_scaling": True}]
    assert (mixed.level, mixed.dtype, mixed.black_list, mixed.white_list) == (
        "O1", "bfloat16", ["matmul_v2", "elementwise_add"], [])
    defaults = build_mixed_precision(GlobalSettings.of({"Global": {"use_amp": True}}), "npu:0")
    assert (defaults.level, defaults.dtype) == ("O2", "float16")  # the reference's defaults
    assert made[-1] == {"init_loss_scaling": 1.0, "use_dynamic_loss_scaling": False}
    assert build_mixed_precision(GlobalSettings.of({"Global": {"use_amp": False}}), "gpu:0") is None


class _DynamicScaler:
    """A gradient scaler as Paddle's dynamic one behaves on a GPU (where this machine has none: on a
    CPU place Paddle's turns itself off): the loss times the scale, the gradients divided back, the
    scale raised by 1.5 every second step. The scale is not a power of two, so a resumed run that
    restarted it would take other float32 roundings, and other weights."""

    def __init__(self, init_loss_scaling=1.0, use_dynamic_loss_scaling=False):
        self.value, self.dynamic, self.count = float(init_loss_scaling), use_dynamic_loss_scaling, 0

    def scale(self, loss):
        return loss * self.value

    def step(self, optimizer):
        for p in optimizer._parameter_list:
            if p.grad is not None:
                paddle.assign(p.grad / self.value, output=p.grad)
        optimizer.step()

    def update(self):
        self.count += 1
        if self.dynamic and self.count % 2 == 0:
            self.value *= 1.5

    def state_dict(self):  # Paddle's keys and types: the scale as a float32 array
        return {"scale": np.array([self.value], dtype=np.float32), "incr_count": self.count,
                "use_dynamic_loss_scaling": self.dynamic}

    def load_state_dict(self, state):
        self.value, self.count = float(np.asarray(state["scale"])[0]), state["incr_count"]


@pytest.mark.training_e2e
def test_an_amp_run_resumes_exactly_with_the_scalers_state(data, tmp_path, repo_root, monkeypatch):
    monkeypatch.setattr(amp_module, "runs_on", lambda device: True)  # the GPU path, on this CPU
    monkeypatch.setattr(paddle.amp, "GradScaler", _DynamicScaler)
    opts = {"Global__use_amp": True, "Global__amp_level": "O1", "Global__scale_loss": 3.0,
            "Global__use_dynamic_loss_scaling": True, "Global__epoch_num": 2, "Global__eval_batch_step": "[0,100]"}
    whole = _trainer(data, tmp_path / "whole", repo_root, **opts)
    whole.train()
    _trainer(data, tmp_path / "cut", repo_root, **{**opts, "Global__epoch_num": 1}).train()
    saved = json.loads((tmp_path / "cut" / "latest.states").read_text())["amp_scaler"]
    assert saved == {"scale": [4.5], "incr_count": 2, "use_dynamic_loss_scaling": True}  # 3 x 1.5 after 2 steps
    resumed = _trainer(data, tmp_path / "cut", repo_root, **opts, Global__checkpoints=tmp_path / "cut" / "latest")
    assert resumed.amp.scaler.value == 4.5 and resumed.amp.scaler.count == 2
    resumed.train()
    assert (resumed.amp.scaler.value, resumed.amp.scaler.count) == (whole.amp.scaler.value, whole.amp.scaler.count)
    for (name, got), want in zip(resumed.model.state_dict().items(), whole.model.state_dict().values()):
        np.testing.assert_array_equal(got.numpy(), want.numpy(), err_msg=name)
    steps = train_records(tmp_path / "whole")
    assert sorted(steps) == [1, 2, 3, 4]
    assert [train_records(tmp_path / "cut")[s]["loss"] for s in steps] == [steps[s]["loss"] for s in steps]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_precision_weights_export_a_float32_model(dtype, tmp_path, repo_root):
    """An O2 checkpoint written without save_dtype (the reference's) holds half-precision weights:
    they load into the float32 model the export builds, and the inference model is float32."""
    from ppocr import build_model, load_config
    from ppocr.config import merge_config
    from ppocr.export.exporter import export
    from ppocr.export.model_folder import paddle_prefix

    paddle.seed(5)
    model = build_model(load_config(str(repo_root / CONFIG)))
    half = {k: v.astype(dtype) if v.is_floating_point() else v for k, v in model.state_dict().items()}
    paddle.save(half, str(tmp_path / "o2.pdparams"))
    config = merge_config(str(repo_root / CONFIG), [f"Global.pretrained_model={tmp_path / 'o2'}"])
    out = export(config, str(tmp_path / "inference"))
    loaded = paddle.jit.load(paddle_prefix(out))
    dtypes = {str(p.dtype) for p in loaded.parameters()}
    assert dtypes == {"paddle.float32"}, dtypes
    images = paddle.to_tensor(np.random.default_rng(1).uniform(-1, 1, (2, 3, 32, 100)).astype("float32"))
    reference = build_model(load_config(str(repo_root / CONFIG)))
    reference.set_state_dict({k: v.astype("float32") if v.is_floating_point() else v for k, v in half.items()})
    reference.eval()
    np.testing.assert_allclose(loaded(images).numpy(), reference(images).numpy(), rtol=1e-4, atol=1e-5)


def test_paddles_amp_makes_no_effect_on_a_cpu_place():
    """Why the CPU gets the notice: Paddle's own calls change nothing here (if a Paddle release
    starts running them on the CPU, this fails and the notice must go)."""
    assert not amp_module.runs_on(paddle.get_device())
    lin = paddle.nn.Linear(4, 4)
    with pytest.warns(UserWarning, match="can only be enabled on"):
        with paddle.amp.auto_cast(level="O1", dtype="bfloat16"):
            out = lin(paddle.ones([2, 4]))
    assert out.dtype == paddle.float32
    kernels = paddle.base.core._get_all_register_op_kernels("phi")
    for op in ("batch_norm", "rnn", "adam", "warpctc"):
        assert not any("bfloat16" in key for key in kernels.get(op, [])), op


def test_float32_weights_load_into_a_half_precision_model(tmp_path):
    """Resuming an O2 run: its decorated model is in float16 while the checkpoint holds float32."""
    from ppocr.trained_model.checkpoint import load_weights

    paddle.seed(2)
    saved = SmallNet()
    paddle.save(saved.state_dict(), str(tmp_path / "w.pdparams"))
    model = SmallNet()
    model.fc.to(dtype="float16")  # what O2's decorate does to the layers it casts
    load_weights(model, str(tmp_path / "w"))
    assert model.fc.weight.dtype == paddle.float16
    np.testing.assert_array_equal(model.fc.weight.numpy(), saved.fc.weight.numpy().astype("float16"))
    np.testing.assert_array_equal(model.conv.weight.numpy(), saved.conv.weight.numpy())
