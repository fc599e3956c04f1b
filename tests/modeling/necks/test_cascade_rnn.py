import numpy as np
import paddle
import pytest

from ppocr.modeling.necks.cascade_rnn import CascadeRNNEncoder


def seq(n=2, t=26, c=24):
    return paddle.to_tensor(np.random.default_rng(0).normal(size=(n, t, c)).astype("float32"))


def test_with_linear_each_layer_projects_to_its_out_channels():
    enc = CascadeRNNEncoder(24, hidden_size=8, out_channels=[12, 20], with_linear=True)
    assert enc.out_channels == 20
    assert enc(seq()).shape == [2, 26, 20]
    assert [k for k in enc.state_dict() if "linear.weight" in k] == ["encoder.0.linear.weight", "encoder.1.linear.weight"]
    assert enc.state_dict()["encoder.1.rnn.weight_ih_l0"].shape == [32, 12]


def test_without_linear_layers_output_both_directions():
    enc = CascadeRNNEncoder(24, hidden_size=8, out_channels=[12, 20], with_linear=False)
    assert enc.out_channels == 16
    assert enc(seq()).shape == [2, 26, 16]


def test_num_layers_must_match_out_channels():
    with pytest.raises(ValueError, match="one output width per layer"):
        CascadeRNNEncoder(24, hidden_size=8, out_channels=[12, 20], num_layers=3)
