"""Global.use_sync_bn (ppocr/training/sync_bn.py): on GPUs with several processes every batch norm
becomes a SyncBatchNorm with the same weights and state-dict names; elsewhere the model is left as it
is, with one notice where the key cannot apply (a CPU)."""
import logging

import numpy as np
import paddle

from ppocr import build_model, load_config
from ppocr.training.sync_bn import sync_batch_norm
from tests.helpers.tiny import CONFIG

NORMS = (paddle.nn.BatchNorm2D, paddle.nn.SyncBatchNorm)


def _norms(model):
    return [type(layer) for layer in model.sublayers() if isinstance(layer, NORMS)]


def test_several_gpus_convert_every_batch_norm_keeping_the_weights(repo_root):
    model = build_model(load_config(str(repo_root / CONFIG)))
    before = {name: value.numpy() for name, value in model.state_dict().items()}
    count = len(_norms(model))
    converted = sync_batch_norm(model, True, "gpu:0", world=4)
    assert count > 10 and _norms(converted) == [paddle.nn.SyncBatchNorm] * count
    after = converted.state_dict()
    assert list(after) == list(before)  # checkpoints load either way
    for name, value in before.items():
        np.testing.assert_array_equal(after[name].numpy(), value, err_msg=name)


def test_a_cpu_or_one_process_keeps_the_batch_norms_and_says_so(caplog):
    model = paddle.nn.Sequential(paddle.nn.Conv2D(3, 4, 3), paddle.nn.BatchNorm2D(4))
    with caplog.at_level(logging.INFO, logger="ppocr"):
        assert sync_batch_norm(model, True, "cpu", world=2) is model
        assert sync_batch_norm(model, True, "gpu:0", world=1) is model
        assert sync_batch_norm(model, False, "gpu:0", world=8) is model
    assert _norms(model) == [paddle.nn.BatchNorm2D]
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["Global.use_sync_bn"] * 2
    assert "Paddle synchronises batch norms across GPUs only; on cpu each process keeps its own" in caplog.text
