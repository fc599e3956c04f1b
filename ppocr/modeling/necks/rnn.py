"""Sequence necks: feature map [N, C, 1, W] -> feature sequence [N, W, C'].

The bidirectional two-layer LSTM is STAR-Net's sequence model (Liu et al., "STAR-Net: A
SpaTial Attention Residue Network for Scene Text Recognition", BMVC 2016, Sec. 3.3), as in
CRNN (Shi et al., TPAMI 2017). Names follow the reference release (``encoder.lstm``,
``encoder.fc``) so its trained weights load unchanged.
"""
import math

import paddle
from paddle import nn

from ppocr.errors import UserError
from ppocr.registry import NECKS


class Im2Seq(nn.Layer):
    """[N, C, 1, W] -> [N, W, C]: the columns of a height-1 feature map, left to right."""

    def __init__(self, in_channels):
        super().__init__()
        self.out_channels = in_channels

    def forward(self, x):
        if x.shape[2] > 1:
            raise ValueError(
                f"the sequence neck needs a feature map of height 1, got shape {list(x.shape)}: "
                "check that the input images have the height the backbone expects (32)"
            )
        return x.squeeze(axis=2).transpose([0, 2, 1])


class EncoderWithRNN(nn.Layer):
    """Two-layer bidirectional LSTM; output width ``2 * hidden_size`` (forward ++ backward)."""

    def __init__(self, in_channels, hidden_size):
        super().__init__()
        self.out_channels = hidden_size * 2
        self.lstm = nn.LSTM(in_channels, hidden_size, num_layers=2, direction="bidirectional")

    def forward(self, x):
        x, _ = self.lstm(x)
        return x


class EncoderWithFC(nn.Layer):
    """One linear layer per time step (L2 decay 1e-5, as in the reference)."""

    def __init__(self, in_channels, hidden_size):
        super().__init__()
        self.out_channels = hidden_size
        bound = 1.0 / math.sqrt(in_channels)

        def attr():
            return paddle.ParamAttr(
                regularizer=paddle.regularizer.L2Decay(coeff=1e-5),
                initializer=nn.initializer.Uniform(low=-bound, high=bound),
            )

        self.fc = nn.Linear(in_channels, hidden_size, weight_attr=attr(), bias_attr=attr())

    def forward(self, x):
        return self.fc(x)


def _cascade_rnn(in_channels, hidden_size, **cascade_options):
    # imported here: the cascade encoder is only needed by SPIN configs
    from ppocr.modeling.necks.cascade_rnn import CascadeRNNEncoder

    return CascadeRNNEncoder(in_channels, hidden_size, **cascade_options)


_ENCODERS = {"rnn": EncoderWithRNN, "fc": EncoderWithFC, "cascadernn": _cascade_rnn}


@NECKS.register()
class SequenceEncoder(nn.Layer):
    """Im2Seq, then (unless ``encoder_type == 'reshape'``) a sequence encoder.

    Args:
        in_channels: backbone channels C.
        encoder_type: ``'reshape'`` (no encoder), ``'rnn'`` (BiLSTM x2), ``'fc'`` or
            ``'cascadernn'`` (SPIN's stacked BiLSTMs).
        hidden_size: LSTM state size, or the width of the fc encoder.
        out_channels, with_linear, num_layers: the cascadernn's layer widths, projections and
            depth (``ppocr.modeling.necks.cascade_rnn``); an error with another encoder.

    Example::

        neck = SequenceEncoder(in_channels=512, encoder_type="rnn", hidden_size=256)
        neck(paddle.rand([2, 512, 1, 25])).shape   # [2, 25, 512]
    """

    def __init__(self, in_channels, encoder_type, hidden_size=48, out_channels=None, with_linear=None,
                 num_layers=None):
        super().__init__()
        self.encoder_reshape = Im2Seq(in_channels)
        self.encoder_type = encoder_type
        self.out_channels = in_channels
        self.encoder = None
        if encoder_type == "reshape":
            return
        if encoder_type not in _ENCODERS:
            raise ValueError(
                f"unknown SequenceEncoder encoder_type {encoder_type!r}; "
                f"expected one of: reshape, {', '.join(_ENCODERS)}"
            )
        cascade = {k: v for k, v in (("out_channels", out_channels), ("with_linear", with_linear),
                                     ("num_layers", num_layers)) if v is not None}
        if cascade and encoder_type != "cascadernn":
            raise UserError(f"SequenceEncoder options {sorted(cascade)} are for encoder_type cascadernn, "
                            f"not {encoder_type!r}: remove them from the Neck section")
        self.encoder = _ENCODERS[encoder_type](in_channels, hidden_size, **cascade)
        self.out_channels = self.encoder.out_channels

    def forward(self, x):
        x = self.encoder_reshape(x)
        return x if self.encoder is None else self.encoder(x)
