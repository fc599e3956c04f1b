"""SequenceEncoder: Im2Seq, then the configured encoder."""
import numpy as np
import paddle
import pytest

from ppocr.errors import UserError
from ppocr.modeling.necks.rnn import SequenceEncoder


def test_reshape_lists_the_columns_left_to_right():
    x = paddle.arange(2 * 3 * 4, dtype="float32").reshape([2, 3, 1, 4])
    neck = SequenceEncoder(in_channels=3, encoder_type="reshape")
    out = neck(x).numpy()
    assert neck.out_channels == 3 and out.shape == (2, 4, 3)
    np.testing.assert_array_equal(out[1, 2], x.numpy()[1, :, 0, 2])


@pytest.mark.parametrize("encoder_type, hidden, width", [("rnn", 16, 32), ("fc", 16, 16)])
def test_encoders_give_their_out_channels(encoder_type, hidden, width):
    neck = SequenceEncoder(in_channels=24, encoder_type=encoder_type, hidden_size=hidden)
    assert neck.out_channels == width
    assert neck(paddle.randn([2, 24, 1, 9])).shape == [2, 9, width]


def test_rnn_names_match_the_reference():
    keys = list(SequenceEncoder(in_channels=24, encoder_type="rnn", hidden_size=16).state_dict())
    assert keys[0] == "encoder.lstm.weight_ih_l0" and "encoder.lstm.1.cell_bw.bias_hh" in keys


def test_cascadernn_reshapes_first_and_passes_its_options():
    neck = SequenceEncoder(in_channels=24, encoder_type="cascadernn", hidden_size=8, out_channels=[16, 20], with_linear=True)
    assert neck.out_channels == 20
    assert neck(paddle.randn([2, 24, 1, 5])).shape == [2, 5, 20]


def test_bad_options_are_reported():
    with pytest.raises(ValueError, match="encoder_type"):
        SequenceEncoder(in_channels=8, encoder_type="transformer")
    with pytest.raises(UserError, match=r"options \['with_linear'\] are for encoder_type cascadernn, not 'rnn'"):
        SequenceEncoder(in_channels=8, encoder_type="rnn", hidden_size=4, with_linear=True)
    with pytest.raises(ValueError, match="height 1"):
        SequenceEncoder(in_channels=8, encoder_type="reshape")(paddle.randn([1, 8, 2, 5]))
